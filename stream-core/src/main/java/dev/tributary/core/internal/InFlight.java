package dev.tributary.core.internal;

import dev.tributary.ErrorKind;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The publisher's count of unresolved values: at most {@code max} at a time, a bounded wait for room
 * when full, and a wait until none is left. Thread-safe.
 */
public final class InFlight {
    private final StreamName stream;
    private final int max;
    private final Duration whenFull;
    private final Semaphore permits;
    private final Object idle = new Object();
    private int count;

    /** Room for {@code max} values to {@code stream}; {@link #acquire()} waits up to {@code whenFull}. */
    public InFlight(StreamName stream, int max, Duration whenFull) {
        this.stream = stream;
        this.max = max;
        this.whenFull = whenFull;
        this.permits = new Semaphore(max);
    }

    /**
     * Takes room for one value, waiting up to {@code whenFull}.
     *
     * @throws StreamException {@link ErrorKind#BACKPRESSURE} when no room came in time or the wait
     *                         was interrupted
     */
    public void acquire() {
        boolean ok;
        try {
            ok = whenFull.isZero()
                    ? permits.tryAcquire()
                    : permits.tryAcquire(whenFull.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StreamException(
                    ErrorKind.BACKPRESSURE, "interrupted while waiting for room to publish to '" + stream + "'", e);
        }
        if (!ok) {
            throw new StreamException(
                    ErrorKind.BACKPRESSURE,
                    max + " values are already in flight to '" + stream + "' (waited " + whenFull.toMillis()
                            + " ms); publish more slowly or raise maxInFlight");
        }
        synchronized (idle) {
            count++;
        }
    }

    /** Gives back the room of one resolved value. */
    public void release() {
        permits.release();
        synchronized (idle) {
            count--;
            if (count == 0) {
                idle.notifyAll();
            }
        }
    }

    /** Values in flight now. */
    public int count() {
        synchronized (idle) {
            return count;
        }
    }

    /** The most values in flight at a time. */
    public int max() {
        return max;
    }

    /** Waits until nothing is in flight, at most {@code timeout}; returns whether that holds. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (count > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                idle.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
            return true;
        }
    }
}
