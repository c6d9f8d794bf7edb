package dev.tributary.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), 2.0);

    @Test
    void ceilingDoublesFromInitialAndStopsAtTheCap() {
        List<Long> ceilings = new ArrayList<>();
        for (int attempt = 1; attempt <= 10; attempt++) {
            ceilings.add(backoff.ceiling(attempt).toMillis());
        }
        assertEquals(List.of(100L, 200L, 400L, 800L, 1600L, 3200L, 5000L, 5000L, 5000L, 5000L), ceilings);
        assertEquals(Duration.ofSeconds(5), backoff.ceiling(10_000), "huge attempt numbers stay at the cap");
    }

    @Test
    void everyDelayLiesBetweenZeroAndItsCeiling() {
        SplittableRandom random = new SplittableRandom(42);
        for (int attempt = 1; attempt <= 30; attempt++) {
            for (int i = 0; i < 200; i++) {
                Duration d = backoff.delay(attempt, random);
                assertTrue(
                        !d.isNegative() && d.compareTo(backoff.ceiling(attempt)) <= 0,
                        "attempt " + attempt + " delay " + d + " outside [0, " + backoff.ceiling(attempt) + "]");
                assertTrue(d.compareTo(Duration.ofSeconds(5)) <= 0, "delay above the cap: " + d);
            }
        }
    }

    @Test
    void fullJitterSpreadsDelaysOverTheWholeRange() {
        SplittableRandom random = new SplittableRandom(7);
        for (int attempt : new int[] {1, 4, 12}) {
            long ceil = backoff.ceiling(attempt).toNanos();
            long min = Long.MAX_VALUE;
            long max = 0;
            double sum = 0;
            int n = 2000;
            for (int i = 0; i < n; i++) {
                long d = backoff.delay(attempt, random).toNanos();
                min = Math.min(min, d);
                max = Math.max(max, d);
                sum += d;
            }
            assertTrue(min < ceil * 0.05, "attempt " + attempt + ": smallest delay " + min + " should be near 0");
            assertTrue(max > ceil * 0.95, "attempt " + attempt + ": largest delay " + max + " should be near " + ceil);
            double mean = sum / n;
            assertTrue(
                    mean > ceil * 0.4 && mean < ceil * 0.6,
                    "attempt " + attempt + ": mean " + mean + " should be about half of " + ceil);
        }
    }

    @Test
    void theSameSeedGivesTheSameSequence() {
        SplittableRandom a = new SplittableRandom(3);
        SplittableRandom b = new SplittableRandom(3);
        for (int attempt = 1; attempt <= 20; attempt++) {
            assertEquals(backoff.delay(attempt, a), backoff.delay(attempt, b));
        }
    }

    @Test
    void invalidSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 2));
        assertThrows(
                IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 2));
        assertThrows(
                IllegalArgumentException.class, () -> new Backoff(Duration.ofMillis(1), Duration.ofSeconds(1), 0.5));
        assertThrows(
                IllegalArgumentException.class,
                () -> new Backoff(Duration.ofMillis(1), Duration.ofSeconds(1), Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> backoff.ceiling(0));
    }
}
