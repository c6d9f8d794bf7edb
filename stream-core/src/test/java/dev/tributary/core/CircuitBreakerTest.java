package dev.tributary.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.core.CircuitBreaker.State;
import dev.tributary.core.testing.FakeTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
    private final FakeTime time = new FakeTime();
    private final List<String> transitions = new ArrayList<>();
    private final CircuitBreaker breaker = new CircuitBreaker(
            new CircuitBreaker.Settings(3, Duration.ofSeconds(10), 2),
            time,
            (from, to) -> transitions.add(from + "->" + to));

    private void fail() {
        assertTrue(breaker.tryAcquire(), "a call should be allowed before it fails");
        breaker.onFailure();
    }

    @Test
    void opensAfterTheThresholdOfConsecutiveFailures() {
        fail();
        fail();
        assertEquals(State.CLOSED, breaker.state());
        breaker.tryAcquire();
        breaker.onSuccess(); // a success clears the count
        fail();
        fail();
        assertEquals(State.CLOSED, breaker.state());
        fail();
        assertEquals(State.OPEN, breaker.state());
        assertFalse(breaker.tryAcquire(), "an open breaker refuses calls");
        assertEquals(Duration.ofSeconds(10), breaker.remainingOpen());
        assertEquals(List.of("CLOSED->OPEN"), transitions);
    }

    @Test
    void timelineClosedOpenHalfOpenOpenHalfOpenClosed() {
        fail();
        fail();
        fail();
        assertEquals(State.OPEN, breaker.state());

        time.advance(Duration.ofMillis(9_999));
        assertFalse(breaker.tryAcquire(), "still open 1 ms before the open duration ends");
        assertEquals(Duration.ofMillis(1), breaker.remainingOpen());

        time.advance(Duration.ofMillis(1));
        assertTrue(breaker.tryAcquire(), "half-open lets one trial call through");
        assertEquals(State.HALF_OPEN, breaker.state());
        assertFalse(breaker.tryAcquire(), "only one trial call at a time");
        breaker.onFailure();
        assertEquals(State.OPEN, breaker.state(), "a failed trial opens it again");
        assertEquals(Duration.ofSeconds(10), breaker.remainingOpen(), "open time restarts at the failed trial");

        time.advance(Duration.ofSeconds(10));
        assertTrue(breaker.tryAcquire());
        breaker.onSuccess();
        assertEquals(State.HALF_OPEN, breaker.state(), "two successes are needed to close");
        assertTrue(breaker.tryAcquire());
        breaker.onSuccess();
        assertEquals(State.CLOSED, breaker.state());

        assertEquals(
                List.of("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED"),
                transitions);
    }

    @Test
    void resetClosesAndClearsCounts() {
        fail();
        fail();
        fail();
        breaker.reset();
        assertEquals(State.CLOSED, breaker.state());
        fail();
        fail();
        assertEquals(State.CLOSED, breaker.state(), "counts start over after reset");
        assertEquals(List.of("CLOSED->OPEN", "OPEN->CLOSED"), transitions);
    }

    /** Fails every call until {@code outageEnd}, probing whenever the breaker lets a call through; returns the first success. */
    private static Instant rideOut(CircuitBreaker b, FakeTime time, Instant outageEnd) {
        while (true) {
            if (b.tryAcquire()) {
                if (time.instant().isBefore(outageEnd)) {
                    b.onFailure();
                } else {
                    b.onSuccess();
                    return time.instant();
                }
            } else {
                Duration left = b.remainingOpen();
                time.advance(left.isZero() ? Duration.ofMillis(1) : left);
            }
        }
    }

    @Test
    void withAProbeBackoffTheOpenPeriodsStartShortGrowAndStopAtTheOpenDuration() {
        Backoff probes = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(30));
        CircuitBreaker b = new CircuitBreaker(
                new CircuitBreaker.Settings(1, Duration.ofSeconds(1), 1), probes, new SplittableRandom(9), time, null);
        List<Duration> periods = new ArrayList<>();
        for (int n = 1; n <= 40; n++) {
            assertTrue(b.tryAcquire());
            b.onFailure();
            Duration period = b.remainingOpen();
            periods.add(period);
            Duration ceiling =
                    probes.ceiling(n).compareTo(Duration.ofSeconds(1)) < 0 ? probes.ceiling(n) : Duration.ofSeconds(1);
            assertTrue(period.compareTo(ceiling) <= 0, "opening " + n + " lasts " + period + ", ceiling " + ceiling);
            time.advance(period);
        }
        assertTrue(periods.get(0).compareTo(Duration.ofMillis(100)) <= 0, "a short first probe");
        assertTrue(
                periods.stream().skip(4).anyMatch(d -> d.compareTo(Duration.ofMillis(500)) > 0), "grown: " + periods);
        assertTrue(periods.stream().skip(4).distinct().count() > 10, "jittered, not one fixed period: " + periods);

        assertTrue(b.tryAcquire());
        b.onSuccess();
        assertEquals(State.CLOSED, b.state());
        assertTrue(b.tryAcquire());
        b.onFailure();
        assertTrue(b.remainingOpen().compareTo(Duration.ofMillis(100)) <= 0, "closing starts the growth over");
    }

    @Test
    void afterAnOutageOfAnyLengthTheNextProbeComesWithinAboutASecondOnceCallsSucceed() {
        for (int seconds : new int[] {3, 10, 60, 600}) {
            for (long seed = 0; seed < 20; seed++) {
                FakeTime t = new FakeTime();
                CircuitBreaker b = new CircuitBreaker(
                        CircuitBreaker.Settings.defaults(), Backoff.defaults(), new SplittableRandom(seed), t, null);
                Instant back = t.instant().plusSeconds(seconds);
                Instant probed = rideOut(b, t, back);
                Duration late = Duration.between(back, probed);
                assertTrue(
                        late.compareTo(Duration.ofSeconds(1)) <= 0,
                        "outage of " + seconds + " s (seed " + seed + "): first success " + late
                                + " after the source was back");
                assertEquals(State.CLOSED, b.state());
            }
        }
    }

    @Test
    void aShortOutageIsProbedSoonerThanTheCapTheBackoffScalesTheBound() {
        // 300 ms of outage with 5 failures in a row: the open periods so far are at most 100, 200, 400 ms
        FakeTime t = new FakeTime();
        CircuitBreaker b = new CircuitBreaker(
                CircuitBreaker.Settings.defaults(), Backoff.defaults(), new SplittableRandom(1), t, null);
        Instant back = t.instant().plusMillis(300);
        Duration late = Duration.between(back, rideOut(b, t, back));
        assertTrue(late.compareTo(Duration.ofMillis(400)) <= 0, "within the backoff step reached: " + late);
    }

    @Test
    void withoutAProbeBackoffTheOpenPeriodIsTheFixedOpenDuration() {
        Instant back = time.instant().plusSeconds(3);
        Duration late = Duration.between(back, rideOut(breaker, time, back));
        assertEquals(Duration.ofSeconds(7), late, "the fixed 10 s period: the old behaviour, still available");
    }
}
