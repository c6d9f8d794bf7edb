package dev.tributary.spi;

import dev.tributary.ErrorKind;
import dev.tributary.Limits;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamReader;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The skeleton of a {@link StreamReader}: a backend writes {@link #doPoll}, {@link #position()} and
 * {@link #doClose()}; this class owns the closed flag and the checks, in one order for every
 * backend.
 *
 * <h2>Contract kept here</h2>
 * <ul>
 *   <li>{@link #poll} runs: closed check → count and wait checks → {@link #doPoll}. A poll that was
 *       blocked (or failing) when the reader or its client closed ends {@link ErrorKind#CLOSED},
 *       whatever the backend's native client reported while it shut down. Events a poll already read
 *       are returned even if close ran meanwhile, so the cursor never moves past events the
 *       application did not get.</li>
 *   <li>{@link #close()} is idempotent: the first call runs {@link #doClose()} (which must wake a
 *       blocked {@code doPoll}) and tells the client, which stops tracking the reader.</li>
 *   <li>{@link #stream()} and {@link #position()} answer after close, so a cursor can be saved
 *       once its reader is closed.</li>
 * </ul>
 */
public abstract class AbstractStreamReader implements StreamReader {
    private final StreamName stream;
    private final Limits limits;
    private final String description;
    private volatile boolean closed;
    private volatile Runnable onClose;

    /**
     * @param stream      the stream read
     * @param limits      the backend's limits (for the count check)
     * @param description what the reader is, for messages (no secrets), e.g. {@code "reader of orders"}
     */
    protected AbstractStreamReader(StreamName stream, Limits limits, String description) {
        this.stream = Objects.requireNonNull(stream, "stream");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.description = Objects.requireNonNull(description, "description");
    }

    @Override
    public final StreamName stream() {
        return stream;
    }

    @Override
    public final List<StreamEvent> poll(int maxCount, Duration wait) {
        ensureOpen();
        Checks.count(maxCount, limits);
        Checks.wait(wait);
        List<StreamEvent> events;
        try {
            events = doPoll(maxCount, wait);
        } catch (RuntimeException e) {
            if (closed) {
                throw new StreamException(ErrorKind.CLOSED, description + " was closed during the poll", e);
            }
            throw e;
        }
        if (events.isEmpty()) {
            ensureOpen(); // woken by close: the blocked poll ends CLOSED (events read are still returned)
        }
        return events;
    }

    /**
     * Reads up to {@code maxCount} events after the cursor, waiting up to {@code wait} for the first
     * one, and advances the cursor past what it returns. Arguments are already checked. Must return
     * promptly once {@link #doClose()} ran.
     */
    protected abstract List<StreamEvent> doPoll(int maxCount, Duration wait);

    /** Releases what the reader holds and wakes a blocked {@link #doPoll}; called once. */
    protected abstract void doClose();

    @Override
    public final void close() {
        if (closed) {
            return;
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            doClose();
        } finally {
            Runnable r = onClose;
            if (r != null) {
                r.run();
            }
        }
    }

    /** Whether {@link #close()} ran (or the client closed this reader). */
    protected final boolean isClosed() {
        return closed;
    }

    /** Fails with {@link ErrorKind#CLOSED} once closed. */
    protected final void ensureOpen() {
        if (closed) {
            throw StreamException.closed(description);
        }
    }

    /** What this reader is, for messages. */
    protected final String description() {
        return description;
    }

    final void onClose(Runnable r) {
        this.onClose = r;
    }

    @Override
    public String toString() {
        return description + (closed ? " (closed)" : "");
    }
}
