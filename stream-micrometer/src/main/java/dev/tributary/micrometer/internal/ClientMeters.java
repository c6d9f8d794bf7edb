package dev.tributary.micrometer.internal;

import static dev.tributary.micrometer.TributaryMeters.TAG_BACKEND;
import static dev.tributary.micrometer.TributaryMeters.TAG_GROUP;
import static dev.tributary.micrometer.TributaryMeters.TAG_KIND;
import static dev.tributary.micrometer.TributaryMeters.TAG_OUTCOME;
import static dev.tributary.micrometer.TributaryMeters.TAG_STREAM;

import dev.tributary.ErrorKind;
import dev.tributary.StreamName;
import dev.tributary.micrometer.TributaryMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The meters of one instrumented client, built once per stream (and group) and cached, so the hot
 * path of an append is one map look-up by {@link StreamName}: no tag building, no registry search,
 * no cap check. Caches keyed by tag value are bounded by the tag caps; the cache by stream name keeps
 * at most {@value #MAX_BY_NAME} names (names beyond it take the slower path by tag value, which is
 * still bounded), so an application appending to unbounded names cannot grow it without bound.
 */
final class ClientMeters {
    private static final int KINDS = ErrorKind.values().length;

    private final MeterContext ctx;
    private final String backend;
    /** Most stream names whose append meters are cached by name. */
    static final int MAX_BY_NAME = 1024;

    private final ConcurrentHashMap<String, Append> appends = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<StreamName, Append> appendsByName = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Read> reads = new ConcurrentHashMap<>();

    ClientMeters(MeterContext ctx, String backend) {
        this.ctx = ctx;
        this.backend = backend;
    }

    Append append(StreamName stream) {
        Append a = stream == null ? null : appendsByName.get(stream);
        if (a != null) {
            return a;
        }
        a = appends.computeIfAbsent(ctx.stream(stream), Append::new);
        if (stream != null && appendsByName.size() < MAX_BY_NAME) {
            appendsByName.putIfAbsent(stream, a);
        }
        return a;
    }

    Read read(StreamName stream, String group) {
        String s = ctx.stream(stream);
        String g = ctx.group(group);
        return reads.computeIfAbsent(s + '\u0000' + g, k -> new Read(s, g));
    }

    /** Append meters of one stream tag. */
    final class Append {
        final Timer success;
        final Timer failure;
        final Counter records;
        private final Tags tags;
        private final AtomicReferenceArray<Counter> failures = new AtomicReferenceArray<>(KINDS);

        Append(String stream) {
            tags = Tags.of(TAG_BACKEND, backend, TAG_STREAM, stream);
            String d = "append calls that reached the backend, until their future completed";
            success = ctx.timer(TributaryMeters.APPEND, d, tags.and(TAG_OUTCOME, TributaryMeters.SUCCESS));
            failure = ctx.timer(TributaryMeters.APPEND, d, tags.and(TAG_OUTCOME, TributaryMeters.FAILURE));
            records = ctx.counter(TributaryMeters.APPEND_RECORDS, "records", "records the broker confirmed", tags);
        }

        @SuppressWarnings(
                "EnumOrdinal") // the index of a lock-free array with a slot per constant, in this process only
        void failed(ErrorKind kind, int records) {
            Counter c = failures.get(kind.ordinal());
            if (c == null) {
                c = ctx.counter(
                        TributaryMeters.APPEND_FAILURES,
                        "records",
                        "records whose append failed",
                        tags.and(TAG_KIND, kind.name()));
                failures.set(kind.ordinal(), c);
            }
            c.increment(records);
        }
    }

    /** Read, ack and nack meters of one stream and group tag. */
    final class Read {
        final Counter events;
        final Counter acks;
        final Counter acksUnknown;
        final Counter nacks;
        private final Tags tags;
        private final AtomicReferenceArray<Counter> failures = new AtomicReferenceArray<>(KINDS);

        Read(String stream, String group) {
            tags = Tags.of(TAG_BACKEND, backend, TAG_STREAM, stream, TAG_GROUP, group);
            events = ctx.counter(TributaryMeters.READ_EVENTS, "events", "events returned by polls", tags);
            acks = ctx.counter(TributaryMeters.ACKS, "events", "acked ids that were pending", tags);
            acksUnknown = ctx.counter(TributaryMeters.ACKS_UNKNOWN, "events", "acked ids that were not pending", tags);
            nacks = ctx.counter(TributaryMeters.NACKS, "events", "ids given back for redelivery", tags);
        }

        @SuppressWarnings(
                "EnumOrdinal") // the index of a lock-free array with a slot per constant, in this process only
        void failed(ErrorKind kind) {
            Counter c = failures.get(kind.ordinal());
            if (c == null) {
                c = ctx.counter(
                        TributaryMeters.READ_FAILURES, null, "polls that failed", tags.and(TAG_KIND, kind.name()));
                failures.set(kind.ordinal(), c);
            }
            c.increment();
        }
    }
}
