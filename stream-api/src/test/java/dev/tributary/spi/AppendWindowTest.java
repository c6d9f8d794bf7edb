package dev.tributary.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ErrorKind;
import dev.tributary.StreamException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AppendWindowTest {

    private static ErrorKind kind(AppendWindow.Append<?> a) {
        assertTrue(a.isCompletedExceptionally(), "expected a failed append");
        try {
            a.join();
            throw new AssertionError("unreachable");
        } catch (CompletionException e) {
            return ((StreamException) e.getCause()).kind();
        }
    }

    @Test
    void aFullWindowFailsTheFutureWithBackpressureAfterTheTimeoutAndRunsBeforeWaitOnce() {
        AtomicInteger flushes = new AtomicInteger();
        AppendWindow w = new AppendWindow("test client", 2, Duration.ofMillis(50), flushes::incrementAndGet);
        AppendWindow.Append<String> a = w.open(1);
        AppendWindow.Append<String> b = w.open(1);
        assertFalse(a.isDone());
        assertEquals(2, w.inFlight());
        AppendWindow.Append<String> c = w.open(1);
        assertEquals(ErrorKind.BACKPRESSURE, kind(c));
        assertEquals(1, flushes.get());
        assertTrue(w.inFlight() <= 2, "a refused append holds no room");
        a.complete("1");
        b.completeExceptionally(new StreamException(ErrorKind.RETRYABLE, "x"));
        assertEquals(0, w.inFlight(), "room goes back on success and on failure");
        w.close(Duration.ZERO);
    }

    @Test
    void anAppendTellsHowLongItsDeadlineLeavesWithinTheWindowsTimeout() {
        AppendWindow w = new AppendWindow("test client", 2, Duration.ofSeconds(30), null);
        AppendWindow.Append<String> a = w.open(1);
        long left = a.remainingNanos();
        assertTrue(left > Duration.ofSeconds(29).toNanos(), "just opened: about the 30 s timeout left, was " + left);
        assertTrue(left <= Duration.ofSeconds(30).toNanos(), "never more than the timeout");
        assertTrue(a.remainingNanos() <= left, "it only shrinks");
        a.complete("1");
        w.close(Duration.ZERO);
    }

    @Test
    void aWaiterWhoseRoomWasFreedByExpiriesFailsBackpressureAndSendsNothing() {
        // whether the wait ends by its own timeout or by the expiry of a and b (both ~300 ms), the
        // answer is BACKPRESSURE: never room taken from appends the broker left unanswered
        AppendWindow w = new AppendWindow("test client", 2, Duration.ofMillis(300), null);
        AppendWindow.Append<String> a = w.open(1);
        a.sent();
        w.open(1).sent();
        long t0 = System.nanoTime();
        AppendWindow.Append<String> late = w.open(1); // the broker never answers: a and b expire at ~300 ms
        assertEquals(ErrorKind.BACKPRESSURE, kind(late));
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos());
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (w.inFlight() > 0 && System.nanoTime() < end) {
            Thread.onSpinWait();
        }
        assertEquals(0, w.inFlight(), "once a and b expired nothing is in flight: the refused waiter holds no room");
        w.close(Duration.ZERO);
    }

    @Test
    void roomFreedByAnAppendTheNativeClientGaveUpOnCountsAsAnExpiry() throws Exception {
        AppendWindow w = new AppendWindow("test client", 1, Duration.ofSeconds(10), null);
        AppendWindow.Append<String> a = w.open(1);
        a.sent();
        Thread giveUp = new Thread(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
            a.failUnanswered(new StreamException(ErrorKind.INDETERMINATE, "delivery timeout"));
        });
        giveUp.start();
        assertEquals(ErrorKind.BACKPRESSURE, kind(w.open(1)), "a broker that does not answer gets no more appends");
        giveUp.join();
        assertEquals(ErrorKind.INDETERMINATE, kind(a));
        assertEquals(0, w.inFlight());
        w.close(Duration.ZERO);
    }

    @Test
    void aWaiterGetsRoomThatAnAnswerFreed() throws Exception {
        AppendWindow w = new AppendWindow("test client", 1, Duration.ofSeconds(10), null);
        AppendWindow.Append<String> a = w.open(1);
        a.sent();
        Thread answer = new Thread(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
            a.complete("1");
        });
        answer.start();
        AppendWindow.Append<String> next = w.open(1);
        assertFalse(next.isDone(), "room freed by an answer goes to the waiter");
        answer.join();
        next.complete("2");
        w.close(Duration.ZERO);
    }

    @Test
    void roomGoesBackExactlyOnceWhateverCompletesTheFuture() {
        AppendWindow w = new AppendWindow("test client", 3, Duration.ofSeconds(5), null);
        AppendWindow.Append<String> a = w.open(1);
        a.complete("1");
        a.complete("again");
        a.completeExceptionally(new RuntimeException());
        a.cancel(true);
        AppendWindow.Append<String> b = w.open(1);
        b.cancel(false);
        assertEquals(0, w.inFlight());
        w.close(Duration.ZERO);
    }

    @Test
    void aBatchLargerThanTheWindowTakesTheWholeWindow() {
        AppendWindow w = new AppendWindow("test client", 4, Duration.ofMillis(20), null);
        AppendWindow.Append<String> a = w.open(10);
        assertFalse(a.isDone());
        assertEquals(4, w.inFlight());
        assertEquals(ErrorKind.BACKPRESSURE, kind(w.open(1)));
        a.complete("ok");
        assertEquals(0, w.inFlight());
        w.close(Duration.ZERO);
    }

    @Test
    void aLateSentAppendExpiresIndeterminateAndAnUnsentOneRetryable() throws Exception {
        AppendWindow w = new AppendWindow("test client", 10, Duration.ofMillis(30), null);
        AppendWindow.Append<String> sent = w.open(1);
        sent.sent();
        AppendWindow.Append<String> unsent = w.open(1);
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while ((!sent.isDone() || !unsent.isDone()) && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        assertEquals(ErrorKind.INDETERMINATE, kind(sent));
        assertEquals(ErrorKind.RETRYABLE, kind(unsent));
        assertEquals(0, w.inFlight());
        assertFalse(sent.complete("late"), "a late answer is ignored");
        w.close(Duration.ZERO);
    }

    @Test
    void closeSettlesSentAppendsIndeterminateAndUnsentOnesClosedAndRefusesNewOnes() {
        AppendWindow w = new AppendWindow("test client", 10, Duration.ofSeconds(30), null);
        AppendWindow.Append<String> sent = w.open(1);
        sent.sent();
        AppendWindow.Append<String> unsent = w.open(1);
        AppendWindow.Append<String> answered = w.open(1);
        answered.sent();
        answered.complete("id");
        assertEquals(2, w.close(Duration.ofMillis(20)));
        assertEquals(ErrorKind.INDETERMINATE, kind(sent));
        assertEquals(ErrorKind.CLOSED, kind(unsent));
        assertEquals("id", answered.join());
        assertEquals(ErrorKind.CLOSED, kind(w.open(1)));
        assertEquals(0, w.inFlight());
    }

    @Test
    void closeWaitsForPendingAppendsThatAreAnsweredWithinTheGrace() throws Exception {
        AppendWindow w = new AppendWindow("test client", 10, Duration.ofSeconds(30), null);
        AppendWindow.Append<String> a = w.open(1);
        a.sent();
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
            a.complete("id");
        });
        t.start();
        assertEquals(0, w.close(Duration.ofSeconds(10)));
        assertEquals("id", a.join());
        t.join();
    }

    @Test
    void anInterruptedWaitFailsRetryableAndKeepsTheInterruptFlag() {
        AppendWindow w = new AppendWindow("test client", 1, Duration.ofSeconds(30), null);
        w.open(1);
        Thread.currentThread().interrupt();
        try {
            assertEquals(ErrorKind.RETRYABLE, kind(w.open(1)));
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
            w.close(Duration.ZERO);
        }
    }

    @Test
    void aWindowMustHoldAtLeastOneRecordAndAPositiveTimeout() {
        assertEquals(
                ErrorKind.INVALID_ARGUMENT, assertKind(() -> new AppendWindow("c", 0, Duration.ofSeconds(1), null)));
        assertEquals(ErrorKind.INVALID_ARGUMENT, assertKind(() -> new AppendWindow("c", 1, Duration.ZERO, null)));
    }

    private static ErrorKind assertKind(Runnable r) {
        try {
            r.run();
        } catch (StreamException e) {
            return e.kind();
        }
        throw new AssertionError("expected a StreamException");
    }
}
