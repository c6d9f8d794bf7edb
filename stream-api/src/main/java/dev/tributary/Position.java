package dev.tributary;

import java.time.Instant;

/**
 * Where a read starts.
 *
 * <ul>
 *   <li>{@link #earliest()} — the oldest retained event.</li>
 *   <li>{@link #latest()} — only events appended after the read starts. It is resolved to a concrete
 *       id when the reader opens (never kept symbolic), so an event appended between two polls is
 *       never lost.</li>
 *   <li>{@link #after(EventId)} — exclusive: the first event read has an id greater than the given
 *       one. Resuming after the last id read yields exactly the rest. If events after that id were
 *       trimmed away, the read reports {@link ErrorKind#DATA_LOSS} instead of silently skipping.</li>
 *   <li>{@link #at(Instant)} — the first event whose broker timestamp is at or after the instant
 *       (capability {@link Capability#TIME_POSITION}).</li>
 *   <li>{@link #after(Cursor)} — where a reader of every partition stopped
 *       ({@link StreamReader#cursor()}): each partition continues at the cursor's position for it.
 *       A cursor must cover as many partitions as the stream has ({@link ErrorKind#INVALID_ARGUMENT}
 *       otherwise); a one-partition cursor works on every backend.</li>
 * </ul>
 *
 * <p>On a partitioned stream, {@code earliest}, {@code latest} and {@code at(time)} apply to every
 * partition; {@code after(id)} is refused ({@link ErrorKind#INVALID_ARGUMENT}) because one id does not
 * say where the other partitions stand — use a cursor.
 */
public sealed interface Position
        permits Position.Earliest, Position.Latest, Position.After, Position.AtTime, Position.AfterCursor {

    /** The oldest event still in the stream. */
    static Position earliest() {
        return Earliest.INSTANCE;
    }

    /** Only events appended from now on. */
    static Position latest() {
        return Latest.INSTANCE;
    }

    /** Strictly after the event with {@code id}. */
    static Position after(EventId id) {
        return new After(id);
    }

    /** At or after broker timestamp {@code time}. */
    static Position at(Instant time) {
        return new AtTime(time);
    }

    /** Where {@code cursor} stands, in every partition. */
    static Position after(Cursor cursor) {
        return new AfterCursor(cursor);
    }

    /** The oldest retained event. */
    record Earliest() implements Position {
        static final Earliest INSTANCE = new Earliest();

        @Override
        public String toString() {
            return "earliest";
        }
    }

    /** Events appended after the read starts. */
    record Latest() implements Position {
        static final Latest INSTANCE = new Latest();

        @Override
        public String toString() {
            return "latest";
        }
    }

    /** Strictly after an id. */
    record After(EventId id) implements Position {
        public After {
            if (id == null) {
                throw StreamException.invalid("Position.after needs an id, got null");
            }
        }

        @Override
        public String toString() {
            return "after " + id;
        }
    }

    /** At or after a broker timestamp. */
    record AtTime(Instant time) implements Position {
        public AtTime {
            if (time == null) {
                throw StreamException.invalid("Position.at needs an instant, got null");
            }
        }

        @Override
        public String toString() {
            return "at " + time;
        }
    }

    /** Where a cursor stands, in every partition. */
    record AfterCursor(Cursor cursor) implements Position {
        public AfterCursor {
            if (cursor == null) {
                throw StreamException.invalid("Position.after needs a cursor, got null");
            }
        }

        @Override
        public String toString() {
            return "after cursor " + cursor;
        }
    }
}
