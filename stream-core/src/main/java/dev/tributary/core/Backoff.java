package dev.tributary.core;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter and a cap.
 *
 * <p>For attempt {@code n} (1 for the first retry) the <em>ceiling</em> is
 * {@code min(max, initial × multiplier^(n-1))}, and the delay is drawn uniformly from
 * {@code [0, ceiling]} ("full jitter": concurrent clients that failed together do not retry
 * together). The ceiling never exceeds {@code max}, so the delays stop growing at the cap.
 *
 * @param initial    ceiling of the first retry, 1 ms to 1 h
 * @param max        the cap, at least {@code initial} and at most 1 h
 * @param multiplier growth per attempt, 1.0 to 100.0
 */
public record Backoff(Duration initial, Duration max, double multiplier) {
    private static final Duration ONE_HOUR = Duration.ofHours(1);

    public Backoff {
        if (initial == null || initial.compareTo(Duration.ofMillis(1)) < 0 || initial.compareTo(ONE_HOUR) > 0) {
            throw new IllegalArgumentException("backoff initial delay must be 1 ms to 1 h, got " + initial);
        }
        if (max == null || max.compareTo(initial) < 0 || max.compareTo(ONE_HOUR) > 0) {
            throw new IllegalArgumentException(
                    "backoff cap must be between the initial delay (" + initial + ") and 1 h, got " + max);
        }
        if (!(multiplier >= 1.0 && multiplier <= 100.0)) {
            throw new IllegalArgumentException("backoff multiplier must be 1.0 to 100.0, got " + multiplier);
        }
    }

    /** 100 ms doubling up to 30 s: the default around a processor's source. */
    public static Backoff defaults() {
        return new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30), 2.0);
    }

    /** Doubling from {@code initial} up to {@code max}. */
    public static Backoff exponential(Duration initial, Duration max) {
        return new Backoff(initial, max, 2.0);
    }

    /** The upper bound of the delay before retry number {@code attempt} (1-based). */
    public Duration ceiling(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt is 1-based, got " + attempt);
        }
        double nanos = initial.toNanos() * Math.pow(multiplier, attempt - 1);
        long capNanos = max.toNanos();
        return nanos >= capNanos || Double.isInfinite(nanos) ? max : Duration.ofNanos((long) nanos);
    }

    /** A delay for retry number {@code attempt}, uniform in {@code [0, ceiling(attempt)]}. */
    public Duration delay(int attempt, RandomGenerator random) {
        long ceil = ceiling(attempt).toNanos();
        return Duration.ofNanos(random.nextLong(ceil + 1));
    }

    /** {@link #delay(int, RandomGenerator)} with {@link ThreadLocalRandom}. */
    public Duration delay(int attempt) {
        return delay(attempt, ThreadLocalRandom.current());
    }
}
