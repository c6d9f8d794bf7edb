package dev.tributary.core;

import java.time.Duration;

/**
 * How often a failing handler is called for one event (or batch) before the event goes to the
 * dead-letter stream, and how long to wait in between.
 *
 * @param maxAttempts calls in total, 1 (no retry) to 1000
 * @param backoff     delays between calls
 */
public record RetryPolicy(int maxAttempts, Backoff backoff) {
    public RetryPolicy {
        if (maxAttempts < 1 || maxAttempts > 1000) {
            throw new IllegalArgumentException("maxAttempts must be 1 to 1000, got " + maxAttempts);
        }
        if (backoff == null) {
            throw new IllegalArgumentException("backoff must not be null");
        }
    }

    /** 3 attempts, 100 ms doubling up to 5 s. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(3, Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(5)));
    }

    /** One attempt: a failure goes to the dead-letter stream at once. */
    public static RetryPolicy noRetry() {
        return new RetryPolicy(1, Backoff.exponential(Duration.ofMillis(1), Duration.ofMillis(1)));
    }

    /** {@code maxAttempts} attempts with {@code backoff} between them. */
    public static RetryPolicy of(int maxAttempts, Backoff backoff) {
        return new RetryPolicy(maxAttempts, backoff);
    }
}
