package dev.tributary.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.core.CircuitBreaker.State;
import dev.tributary.core.testing.FakeTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
    private final FakeTime time = new FakeTime();
    private final List<String> transitions = new ArrayList<>();
    private final CircuitBreaker breaker = new CircuitBreaker(
            new CircuitBreaker.Settings(3, Duration.ofSeconds(10), 2), time,
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

        assertEquals(List.of("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->OPEN", "OPEN->HALF_OPEN",
                "HALF_OPEN->CLOSED"), transitions);
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
}
