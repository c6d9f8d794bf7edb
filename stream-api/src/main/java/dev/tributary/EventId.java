package dev.tributary;

import java.util.Objects;

/**
 * The identity of a stored event, assigned by the broker and returned by {@code append}.
 *
 * <p>An id is a pair of non-negative numbers compared in order (major, then minor). Two textual forms
 * exist: a <em>sequence</em> id ({@code "42"}, used for dense sequence numbers such as JetStream
 * stream sequences, Kafka offsets of a one-partition topic and the memory backend) and a <em>pair</em>
 * id ({@code "1700000000000-3"}, Redis' own {@code <ms>-<seq>}). {@link #toString()} and
 * {@link StreamClient#parseId(String)} round-trip, so an id can be handed to a web client and back to
 * resume after a reconnect.
 *
 * <p>Within one stream ids are totally ordered: a later append has a greater id. Comparing ids of
 * different streams, or of different partitions of a partitioned stream, has no meaning.
 *
 * <p>An event of a stream created with several partitions ({@link StreamOptions#partitions(int)})
 * has a <em>partitioned</em> id: the partition's own id (either form) and the partition's index,
 * written {@code partition/id} ({@code "3/42"}, {@code "3/1700000000000-3"}). Within a partition
 * such ids are ordered like any other; {@link #compareTo} orders by partition first, which is a
 * total order for sorting but not the stream's order. A one-partition stream has plain ids.
 */
public final class EventId implements Comparable<EventId> {
    private final long major;
    private final long minor;
    private final boolean pair;
    /** The partition of a partitioned id; -1 for a plain one. */
    private final int partition;

    private EventId(long major, long minor, boolean pair) {
        this(major, minor, pair, -1);
    }

    private EventId(long major, long minor, boolean pair, int partition) {
        if (major < 0 || minor < 0) {
            throw StreamException.invalid("event id parts must be non-negative: " + major + "-" + minor);
        }
        this.major = major;
        this.minor = minor;
        this.pair = pair;
        this.partition = partition;
    }

    /** A sequence id, written as the number alone. */
    public static EventId ofSequence(long sequence) {
        return new EventId(sequence, 0, false);
    }

    /** A pair id, written {@code major-minor}. */
    public static EventId of(long major, long minor) {
        return new EventId(major, minor, true);
    }

    /**
     * The id {@code local} of partition {@code partition} of a partitioned stream.
     *
     * @throws StreamException {@link ErrorKind#INVALID_ARGUMENT} for a negative partition or an
     *                         already partitioned {@code local}
     */
    public static EventId inPartition(int partition, EventId local) {
        if (local == null) {
            throw StreamException.invalid("a partitioned id needs the partition's id, got null");
        }
        if (partition < 0 || partition >= StreamOptions.MAX_PARTITIONS) {
            throw StreamException.invalid(
                    "partition must be 0 to " + (StreamOptions.MAX_PARTITIONS - 1) + ", got " + partition);
        }
        if (local.isPartitioned()) {
            throw StreamException.invalid("'" + local + "' is already a partitioned id");
        }
        return new EventId(local.major, local.minor, local.pair, partition);
    }

    /**
     * Parses any form: {@code N}, {@code N-M}, or either after {@code P/} for a partitioned id. Backends use {@link StreamClient#parseId(String)}, which also rejects
     * the form the backend does not use.
     *
     * @throws StreamException {@link ErrorKind#INVALID_ARGUMENT} for anything else
     */
    public static EventId parse(String text) {
        if (text == null) {
            throw StreamException.invalid("event id must not be null");
        }
        int slash = text.indexOf('/');
        if (slash >= 0) {
            String p = text.substring(0, slash);
            if (p.isEmpty() || p.length() > 4 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw StreamException.invalid("'" + shorten(text)
                        + "' is not an event id; a partitioned id is P/N or P/N-M with a decimal partition P");
            }
            return inPartition(Integer.parseInt(p), parse(text.substring(slash + 1)));
        }
        int dash = text.indexOf('-');
        try {
            if (dash < 0) {
                return ofSequence(parsePart(text));
            }
            return of(parsePart(text.substring(0, dash)), parsePart(text.substring(dash + 1)));
        } catch (NumberFormatException e) {
            throw StreamException.invalid(
                    "'" + shorten(text) + "' is not an event id; expected N or N-M with decimal N, M");
        }
    }

    private static long parsePart(String s) {
        if (s.isEmpty() || s.length() > 19) {
            throw new NumberFormatException(s);
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new NumberFormatException(s);
            }
        }
        return Long.parseLong(s);
    }

    private static String shorten(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }

    /** The first (or only) number. */
    public long major() {
        return major;
    }

    /** The second number; 0 for a sequence id. */
    public long minor() {
        return minor;
    }

    /** True for the {@code major-minor} form. */
    public boolean isPair() {
        return pair;
    }

    /** True for an id of a partitioned stream ({@code partition/id}). */
    public boolean isPartitioned() {
        return partition >= 0;
    }

    /** The partition of a partitioned id; 0 for a plain one (a one-partition stream's only partition). */
    public int partition() {
        return Math.max(partition, 0);
    }

    /** The id within its partition: this id without the partition (itself for a plain id). */
    public EventId local() {
        return partition < 0 ? this : new EventId(major, minor, pair);
    }

    /** For a sequence id, the sequence; for a pair id, the major part. */
    public long sequence() {
        return major;
    }

    @Override
    public int compareTo(EventId o) {
        int c = Integer.compare(partition, o.partition);
        if (c != 0) {
            return c;
        }
        c = Long.compare(major, o.major);
        return c != 0 ? c : Long.compare(minor, o.minor);
    }

    /**
     * True when this id comes after {@code other} in stream order (for partitioned ids: in the same
     * partition's order; ids of different partitions compare by partition).
     */
    public boolean isAfter(EventId other) {
        return compareTo(other) > 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EventId e
                && e.major == major
                && e.minor == minor
                && e.pair == pair
                && e.partition == partition;
    }

    @Override
    public int hashCode() {
        return Objects.hash(major, minor, pair, partition);
    }

    @Override
    public String toString() {
        String local = pair ? major + "-" + minor : Long.toString(major);
        return partition < 0 ? local : partition + "/" + local;
    }
}
