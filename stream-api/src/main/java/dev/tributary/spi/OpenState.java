package dev.tributary.spi;

import dev.tributary.ErrorKind;
import dev.tributary.StreamException;
import java.util.List;
import java.util.function.Supplier;

/**
 * The closed flag of a client, reader or consumer, with the two behaviours they share: close runs
 * once, and a poll that fails or comes back empty because close ran meanwhile ends
 * {@link ErrorKind#CLOSED}. Package-private: the base classes' one copy of it.
 */
final class OpenState {
    private final String description;
    private volatile boolean closed;
    private volatile Runnable onClose;

    OpenState(String description) {
        this.description = description;
    }

    String description() {
        return description;
    }

    boolean isClosed() {
        return closed;
    }

    void ensureOpen() {
        if (closed) {
            throw StreamException.closed(description);
        }
    }

    /** Marks closed; true only for the first call. */
    synchronized boolean closeOnce() {
        if (closed) {
            return false;
        }
        closed = true;
        return true;
    }

    void onClose(Runnable r) {
        this.onClose = r;
    }

    /** Runs {@code doClose} on the first call only, then tells the owner (which stops tracking). */
    void close(Runnable doClose) {
        if (closed || !closeOnce()) {
            return;
        }
        try {
            doClose.run();
        } finally {
            Runnable r = onClose;
            if (r != null) {
                r.run();
            }
        }
    }

    /**
     * Runs a poll. A poll that fails after close ran ends CLOSED whatever the native client said; one
     * that comes back empty after close (woken by it) ends CLOSED; events already read are returned.
     */
    <T> List<T> poll(Supplier<List<T>> poll) {
        ensureOpen();
        List<T> events;
        try {
            events = poll.get();
        } catch (RuntimeException e) {
            if (closed) {
                throw new StreamException(ErrorKind.CLOSED, description + " was closed during the poll", e);
            }
            throw e;
        }
        if (events.isEmpty()) {
            ensureOpen();
        }
        return events;
    }

    @Override
    public String toString() {
        return description + (closed ? " (closed)" : "");
    }
}
