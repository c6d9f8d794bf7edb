package dev.tributary.core.internal;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs a loop's next read on a thread of its own while the loop handles the batch it has, so the
 * processor does not wait for a read it could have overlapped (a Kafka consumer's fetch and parse, a
 * round trip to Redis or NATS). At most one read runs ahead; the loop decides when to start it and
 * how much it may read, and takes its result as if it had read itself: the events, or the read's
 * failure thrown as the read threw it. A result never taken is the caller's to give back
 * ({@link #leftOver}). The reader's thread is made on the first read ahead and ends with
 * {@link #close}.
 *
 * <p>Used by the loop's thread only; the source it reads is used by one thread at a time, since the
 * loop reads itself only when no read runs ahead.
 *
 * @param <R> what one read returns
 */
public final class ReadAhead<R> {
    private final ExecutorService reader;
    private Future<R> pending;

    public ReadAhead(ThreadFactory threads) {
        this.reader = Executors.newSingleThreadExecutor(threads);
    }

    /** Starts {@code read} on the reader's thread. One read at most runs ahead. */
    public void start(Supplier<R> read) {
        if (pending != null) {
            throw new IllegalStateException("a read already runs ahead");
        }
        pending = reader.submit(read::get);
    }

    /**
     * The result of the read that ran ahead, waiting for it, or, when none was started, {@code now}
     * run on the caller's thread. A failed read ahead throws what the read threw.
     *
     * @throws StopSignal when the caller is interrupted while it waits (a forced stop); the read stays
     *                    pending for {@link #leftOver}
     */
    public R next(Supplier<R> now) {
        Future<R> f = pending;
        if (f == null) {
            return now.get();
        }
        try {
            R r = f.get();
            pending = null;
            return r;
        } catch (ExecutionException e) {
            pending = null;
            throw rethrown(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StopSignal();
        }
    }

    /**
     * Waits at most {@code bound} for a read still ahead and returns what it read; empty when none
     * ran ahead, it failed, or it has not ended in time (closing its source ends it).
     */
    public Optional<R> leftOver(Duration bound) {
        Future<R> f = pending;
        pending = null;
        if (f == null) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(f.get(bound.toNanos(), TimeUnit.NANOSECONDS));
        } catch (ExecutionException | TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Ends the reader's thread, waiting at most {@code bound} for a read still running (close its source first). */
    public void close(Duration bound) {
        reader.shutdownNow();
        try {
            reader.awaitTermination(bound.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static RuntimeException rethrown(Throwable cause) {
        if (cause instanceof RuntimeException re) {
            return re;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        return new IllegalStateException(cause);
    }
}
