package dev.tributary.core;

import dev.tributary.Capability;
import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.Headers;
import dev.tributary.StreamClient;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import dev.tributary.core.internal.Deliveries;
import dev.tributary.core.internal.InFlight;
import dev.tributary.core.internal.ThreadLocalRandomGenerator;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Typed, retrying, ordered publishing to one stream.
 *
 * <h2>Order</h2>
 * By default ({@link Ordering#PER_KEY}) the events of one key are stored in the order they were
 * published, across retries, broker restarts and {@code INDETERMINATE} outcomes: an event is not
 * sent while an earlier event of its key is unresolved (sent and not answered, or waiting for a
 * retry). An event without a key is ordered with respect to every event of this publisher: it is
 * sent alone, after all earlier events resolved, and no later event is sent before it resolved.
 * "Earlier" is the order in which {@link #publish} accepted the events (call order on one thread).
 * Events of different keys are pipelined; one key (or a stream of keyless events) goes one round
 * trip at a time. The futures of one key complete in publish order. When an event fails for good,
 * the later events of its key are still sent: order holds among what is stored, the failed event is
 * missing from it. {@link Ordering#NONE} sends every event at once, for raw throughput without
 * order.
 *
 * <h2>Retries and the delivery deadline</h2>
 * <ul>
 *   <li>Values are encoded with a {@link Codec}; an encoding failure throws {@link CodecException}
 *       from {@link #publish} and nothing is sent.</li>
 *   <li>Each published value gets one idempotency id (from the id supplier; by default
 *       {@code pub-}, 128 random bits drawn once per publisher, and a counter) when the backend declares {@link Capability#IDEMPOTENT_APPEND}; every retry of that
 *       value sends the same id, so the broker stores it once. {@link Builder#idempotence
 *       idempotence(false)} turns this off (plain appends, where the idempotent path costs more than
 *       the throughput allows — on Redis it is a server-side script per call); the publisher then
 *       behaves as on a backend without the capability.</li>
 *   <li>Failures are retried by kind: {@code RETRYABLE} and {@code BACKPRESSURE} always,
 *       {@code INDETERMINATE} (the append may have been stored) only where the backend declares
 *       idempotent append — elsewhere it is reported, since a retry could store the event twice.
 *       An {@code INDETERMINATE} event is retried (with its id) before later events of its key go.
 *       Other kinds are reported at once.</li>
 *   <li>Retries go on until the event's <em>delivery deadline</em>: {@code deliveryTimeout}
 *       (default 2 min, like Kafka's {@code delivery.timeout.ms}) after {@link #publish} accepted
 *       it, covering time spent behind earlier events of its key. The waits follow the
 *       {@link Backoff} (default 100 ms doubling up to 1 s, full jitter), through the injected
 *       {@link Sleeper} and {@link Clock}; the last attempt starts by the deadline. Past it the
 *       future completes with the last attempt's error (an event never sent because its deadline
 *       passed while it waited completes with {@code RETRYABLE}). {@link Builder#retry} adds a cap
 *       on the number of attempts.</li>
 * </ul>
 *
 * <h2>Memory</h2>
 * At most {@code maxInFlight} values are unresolved (sent, waiting for a retry, or waiting behind
 * an earlier event of their key). When full, {@link #publish} waits up to {@code whenFull} (default:
 * not at all) and then throws {@link StreamException} of kind {@link ErrorKind#BACKPRESSURE}; so
 * one slow key can take all the room while it retries.
 *
 * <p>Thread-safe. {@link #close()} stops accepting values and waits (bounded) for those in flight; it
 * does not close the client.
 *
 * @param <T> the value type
 */
public final class Publisher<T> implements AutoCloseable {
    private final StreamClient client;
    private final StreamName stream;
    private final Codec<T> codec;
    private final Supplier<String> idempotencyIds;
    private final Duration closeTimeout;
    private final boolean idempotent;
    private final Deliveries deliveries;
    private final InFlight inFlight;
    private volatile boolean closed;

    private Publisher(Builder<T> b) {
        this.client = b.client;
        this.stream = b.stream;
        this.codec = b.codec;
        this.idempotencyIds = b.idempotencyIds;
        this.closeTimeout = b.closeTimeout;
        this.idempotent = b.idempotence && client.supports(Capability.IDEMPOTENT_APPEND);
        this.inFlight = new InFlight(stream, b.maxInFlight, b.whenFull);
        this.deliveries = new Deliveries(
                new Deliveries.Config(
                        client,
                        stream,
                        b.ordering == Ordering.PER_KEY,
                        idempotent,
                        b.backoff,
                        b.maxAttempts,
                        b.deliveryTimeout,
                        b.clock,
                        b.sleeper,
                        b.random,
                        b.executor),
                inFlight::release);
    }

    /** A builder of a publisher of {@code T} values to {@code stream} through {@code client}. */
    public static <T> Builder<T> builder(StreamClient client, StreamName stream, Codec<T> codec) {
        return new Builder<>(client, stream, codec);
    }

    /** Publishes {@code value}; the future completes with its id, or with the final error after retries. */
    public CompletableFuture<EventId> publish(T value) {
        return publish(value, null, Headers.empty());
    }

    /**
     * Publishes {@code value} with a key (UTF-8; null for none) and headers.
     *
     * @throws CodecException   the value cannot be encoded
     * <p>A record the backend rejects before any I/O ({@code TOO_LARGE}, {@code INVALID_ARGUMENT})
     * completes the future exceptionally, like any other final failure.
     *
     * @throws StreamException  {@link ErrorKind#BACKPRESSURE} when {@code maxInFlight} values are in flight
     *                          for longer than {@code whenFull}; {@link ErrorKind#CLOSED} after close;
     *                          {@link ErrorKind#INVALID_ARGUMENT} for bad headers or a bad idempotency id
     */
    public CompletableFuture<EventId> publish(T value, String key, Headers headers) {
        if (closed) {
            throw StreamException.closed("publisher of '" + stream + "'");
        }
        byte[] payload = codec.encode(value);
        if (payload == null) {
            throw new CodecException("codec " + codec.name() + " returned null for a value");
        }
        StreamRecord.Builder rb =
                StreamRecord.builder().payload(payload).headers(headers == null ? Headers.empty() : headers);
        if (key != null) {
            rb.key(key.getBytes(StandardCharsets.UTF_8));
        }
        if (idempotent) {
            rb.idempotencyId(idempotencyIds.get());
        }
        StreamRecord record = rb.build();
        inFlight.acquire();
        CompletableFuture<EventId> result = new CompletableFuture<>();
        deliveries.submit(record, result);
        return result;
    }

    /** Publishes and waits for the id; throws the final {@link StreamException}. */
    public EventId publishAndWait(T value) {
        try {
            return publish(value).join();
        } catch (RuntimeException e) {
            throw StreamException.unwrap(e);
        }
    }

    /** Values in flight now. */
    public int inFlight() {
        return inFlight.count();
    }

    /** Waits until nothing is in flight, at most {@code timeout}; returns whether that holds. */
    public boolean flush(Duration timeout) throws InterruptedException {
        return inFlight.awaitIdle(timeout);
    }

    /** Stops accepting values and waits up to the close timeout for those in flight. Idempotent. */
    @Override
    public void close() {
        closed = true;
        try {
            flush(closeTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code pub-<128 random bits, base64url>-<counter, base 36>}: one secure draw per publisher. */
    static Supplier<String> uniqueIds() {
        byte[] seed = new byte[16];
        new SecureRandom().nextBytes(seed);
        String prefix = "pub-" + Base64.getUrlEncoder().withoutPadding().encodeToString(seed) + "-";
        AtomicLong next = new AtomicLong();
        return () -> prefix + Long.toString(next.getAndIncrement(), 36);
    }

    @Override
    public String toString() {
        return "Publisher[" + stream + ", inFlight=" + inFlight() + "/" + inFlight.max() + "]";
    }

    /** Builds a {@link Publisher}. */
    public static final class Builder<T> {
        private final StreamClient client;
        private final StreamName stream;
        private final Codec<T> codec;
        private int maxInFlight = 1000;
        private Duration whenFull = Duration.ZERO;
        private Ordering ordering = Ordering.PER_KEY;
        private Duration deliveryTimeout = Duration.ofMinutes(2);
        private Backoff backoff = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(1));
        private int maxAttempts; // 0: no cap, the deadline decides
        private Clock clock = Clock.systemUTC();
        private Supplier<String> idempotencyIds; // null: unique ids of this publisher (uniqueIds())
        private Sleeper sleeper = Sleeper.system();
        private RandomGenerator random;
        private Executor executor = ForkJoinPool.commonPool();
        private Duration closeTimeout = Duration.ofSeconds(10);
        private boolean idempotence = true;

        private Builder(StreamClient client, StreamName stream, Codec<T> codec) {
            this.client = Objects.requireNonNull(client, "client");
            this.stream = Objects.requireNonNull(stream, "stream");
            this.codec = Objects.requireNonNull(codec, "codec");
        }

        /** Most values in flight, 1 to 1 000 000; default 1000. */
        public Builder<T> maxInFlight(int max) {
            if (max < 1 || max > 1_000_000) {
                throw new IllegalArgumentException("maxInFlight must be 1 to 1000000, got " + max);
            }
            this.maxInFlight = max;
            return this;
        }

        /** How long {@link #publish} waits for room when full, 0 (fail at once, the default) to 10 min. */
        public Builder<T> whenFull(Duration wait) {
            if (wait == null || wait.isNegative() || wait.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("whenFull must be 0 to 10 min, got " + wait);
            }
            this.whenFull = wait;
            return this;
        }

        /** The order kept across retries (default {@link Ordering#PER_KEY}; see {@link Publisher}). */
        public Builder<T> ordering(Ordering ordering) {
            this.ordering = Objects.requireNonNull(ordering, "ordering");
            return this;
        }

        /**
         * How long an event may take from {@link Publisher#publish} to its final outcome, retries and
         * waiting behind earlier events of its key included: 1 ms to 24 h; default 2 min.
         */
        public Builder<T> deliveryTimeout(Duration timeout) {
            if (timeout == null
                    || timeout.compareTo(Duration.ofMillis(1)) < 0
                    || timeout.compareTo(Duration.ofHours(24)) > 0) {
                throw new IllegalArgumentException("deliveryTimeout must be 1 ms to 24 h, got " + timeout);
            }
            this.deliveryTimeout = timeout;
            return this;
        }

        /** Waits between attempts (default 100 ms doubling up to 1 s, full jitter). */
        public Builder<T> backoff(Backoff backoff) {
            this.backoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        /**
         * Caps the attempts per event at {@code retry.maxAttempts()} and waits per {@code retry.backoff()};
         * the delivery deadline still applies. Default: no cap, the deadline decides.
         */
        public Builder<T> retry(RetryPolicy retry) {
            Objects.requireNonNull(retry, "retry");
            this.maxAttempts = retry.maxAttempts();
            this.backoff = retry.backoff();
            return this;
        }

        /** The clock of the delivery deadlines (tests inject a fake one with the sleeper). */
        public Builder<T> clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Where idempotency ids come from (printable ASCII, 1 to 128 characters). Default: {@code pub-},
         * 128 random bits drawn once per publisher (base64url) and a counter — unique across publishers
         * without a secure random draw per value.
         */
        public Builder<T> idempotencyIds(Supplier<String> ids) {
            this.idempotencyIds = Objects.requireNonNull(ids, "ids");
            return this;
        }

        /** How the publisher sleeps between retries (tests inject a fake one). */
        public Builder<T> sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** The source of backoff jitter (tests inject a seeded one). */
        public Builder<T> random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** Where retries are sent from (default the common pool). */
        public Builder<T> executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Whether values carry an idempotency id where the backend declares
         * {@link Capability#IDEMPOTENT_APPEND} (default true). With {@code false} the appends are plain:
         * an {@code INDETERMINATE} outcome is then reported, not retried, since a retry could store
         * the value twice; retries of other kinds are unchanged. The cost of idempotence per backend is
         * in docs/benchmarks.md.
         */
        public Builder<T> idempotence(boolean on) {
            this.idempotence = on;
            return this;
        }

        /** Bound of {@link Publisher#close()}; default 10 s. */
        public Builder<T> closeTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative()) {
                throw new IllegalArgumentException("closeTimeout must be >= 0, got " + timeout);
            }
            this.closeTimeout = timeout;
            return this;
        }

        /** The publisher. */
        public Publisher<T> build() {
            if (idempotencyIds == null) {
                idempotencyIds = uniqueIds();
            }
            if (random == null) {
                random = new ThreadLocalRandomGenerator();
            }
            return new Publisher<>(this);
        }
    }
}
