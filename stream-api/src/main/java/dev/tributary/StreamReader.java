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

    /** Idempotent; a blocked poll wakes up and fails with {@link ErrorKind#CLOSED}. */
    @Override
    void close();
}
