package dev.tributary.core.internal;

import dev.tributary.ErrorKind;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The publisher's count of unresolved values: at most {@code max} at a time, a bounded wait for room
 * when full, and a wait until none is left. Thread-safe.
 *
 * <p>A publisher that found the window full is woken once a {@linkplain #slice() slice} of it is free
 * again (a quarter of it), not at every answer: a broker answers a pipeline in bursts, and waking the
 * publishing thread for each answer of a burst cost a thread hand-over per value. Its wait for room
 * still ends with room for one when {@code whenFull} runs out first.
 */
public final class InFlight {
    private final StreamName stream;
    private final int max;
    private final int slice;
    private final Duration whenFull;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition room = lock.newCondition();
    private final Condition idle = lock.newCondition();
    private int count;
    private int waiting;

    /** Room for {@code max} values to {@code stream}; {@link #acquire()} waits up to {@code whenFull}. */
    public InFlight(StreamName stream, int max, Duration whenFull) {
        this.stream = stream;
        this.max = max;
        this.slice = Math.max(1, max / 4);
        this.whenFull = whenFull;
    }

    /**
     * Takes room for one value, waiting up to {@code whenFull}.
     *
     * @throws StreamException {@link ErrorKind#BACKPRESSURE} when no room came in time or the wait
     *                         was interrupted
     */
    public void acquire() {
        lock.lock();
        try {
            if (count >= max) {
                awaitRoom();
            }
            count++;
        } finally {
            lock.unlock();
        }
    }

    /**
     * With the lock held and the window full: waits for the signal that a slice is free (or, once
     * {@code whenFull} ran out, for room for one).
     */
    private void awaitRoom() {
        long left = whenFull.toNanos();
        waiting++;
        try {
            do {
                if (left <= 0) {
                    throw new StreamException(
                            ErrorKind.BACKPRESSURE,
                            max + " values are already in flight to '" + stream + "' (waited " + whenFull.toMillis()
                                    + " ms); publish more slowly or raise maxInFlight");
                }
                left = room.awaitNanos(left);
            } while (count >= max);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StreamException(
                    ErrorKind.BACKPRESSURE, "interrupted while waiting for room to publish to '" + stream + "'", e);
        } finally {
            waiting--;
        }
    }

    /** Gives back the room of one resolved value. */
    public void release() {
        lock.lock();
        try {
            count--;
            if (waiting > 0 && count == max - slice) {
                room.signalAll();
            }
            if (count == 0) {
                idle.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Values in flight now. */
    public int count() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }

    /** The most values in flight at a time. */
    public int max() {
        return max;
    }

    /** How much of the window must be free again before a publisher that found it full is woken. */
    int slice() {
        return slice;
    }

    /** Whether a publisher waits for room now. */
    boolean hasWaiters() {
        lock.lock();
        try {
            return waiting > 0;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until nothing is in flight, at most {@code timeout}; returns whether that holds. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (count > 0) {
                if (left <= 0) {
                    return false;
                }
                left = idle.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }
}
