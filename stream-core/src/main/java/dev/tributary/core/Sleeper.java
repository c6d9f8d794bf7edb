package dev.tributary.core;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

/**
 * How core code waits. Injected wherever there is backoff, so that a test can pass a sleeper that
 * advances a fake {@link java.time.Clock} instead of waiting.
 *
 * <p>Processors never call {@link #sleep} with more than a short slice at once (they re-check for a
 * stop request between slices), so a stop is noticed promptly with the system sleeper too.
 */
public interface Sleeper {

    /** Blocks the calling thread for {@code duration}. */
    void sleep(Duration duration) throws InterruptedException;

    /**
     * Completes after {@code duration} without blocking the caller; continuations run on
     * {@code executor}. The default uses {@link CompletableFuture#delayedExecutor}; a test sleeper
     * overrides it to complete at once.
     */
    default CompletableFuture<Void> delay(Duration duration, Executor executor) {
        if (duration.isZero() || duration.isNegative()) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.runAsync(
                () -> {}, CompletableFuture.delayedExecutor(duration.toNanos(), TimeUnit.NANOSECONDS, executor));
    }

    /** {@link #delay(Duration, Executor)} on the common pool. */
    default CompletableFuture<Void> delay(Duration duration) {
        return delay(duration, ForkJoinPool.commonPool());
    }

    /** The real thing: {@link Thread#sleep}. */
    static Sleeper system() {
        return SystemSleeper.INSTANCE;
    }
}

/** The system sleeper. */
enum SystemSleeper implements Sleeper {
    INSTANCE;

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        if (duration.isZero() || duration.isNegative()) {
            return;
        }
        long nanos = duration.toNanos();
        Thread.sleep(nanos / 1_000_000L, (int) (nanos % 1_000_000L));
    }
}
