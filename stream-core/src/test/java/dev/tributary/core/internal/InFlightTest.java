package dev.tributary.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ErrorKind;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The publisher's window: bounded, woken by slices when full, bounded in its wait. */
class InFlightTest {
    private static final StreamName STREAM = StreamName.of("orders");

    private static InFlight full(int max, Duration whenFull) {
        InFlight w = new InFlight(STREAM, max, whenFull);
        for (int i = 0; i < max; i++) {
            w.acquire();
        }
        return w;
    }

    @Test
    void aPublisherThatFoundTheWindowFullIsWokenOnceAQuarterOfItIsFreeNotAtTheFirstAnswer() throws Exception {
        InFlight w = full(8, Duration.ofMinutes(1));
        assertEquals(2, w.slice());
        CompletableFuture<Void> waiter = CompletableFuture.runAsync(w::acquire);
        awaitWaiting(w);
        w.release();
        assertThrows(
                java.util.concurrent.TimeoutException.class,
                () -> waiter.get(300, TimeUnit.MILLISECONDS),
                "one answer with the window full must not wake the publisher");
        w.release();
        waiter.get(5, TimeUnit.SECONDS);
        assertEquals(7, w.count(), "8 taken, 2 given back, 1 taken by the woken publisher");
        w.acquire(); // room without waiting: not full
        assertEquals(8, w.count());
    }

    @Test
    void whenTheWaitRunsOutWithRoomForOneThePublisherTakesIt() throws Exception {
        InFlight w = full(8, Duration.ofMillis(300));
        CompletableFuture<Void> waiter = CompletableFuture.runAsync(w::acquire);
        awaitWaiting(w);
        w.release(); // room for one, less than a slice: no wake-up, but the wait's end takes it
        waiter.get(5, TimeUnit.SECONDS);
        assertEquals(8, w.count());
    }

    @Test
    void aWindowStillFullWhenTheWaitRunsOutFailsWithBackpressure() {
        InFlight w = full(4, Duration.ofMillis(100));
        StreamException e = assertThrows(StreamException.class, w::acquire);
        assertEquals(ErrorKind.BACKPRESSURE, e.kind());
        assertTrue(e.getMessage().contains("4 values are already in flight to 'orders'"), e.getMessage());
        assertEquals(4, w.count(), "nothing taken");
    }

    @Test
    void withoutAWaitAFullWindowFailsAtOnce() {
        InFlight w = full(1, Duration.ZERO);
        assertEquals(1, w.slice());
        assertEquals(
                ErrorKind.BACKPRESSURE,
                assertThrows(StreamException.class, w::acquire).kind());
        w.release();
        w.acquire();
        assertEquals(1, w.count());
    }

    @Test
    void awaitIdleReturnsWhenTheLastValueIsResolved() throws Exception {
        InFlight w = full(3, Duration.ZERO);
        assertFalse(w.awaitIdle(Duration.ofMillis(50)));
        CompletableFuture<Boolean> idle = CompletableFuture.supplyAsync(() -> {
            try {
                return w.awaitIdle(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
        w.release();
        w.release();
        w.release();
        assertTrue(idle.get(5, TimeUnit.SECONDS));
    }

    /** Waits until a thread waits for room. */
    private static void awaitWaiting(InFlight w) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!w.hasWaiters()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no publisher waited for room");
            }
            Thread.sleep(5);
        }
    }
}
