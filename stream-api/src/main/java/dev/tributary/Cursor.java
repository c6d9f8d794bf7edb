package dev.tributary;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A reader's place in every partition of a stream: for partition {@code i}, {@link #position(int)}
 * is where a read continues — {@link Position#earliest()} (nothing read, from the oldest retained
 * event), {@link Position#after(EventId)} with the partition's own (plain) id, or
 * {@link Position#at(Instant)} (nothing read yet of a read that started at a time). Never
 * {@code latest}: readers resolve it when they open.
 *
 * <p>Obtain one from {@link StreamReader#cursor()} and resume with {@link Position#after(Cursor)}:
 * the new reader continues every partition exactly where the old one stopped, with no loss and no
 * repeats. The text form ({@link #toString()}, {@link #parse(String)}) round-trips, so a cursor can
 * be stored or handed to a web client and back: one entry per partition, in partition order,
 * separated by {@code ,} — the id, {@code -} for earliest, or {@code @} and an ISO-8601 instant
 * ({@code "41,-,1700000000000-3"}). A one-partition stream's cursor after id 42 reads {@code "42"},
 * the id's own text. The form uses {@code , - @ : .}: encode it as any text when putting it in a
 * URL.
 */
public final class Cursor {
    private final List<Position> partitions;

    private Cursor(List<Position> partitions) {
        this.partitions = partitions;
    }

    /**
     * A cursor from one position per partition.
     *
     * @throws StreamException {@link ErrorKind#INVALID_ARGUMENT} for an empty or too long list, a
     *                         null entry, {@code latest}, a cursor, or a partitioned id
     */
    public static Cursor of(List<Position> partitions) {
        if (partitions == null || partitions.isEmpty() || partitions.size() > StreamOptions.MAX_PARTITIONS) {
            throw StreamException.invalid("a cursor has one position per partition, 1 to "
                    + StreamOptions.MAX_PARTITIONS + ", got " + (partitions == null ? "null" : partitions.size()));
        }
        List<Position> copy = new ArrayList<>(partitions.size());
        for (int i = 0; i < partitions.size(); i++) {
            Position p = partitions.get(i);
            if (p == null || p instanceof Position.Latest || p instanceof Position.AfterCursor) {
                throw StreamException.invalid("a cursor's position for partition " + i
                        + " must be earliest, after an id or at a time, got " + p);
            }
            if (p instanceof Position.After a && a.id().isPartitioned()) {
                throw StreamException.invalid("a cursor holds each partition's own id, not the partitioned id " + a.id()
                        + " (use id.local())");
            }
            copy.add(p);
        }
        return new Cursor(List.copyOf(copy));
    }

    /** A cursor at the start of each of {@code partitions} partitions. */
    public static Cursor earliest(int partitions) {
        if (partitions < 1 || partitions > StreamOptions.MAX_PARTITIONS) {
            throw StreamException.invalid(
                    "a cursor covers 1 to " + StreamOptions.MAX_PARTITIONS + " partitions, got " + partitions);
        }
        return new Cursor(java.util.Collections.nCopies(partitions, Position.earliest()));
    }

    /**
     * Parses the text form.
     *
     * @throws StreamException {@link ErrorKind#INVALID_ARGUMENT} naming the entry that is not an id,
     *                         {@code -} or {@code @instant}
     */
    public static Cursor parse(String text) {
        if (text == null || text.isEmpty()) {
            throw StreamException.invalid("a cursor's text must not be " + (text == null ? "null" : "empty"));
        }
        String[] parts = text.split(",", -1);
        if (parts.length > StreamOptions.MAX_PARTITIONS) {
            throw StreamException.invalid("a cursor covers at most " + StreamOptions.MAX_PARTITIONS
                    + " partitions, this text has " + parts.length + " entries");
        }
        List<Position> out = new ArrayList<>(parts.length);
        for (int i = 0; i < parts.length; i++) {
            String s = parts[i];
            if (s.equals("-")) {
                out.add(Position.earliest());
            } else if (s.startsWith("@")) {
                try {
                    out.add(Position.at(Instant.parse(s.substring(1))));
                } catch (DateTimeParseException e) {
                    throw StreamException.invalid(
                            "cursor entry " + i + " '" + shorten(s) + "' is not an ISO-8601 instant after @");
                }
            } else {
                EventId id;
                try {
                    id = EventId.parse(s);
                } catch (StreamException e) {
                    throw StreamException.invalid(
                            "cursor entry " + i + " '" + shorten(s) + "' is not an id, '-' or '@instant'");
                }
                out.add(Position.after(id));
            }
        }
        return of(out);
    }

    private static String shorten(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }

    /** How many partitions the cursor covers. */
    public int partitionCount() {
        return partitions.size();
    }

    /** Where partition {@code partition} continues. */
    public Position position(int partition) {
        if (partition < 0 || partition >= partitions.size()) {
            throw StreamException.invalid(
                    "partition " + partition + " is not one of this cursor's 0 to " + (partitions.size() - 1));
        }
        return partitions.get(partition);
    }

    /** Every partition's position, in partition order. */
    public List<Position> positions() {
        return partitions;
    }

    /**
     * This cursor moved past {@code id}: its partition continues after it. A plain id moves
     * partition 0.
     */
    public Cursor after(EventId id) {
        int p = id.partition();
        if (p >= partitions.size()) {
            throw StreamException.invalid(
                    "id " + id + " is of partition " + p + ", this cursor covers " + partitions.size() + " partitions");
        }
        List<Position> next = new ArrayList<>(partitions);
        next.set(p, Position.after(id.local()));
        return new Cursor(List.copyOf(next));
    }

    /** This cursor moved past every event of {@code events} (a poll's or a range page's). */
    public Cursor advance(Iterable<StreamEvent> events) {
        List<Position> next = new ArrayList<>(partitions);
        for (StreamEvent e : events) {
            int p = e.id().partition();
            if (p >= next.size()) {
                throw StreamException.invalid("event " + e.id() + " is of partition " + p + ", this cursor covers "
                        + partitions.size() + " partitions");
            }
            next.set(p, Position.after(e.id().local()));
        }
        return new Cursor(List.copyOf(next));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cursor c && c.partitions.equals(partitions);
    }

    @Override
    public int hashCode() {
        return partitions.hashCode();
    }

    /** The text form: entries separated by {@code ,}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Position p : partitions) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            if (p instanceof Position.After a) {
                sb.append(a.id());
            } else if (p instanceof Position.AtTime t) {
                sb.append('@').append(t.time());
            } else {
                sb.append('-');
            }
        }
        return sb.toString();
    }
}
