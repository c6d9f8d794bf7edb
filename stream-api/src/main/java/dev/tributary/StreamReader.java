package dev.tributary;

import java.time.Duration;
import java.util.List;

/**
 * A cursor over one stream, opened by {@link StreamClient#openReader(StreamName, Position)}.
 *
 * <p>The start position is resolved when the reader opens: {@code latest} becomes "after the id
 * that was last at that moment", so nothing appended between polls is lost. Each poll returns the
 * next events in stream order and advances the cursor to the last event <em>returned</em> (read),
 * whatever the application then keeps.
 *
 * <p>On a partitioned stream a reader reads every partition: each poll keeps each partition's order
 * and orders the events it returns across partitions by broker timestamp, then partition. Its place
 * is a {@link #cursor()} over every partition; {@link #position()} is {@code after(cursor)}.
 *
 * <p>A reader is used by one thread at a time. {@link #close()} of the reader or of its client
 * wakes a blocked {@link #poll} which then fails with {@link ErrorKind#CLOSED}.
 */
public interface StreamReader extends AutoCloseable {

    /** The stream this reader reads. */
    StreamName stream();

    /**
     * Returns up to {@code maxCount} events after the cursor, waiting up to {@code wait} for the
     * first one when none is available. Returns an empty list when the wait ran out. A wait of
     * {@link Duration#ZERO} does not block.
     *
     * @param maxCount 1 to {@link Limits#maxReadCount()}
     * @param wait     0 to 1 hour
     * @throws StreamException {@link ErrorKind#INVALID_ARGUMENT} for a bad count or wait;
     *                         {@link ErrorKind#DATA_LOSS} when the cursor points below the retained
     *                         head (events were trimmed before they were read) — the reader then
     *                         stays where it was, and the application decides (reopen at earliest,
     *                         or fail); {@link ErrorKind#CLOSED} after close
     */
    List<StreamEvent> poll(int maxCount, Duration wait);

    /**
     * Where the next poll continues: {@code after(last id read)}, or the resolved start position
     * if nothing was read yet ({@code earliest}, {@code after(id)}, or {@code at(time)}; never
     * {@code latest}).
     */
    Position position();

    /**
     * Where the next poll continues in every partition, to save and resume with
     * {@link Position#after(Cursor)}. A one-partition reader's cursor is its {@link #position()}
     * (never {@code latest}); a reader of a partitioned stream returns its own. Answers after close.
     */
    default Cursor cursor() {
        Position p = position();
        if (p instanceof Position.AfterCursor c) {
            return c.cursor();
        }
        return Cursor.of(java.util.List.of(p));
    }

    /** Idempotent; a blocked poll wakes up and fails with {@link ErrorKind#CLOSED}. */
    @Override
    void close();
}
