package dev.tributary.redis.internal;

import io.lettuce.core.api.StatefulConnection;
import io.netty.channel.Channel;
import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Coalesces the flushes of the shared connection, whose auto-flush is off (the idea of Netty's
 * {@code FlushConsolidationHandler}). Every command written to the connection is followed by
 * {@link #request()}; at most one flush task is outstanding, and it runs on the connection's event
 * loop as soon as the loop gets to it, flushing every command written until then with one write to
 * the socket. A lone command is therefore flushed at once (no timer), while a burst of commands
 * written while the loop is busy (reading replies) goes out in one flush.
 *
 * <p>Order: Lettuce's command buffer is FIFO and only this flusher drains it, one flush at a time
 * (under a lock), so commands reach the socket in the order they were written. A flush that runs off
 * the channel's event loop (channel not yet known, or moved to another loop by a reconnect) hands
 * its writes to the loop as tasks; the first flush on a new executor therefore re-queues itself once
 * behind them before it writes directly. Thread-safe.
 */
final class Flusher implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Flusher.class);

    private final StatefulConnection<?, ?> connection;
    private final SharedChannel channel;
    private final EventExecutor fallback;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Object lock = new Object();
    /** The executor of the previous flush; guarded by {@link #lock}. */
    private EventExecutor last;
    /** Writes what a writer gathered for the next flush (the appender's pending run); may be null. */
    private volatile Runnable beforeFlush;

    Flusher(StatefulConnection<?, ?> connection, SharedChannel channel, EventExecutor fallback) {
        this.connection = connection;
        this.channel = channel;
        this.fallback = fallback;
    }

    /**
     * Sets what runs on the event loop just before each flush (after the flush is due, so a command
     * gathered after it schedules the next flush). It must not block.
     */
    void beforeFlush(Runnable writer) {
        this.beforeFlush = writer;
    }

    /** Makes sure that a flush runs after every command written before this call. */
    void request() {
        if (scheduled.compareAndSet(false, true)) {
            submit(target());
        }
    }

    /** Where the next flush runs: the shared connection's event loop (or the fallback before it is known). */
    EventExecutor target() {
        Channel c = channel.current();
        return c != null && c.isRegistered() ? c.eventLoop() : fallback;
    }

    private void submit(EventExecutor executor) {
        try {
            executor.execute(this);
        } catch (RejectedExecutionException e) {
            // the client is shutting down; its close cancels the buffered commands
            scheduled.set(false);
        }
    }

    @Override
    public void run() {
        synchronized (lock) {
            EventExecutor target = target();
            if (!target.inEventLoop()) {
                submit(target);
                return;
            }
            if (target != last) {
                // go behind any writes an earlier flush on another executor queued on this one
                last = target;
                submit(target);
                return;
            }
            // reset before draining: a command written after the drain schedules the next flush
            scheduled.set(false);
            try {
                Runnable writer = beforeFlush;
                if (writer != null) {
                    writer.run();
                }
                connection.flushCommands();
            } catch (RuntimeException e) {
                // the commands fail on their own (timeout, connection loss); nothing to add here
                LOG.debug("flushing the shared connection failed: {}", e.toString());
            }
        }
    }
}
