package dev.tributary.spi;

import dev.tributary.ErrorKind;
import dev.tributary.Limits;
import dev.tributary.StreamEvent;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What {@link AbstractStreamReader} and {@link AbstractGroupConsumer} share: the closed flag, the
 * checked {@link #poll} (closed → count → wait → {@link #doPoll}, and a poll woken or failed by
 * close ends {@link ErrorKind#CLOSED}) and the close-once sequence. Package-private: backends
 * extend the two public classes.
 */
abstract class PollingEndpoint implements AutoCloseable {
    private final Limits limits;
    private final OpenState state;

    PollingEndpoint(Limits limits, String description) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.state = new OpenState(Objects.requireNonNull(description, "description"));
    }

    /**
     * Up to {@code maxCount} events, waiting up to {@code wait} for the first; see the interface.
     * Events a poll already read are returned even if close ran meanwhile.
     */
    public final List<StreamEvent> poll(int maxCount, Duration wait) {
        state.ensureOpen();
        Checks.count(maxCount, limits);
        Checks.wait(wait);
        return state.poll(() -> doPoll(maxCount, wait));
    }

    /** The poll with checked arguments; must return promptly once {@link #doClose()} ran. */
    protected abstract List<StreamEvent> doPoll(int maxCount, Duration wait);

    /** Releases what this holds and wakes a blocked {@link #doPoll}; called once. */
    protected abstract void doClose();

    /** Idempotent: the first call runs {@link #doClose()} and tells the client, which stops tracking this. */
    @Override
    public final void close() {
        state.close(this::doClose);
    }

    /** Whether {@link #close()} ran (or the client closed this). */
    protected final boolean isClosed() {
        return state.isClosed();
    }

    /** Fails with {@link ErrorKind#CLOSED} once closed. */
    protected final void ensureOpen() {
        state.ensureOpen();
    }

    /** What this is, for messages. */
    protected final String description() {
        return state.description();
    }

    final void onClose(Runnable r) {
        state.onClose(r);
    }

    @Override
    public String toString() {
        return state.toString();
    }
}
