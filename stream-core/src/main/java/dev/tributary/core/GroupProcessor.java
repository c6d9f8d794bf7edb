package dev.tributary.core;

import dev.tributary.GroupOptions;
import dev.tributary.StreamClient;
import dev.tributary.StreamName;
import dev.tributary.core.internal.GroupLoop;
import java.util.Objects;
import java.util.UUID;

/**
 * One member of a consumer group: reads the events the group assigns to it, hands them to the
 * handler and acks each one only after it was handled, filtered or dead-lettered.
 *
 * <h2>In flight and concurrency</h2>
 * At most {@code maxInFlight} events are read and not yet acked. By default one read of at most the
 * batch size, and the next read starts after the acks; with {@link Builder#readAhead(boolean)} the
 * next batch is read while the handler runs, within the same bound, and reaches the handler after
 * the batch being handled: events are still handed over in the order the member read them. With {@code concurrency(n)} above 1 a batch is split by key over
 * n ordered lanes: events of one key are handled one after the other in stream order, different keys
 * in parallel (events without a key are spread by id).
 *
 * <h2>Errors</h2>
 * As {@link TailProcessor}: retryable source failures back off behind a circuit breaker; fatal ones
 * fail the processor at once — on a backend without {@link dev.tributary.Capability#CONSUMER_GROUPS}
 * that is {@code UNSUPPORTED} at the first start. A handler failure is retried in process per the
 * {@link RetryPolicy}, then the event is dead-lettered (headers name the group) and acked. An
 * undecodable payload is dead-lettered at once and acked. If the broker loses the group
 * ({@code DATA_LOSS}), the {@link GapPolicy} decides: fail, or create the group again at its start
 * position.
 *
 * <pre>{@code
 * GroupProcessor<String> billing = GroupProcessor.builder(client, StreamName.of("orders"), "billing", Codecs.utf8())
 *         .concurrency(4)
 *         .retry(RetryPolicy.of(5, Backoff.exponential(Duration.ofMillis(200), Duration.ofSeconds(10))))
 *         .deadLetters(DeadLetterPolicy.toStream(StreamName.of("orders-billing-dlq")))
 *         .handler(m -> bill(m.value()))
 *         .build();
 * billing.start();
 * }</pre>
 *
 * @param <T> the decoded value type
 */
public final class GroupProcessor<T> extends LoopProcessor<T> {
    private final String group;
    private final String member;

    private GroupProcessor(Builder<T> b) {
        super(b.settings("group", b.group));
        this.group = b.group;
        this.member = b.member != null
                ? b.member
                : ProcessorBuilder.check(
                        shorten(settings.name()) + "-"
                                + UUID.randomUUID().toString().substring(0, 8),
                        "member name");
        GroupLoop<T> loop = new GroupLoop<>(
                settings, group, member, b.options, b.createGroup, b.concurrency, b.maxInFlight, b.readAhead, breaker);
        run(loop);
        loop.bind(this);
        announce(group);
    }

    private static String shorten(String s) {
        return s.length() > 180 ? s.substring(0, 180) : s;
    }

    /** A builder for a member of {@code group} on {@code stream} that decodes payloads with {@code codec}. */
    public static <T> Builder<T> builder(StreamClient client, StreamName stream, String group, Codec<T> codec) {
        return new Builder<>(client, stream, group, codec);
    }

    /** The consumer group this processor reads in. */
    public String group() {
        return group;
    }

    /** The member name this processor reads as. */
    public String member() {
        return member;
    }

    @Override
    public String toString() {
        return "GroupProcessor[" + name() + " on " + settings.stream() + "/" + group + " as " + member + ", " + state()
                + "]";
    }

    /** Builds a {@link GroupProcessor}. The name defaults to the group name. */
    public static final class Builder<T> extends ProcessorBuilder<T, Builder<T>> {
        /** Default bound of events read and not yet acked: two batches of the default size. */
        public static final int DEFAULT_MAX_IN_FLIGHT = 1000;

        private final String group;
        private String member;
        private GroupOptions options = GroupOptions.defaults();
        private boolean createGroup = true;
        private int concurrency = 1;
        private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
        private boolean readAhead;

        private Builder(StreamClient client, StreamName stream, String group, Codec<T> codec) {
            super(client, stream, codec);
            this.group = check(group, "group name");
        }

        @Override
        Builder<T> self() {
            return this;
        }

        /** The member name (default: the processor name plus a random suffix). */
        public Builder<T> member(String member) {
            this.member = check(member, "member name");
            return this;
        }

        /** Options for creating the group (default {@link GroupOptions#defaults()}: earliest, 30 s ack timeout). */
        public Builder<T> groupOptions(GroupOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /** Whether the loop creates the stream and group (idempotently) before reading; default true. */
        public Builder<T> createGroup(boolean create) {
            this.createGroup = create;
            return this;
        }

        /** Handler lanes, 1 to 256; per-key order is kept at any value. Default 1. */
        public Builder<T> concurrency(int lanes) {
            if (lanes < 1 || lanes > 256) {
                throw new IllegalArgumentException("concurrency must be 1 to 256, got " + lanes);
            }
            this.concurrency = lanes;
            return this;
        }

        /**
         * Most events read and not yet acked, 1 to 100 000; default 1000. Each read asks for at most
         * the batch size and at most what this bound leaves: with read-ahead and a bound of one batch
         * or less, nothing is read ahead.
         */
        public Builder<T> maxInFlight(int max) {
            if (max < 1 || max > 100_000) {
                throw new IllegalArgumentException("maxInFlight must be 1 to 100000, got " + max);
            }
            this.maxInFlight = max;
            return this;
        }

        /**
         * Whether the next batch is read, on a thread of its own, while the handler runs; default
         * false. It pays when a batch's handling waits on I/O about as long as a read's round trip to
         * the broker; with a handler that does little, the second thread costs more than it saves
         * (docs/benchmarks.md measures both). The read ahead asks
         * for at most what {@link #maxInFlight} leaves beside the batch being handled, and happens only
         * while a batch is handled and acked in under a quarter of the ack timeout of its {@link #groupOptions}; a batch
         * read ahead when the processor stops is given back (nacked) and delivered again at once, with
         * its delivery count raised. False: one batch at a time, the next read after the acks.
         */
        public Builder<T> readAhead(boolean readAhead) {
            this.readAhead = readAhead;
            return this;
        }

        /** The processor, not started. */
        public GroupProcessor<T> build() {
            return new GroupProcessor<>(this);
        }
    }
}
