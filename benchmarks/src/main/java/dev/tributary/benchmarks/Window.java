package dev.tributary.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * At most {@link #LIMIT} asynchronous operations in flight (the bound every asynchronous side shares), the
 * first failure kept, and a wait for all of them at the end. Also the events' payload.
 */
final class Window {
    /** Operations in flight at most, as in {@code tributary bench}. */
    static final int LIMIT = 5_000;
    /** Bytes per event. */
    static final int PAYLOAD_BYTES = 100;
    /** How long a run may go without an acknowledgement or a consumed event before it fails. */
    static final long STALL_SECONDS = 60;

    private final Semaphore permits = new Semaphore(LIMIT);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    /** Waits for room for one more operation; throws the first failure seen. */
    void acquire() throws Exception {
        while (!permits.tryAcquire(STALL_SECONDS, TimeUnit.SECONDS)) {
            rethrow();
            throw new IllegalStateException(
                    LIMIT + " operations in flight and none acknowledged within " + STALL_SECONDS + " s");
        }
        rethrow();
    }

    /** Records one operation's outcome (null: success) and frees its room. */
    void complete(Throwable error) {
        if (error != null) {
            failure.compareAndSet(null, error);
        }
        permits.release();
    }

    /** Waits until every operation completed; throws the first failure seen. */
    void awaitAll() throws Exception {
        if (!permits.tryAcquire(LIMIT, STALL_SECONDS, TimeUnit.SECONDS)) {
            rethrow();
            throw new IllegalStateException((LIMIT - permits.availablePermits())
                    + " operations still unacknowledged after " + STALL_SECONDS + " s");
        }
        permits.release(LIMIT);
        rethrow();
    }

    private void rethrow() throws Exception {
        Throwable t = failure.get();
        if (t instanceof Exception e) {
            throw e;
        }
        if (t != null) {
            throw new IllegalStateException(t);
        }
    }

    /** A payload of printable ASCII (no compression gains, valid UTF-8 everywhere). */
    static byte[] payload() {
        SplittableRandom r = new SplittableRandom(21);
        byte[] b = new byte[PAYLOAD_BYTES];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) ('a' + r.nextInt(26));
        }
        return b;
    }
}
