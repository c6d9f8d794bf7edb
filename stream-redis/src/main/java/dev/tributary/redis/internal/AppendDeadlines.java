package dev.tributary.redis.internal;

import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the plain appends ({@code XADD}) of the shared connection by the request timeout, more
 * cheaply than Lettuce's per-command timer task (a timer entry created and cancelled for every
 * command, which at hundreds of thousands of appends a second costs a noticeable share of the
 * machine). Appends are registered in write order in one queue; a sweeper on a computation thread
 * runs every {@code clamp(timeout / 10, 1 ms, 100 ms)} (the granularity of Lettuce's own timer is
 * 100 ms), drops completed appends from the head and expires those past their deadline. Replies
 * come back in write order, so the queue's head is (nearly always) the oldest outstanding append.
 * Every other command keeps Lettuce's timeout ({@link #timeoutSource}). An expired append fails as a
 * Lettuce timeout would; its command stays on the connection and a late reply is ignored, exactly as
 * with Lettuce's timeout. Thread-safe.
 */
final class AppendDeadlines {
    private final long timeoutNanos;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final ScheduledFuture<?> sweeper;

    /** An append in flight: expired by {@link #sweep}, or completed by its reply, whichever comes first. */
    interface Pending {
        /** The {@link System#nanoTime()} after which it expires. */
        long deadline();

        boolean isDone();

        /** Fails the append with a timeout unless its reply completed it first. */
        void expire();
    }

    AppendDeadlines(Duration timeout, EventExecutor executor) {
        this.timeoutNanos = timeout.toNanos();
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(1), Math.min(TimeUnit.MILLISECONDS.toNanos(100),
                timeoutNanos / 10));
        this.sweeper = executor.scheduleAtFixedRate(this::sweep, period, period, TimeUnit.NANOSECONDS);
    }

    /** The Lettuce timeout of a command of the shared connection: none for XADD (tracked here). */
    static TimeoutOptions.TimeoutSource timeoutSource(Duration timeout) {
        long millis = Math.max(1, timeout.toMillis());
        return new TimeoutOptions.TimeoutSource() {
            @Override
            public long getTimeout(RedisCommand<?, ?, ?> command) {
                return command.getType() == CommandType.XADD ? 0 : millis;
            }
        };
    }

    /** The deadline of an append written now. */
    long deadlineFromNow() {
        return System.nanoTime() + timeoutNanos;
    }

    /** Registers an append just written; call in write order. */
    void track(Pending p) {
        queue.offer(p);
    }

    void sweep() {
        long now = System.nanoTime();
        Pending p;
        while ((p = queue.peek()) != null) {
            if (!p.isDone()) {
                if (now - p.deadline() < 0) {
                    return;
                }
                p.expire();
            }
            queue.remove(p);
        }
    }

    /** Drops completed appends from the head (called after each reply, so the queue stays short). */
    void dropDone() {
        Pending p;
        while ((p = queue.peek()) != null && p.isDone()) {
            queue.remove(p);
        }
    }

    /** Stops the sweeper. */
    void close() {
        sweeper.cancel(false);
    }

    /** Expires every append still queued (after the connection was shut down: nothing can answer them). */
    void expireAll() {
        Pending p;
        while ((p = queue.poll()) != null) {
            p.expire();
        }
    }
}
