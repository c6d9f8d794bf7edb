package dev.tributary.benchmarks;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Counts what a listener-driven side (a processor, a listener container) consumed, and waits until it has
 * all of it: no buffer, just a counter and a latch. A run fails when nothing new arrives for
 * {@link Window#STALL_SECONDS} or the side reports an error.
 */
final class Progress {
    private final long target;
    private final AtomicLong count = new AtomicLong();
    private final CountDownLatch done = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    Progress(long target) {
        this.target = target;
    }

    /** {@code n} more events handled. */
    void add(long n) {
        if (count.addAndGet(n) >= target) {
            done.countDown();
        }
    }

    void fail(Throwable t) {
        failure.compareAndSet(null, t);
        done.countDown();
    }

    /**
     * Waits for the target; {@code failed} is asked for a failure the side knows of (e.g. a processor's
     * state) every time the wait wakes up.
     */
    void await(Supplier<Throwable> failed) throws Exception {
        long last = -1;
        long lastChange = System.nanoTime();
        while (!done.await(250, TimeUnit.MILLISECONDS)) {
            Throwable t = failed.get();
            if (t != null) {
                fail(t);
                break;
            }
            long now = count.get();
            if (now != last) {
                last = now;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > TimeUnit.SECONDS.toNanos(Window.STALL_SECONDS)) {
                throw new IllegalStateException("consumed " + now + " of " + target + " events; nothing new for "
                        + Window.STALL_SECONDS + " s");
            }
        }
        Throwable t = failure.get();
        if (t instanceof Exception e) {
            throw e;
        }
        if (t != null) {
            throw new IllegalStateException(t);
        }
    }

    long count() {
        return count.get();
    }
}
