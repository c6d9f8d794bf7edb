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
 */
public final class EventId implements Comparable<EventId> {
    private final long major;
    private final long minor;
    private final boolean pair;

    private EventId(long major, long minor, boolean pair) {
        if (major < 0 || minor < 0) {
            throw StreamException.invalid("event id parts must be non-negative: " + major + "-" + minor);
        }
        this.major = major;
        this.minor = minor;
        this.pair = pair;
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
     * Parses either form. Backends use {@link StreamClient#parseId(String)}, which also rejects
     * the form the backend does not use.
     *
     * @throws StreamException {@link ErrorKind#INVALID_ARGUMENT} for anything else
     */
    public static EventId parse(String text) {
        if (text == null) {
            throw StreamException.invalid("event id must not be null");
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

    /** For a sequence id, the sequence; for a pair id, the major part. */
    public long sequence() {
        return major;
    }

    @Override
    public int compareTo(EventId o) {
        int c = Long.compare(major, o.major);
        return c != 0 ? c : Long.compare(minor, o.minor);
    }

    /** True when this id comes after {@code other} in stream order. */
    public boolean isAfter(EventId other) {
        return compareTo(other) > 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EventId e && e.major == major && e.minor == minor && e.pair == pair;
    }

    @Override
    public int hashCode() {
        return Objects.hash(major, minor, pair);
    }

    @Override
    public String toString() {
        return pair ? major + "-" + minor : Long.toString(major);
    }
}
