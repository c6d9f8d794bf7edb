package dev.tributary.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.StreamException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HistoryCheckerTest {
    private static final StreamException BOOM = new StreamException(ErrorKind.RETRYABLE, "boom");

    private static void append(HistoryChecker h, String key, long id) {
        h.invoked(key);
        h.ok(key, EventId.ofSequence(id));
    }

    /** An attempt to append {@code key} that failed "not stored". */
    private static void failedAttempt(HistoryChecker h, String key) {
        h.invoked(key);
        h.failed(key, BOOM);
    }

    /** An attempt to append {@code key} whose outcome is unknown (it may be stored). */
    private static void indeterminateAttempt(HistoryChecker h, String key) {
        h.invoked(key);
        h.indeterminate(key, BOOM);
    }

    @Test
    void cleanHistoryReportsNothing() {
        HistoryChecker h = new HistoryChecker("clean");
        for (int i = 0; i < 5; i++) {
            append(h, "p1/" + i, i);
        }
        for (int i = 0; i < 5; i++) {
            h.delivered("c", "p1/" + i, EventId.ofSequence(i));
        }
        HistoryChecker.Report r = h.report();
        assertTrue(r.clean(), r.summary());
        assertEquals(5, r.invoked());
        assertEquals(5, r.ok());
        assertEquals(5, r.deliveries());
        assertTrue(r.duplicates().isEmpty());
        assertTrue(r.summary().contains("CLEAN"));
    }

    @Test
    void aDeliveryUnderAnIdTheAppendDidNotReturnIsMismatched() {
        HistoryChecker h = new HistoryChecker("swapped");
        append(h, "p1/0", 1);
        append(h, "p2/0", 2);
        h.delivered("c", "p1/0", EventId.ofSequence(2)); // the futures got each other's ids
        h.delivered("c", "p2/0", EventId.ofSequence(1));
        HistoryChecker.Report r = h.report();
        assertFalse(r.clean(), r.summary());
        assertEquals(2, r.mismatched().size(), r.summary());
        assertTrue(r.summary().contains("mismatched ids 2"), r.summary());
    }

    @Test
    void aSecondCopyUnderAnotherIdBesideTheAcknowledgedOneIsACopyNotAMismatch() {
        HistoryChecker h = new HistoryChecker("stored twice by the client's own retry");
        append(h, "p1/0", 9); // the producer's retry was acknowledged as 9; its first request was written as 5
        h.delivered("c", "p1/0", EventId.ofSequence(5));
        h.delivered("c", "p1/0", EventId.ofSequence(9));
        HistoryChecker.Report r = h.report();
        assertTrue(r.clean(), r.summary());
        assertEquals(List.of(), r.mismatched(), r.summary());
        assertEquals(1, r.copies().size(), r.summary());
        assertTrue(r.summary().contains("stored again under other ids 1"), r.summary());
        assertEquals(1, r.duplicateDeliveries(), r.summary());
    }

    @Test
    void aKeyDeliveredOnlyUnderAnotherIdIsMismatchedEvenWhenDeliveredTwice() {
        HistoryChecker h = new HistoryChecker("acknowledged copy gone");
        append(h, "p1/0", 9);
        h.delivered("c", "p1/0", EventId.ofSequence(5));
        h.delivered("d", "p1/0", EventId.ofSequence(5));
        HistoryChecker.Report r = h.report();
        assertFalse(r.clean(), r.summary());
        assertEquals(1, r.mismatched().size(), "one line per id: " + r.summary());
        assertEquals(List.of(), r.copies(), r.summary());
    }

    @Test
    void aKeyWithAnIndeterminateAttemptMayBeDeliveredUnderAnIdNobodyWasTold() {
        HistoryChecker h = new HistoryChecker("retried after indeterminate");
        indeterminateAttempt(h, "p1/0"); // stored as 1, but the answer was lost
        h.invoked("p1/0");
        h.ok("p1/0", EventId.ofSequence(2)); // the retry stored it again
        h.delivered("c", "p1/0", EventId.ofSequence(1));
        h.delivered("c", "p1/0", EventId.ofSequence(2));
        HistoryChecker.Report r = h.report();
        assertTrue(r.clean(), r.summary());
        assertEquals(1, r.duplicateDeliveries());
    }

    @Test
    void acknowledgedButNeverDeliveredIsLost() {
        HistoryChecker h = new HistoryChecker("lost");
        append(h, "p1/0", 0);
        append(h, "p1/1", 1);
        h.delivered("c", "p1/0", EventId.ofSequence(0));
        HistoryChecker.Report r = h.report();
        assertFalse(r.clean());
        assertEquals(List.of("p1/1"), r.lost());
    }

    @Test
    void indeterminateNeverDeliveredIsNotLostAndFailedDeliveredIsUnexpected() {
        HistoryChecker h = new HistoryChecker("outcomes");
        indeterminateAttempt(h, "p1/0");
        failedAttempt(h, "p1/1");
        h.delivered("c", "p1/1", EventId.ofSequence(7));
        h.delivered("c", "ghost/1", EventId.ofSequence(8));
        HistoryChecker.Report r = h.report();
        assertEquals(1, r.indeterminate());
        assertEquals(1, r.failed());
        assertTrue(r.lost().isEmpty());
        assertEquals(List.of("p1/1", "ghost/1"), r.unexpected());
        assertFalse(r.clean());
    }

    @Test
    void retriedKeyThatFailedThenSucceededIsOkAndKeepsItsPlace() {
        HistoryChecker h = new HistoryChecker("retry");
        failedAttempt(h, "p1/0");
        h.invoked("p1/0");
        h.ok("p1/0", EventId.ofSequence(0));
        append(h, "p1/1", 1);
        h.delivered("c", "p1/0", EventId.ofSequence(0));
        h.delivered("c", "p1/1", EventId.ofSequence(1));
        HistoryChecker.Report r = h.report();
        assertTrue(r.clean(), r.summary());
        assertEquals(1, r.invoked() - 1);
        assertEquals(0, r.failed());
    }

    @Test
    void duplicatesAreCountedNotDirty() {
        HistoryChecker h = new HistoryChecker("dups");
        append(h, "p1/0", 0);
        h.delivered("a", "p1/0", EventId.ofSequence(0));
        h.delivered("b", "p1/0", EventId.ofSequence(0));
        h.delivered("b", "p1/0", EventId.ofSequence(0));
        HistoryChecker.Report r = h.report();
        assertTrue(r.clean());
        assertEquals(Map.of("p1/0", 2), r.duplicates());
        assertEquals(2, r.duplicateDeliveries());
        assertTrue(r.summary().contains("p1/0×2"), r.summary());
    }

    @Test
    void firstDeliveryAfterALaterKeyOfTheSameProducerIsReordered() {
        HistoryChecker h = new HistoryChecker("order");
        append(h, "p1/0", 0);
        append(h, "p1/1", 1);
        append(h, "p2/0", 2);
        h.delivered("c", "p1/1", EventId.ofSequence(1));
        h.delivered("c", "p2/0", EventId.ofSequence(2));
        h.delivered("c", "p1/0", EventId.ofSequence(0));
        HistoryChecker.Report r = h.report();
        assertEquals(1, r.reordered().size(), r.summary());
        assertTrue(r.reordered().get(0).contains("p1/0"));
        assertFalse(r.clean());
    }

    @Test
    void aFirstDeliveryTheBrokerMarksAsRedeliveredIsNotJudgedForOrder() {
        HistoryChecker h = new HistoryChecker("lost in transit");
        for (int i = 0; i < 3; i++) {
            append(h, "p/" + i, i);
        }
        h.delivered("c", "p/0", EventId.ofSequence(0), 1);
        h.delivered("c", "p/2", EventId.ofSequence(2), 1);
        h.delivered("c", "p/1", EventId.ofSequence(1), 2); // its first delivery died with the connection
        HistoryChecker.Report r = h.report();
        assertTrue(r.clean(), r.summary());
        assertEquals(3, r.deliveries());
        h.delivered("c", "p/1", EventId.ofSequence(1), 1);
        assertEquals(Map.of("p/1", 1), h.report().duplicates(), "still counted as a delivery");
    }

    @Test
    void theRetrysCopyOfAKeyWhoseAttemptWasIndeterminateIsNotJudgedForOrderButCleanKeysStillAre() {
        // seen on NATS in F8: a batch of p/0..p/2 stored whole (ids 10-12) but told INDETERMINATE, the
        // delivery of p/1 (id 11) lost with a reset connection, the retry stored p/0..p/2 again (20-22)
        HistoryChecker h = new HistoryChecker("retried batch");
        for (int i = 0; i < 3; i++) {
            indeterminateAttempt(h, "p/" + i);
        }
        for (int i = 0; i < 3; i++) {
            append(h, "p/" + i, 20 + i);
        }
        append(h, "p/3", 30);
        append(h, "p/4", 31);
        h.delivered("c", "p/0", EventId.ofSequence(10), 1);
        h.delivered("c", "p/2", EventId.ofSequence(12), 1);
        h.delivered("c", "p/0", EventId.ofSequence(20), 1);
        h.delivered("c", "p/1", EventId.ofSequence(21), 1); // after p/2, in the stream's order
        h.delivered("c", "p/2", EventId.ofSequence(22), 1);
        h.delivered("c", "p/4", EventId.ofSequence(31), 1);
        h.delivered("c", "p/3", EventId.ofSequence(30), 1); // a clean key after a later one: reordered
        h.delivered("c", "p/1", EventId.ofSequence(11), 2);
        HistoryChecker.Report r = h.report();
        assertEquals(List.of("consumer c: p/3 delivered after p/4"), r.reordered(), r.summary());
        assertEquals(List.of(), r.lost());
    }

    @Test
    void orderIsPerConsumerAndRedeliveriesAreNotReorders() {
        HistoryChecker h = new HistoryChecker("group");
        for (int i = 0; i < 4; i++) {
            append(h, "p/" + i, i);
        }
        h.delivered("a", "p/1", EventId.ofSequence(1));
        h.delivered("b", "p/0", EventId.ofSequence(0)); // other member: no reorder
        h.delivered("a", "p/3", EventId.ofSequence(3));
        h.delivered("b", "p/2", EventId.ofSequence(2));
        h.delivered("a", "p/0", EventId.ofSequence(0)); // redelivered to a after b died: a duplicate
        HistoryChecker.Report r = h.report();
        assertTrue(r.clean(), r.summary());
        assertEquals(Map.of("p/0", 1), r.duplicates());
    }

    @Test
    void concurrentRecordingLosesNothing() throws Exception {
        HistoryChecker h = new HistoryChecker("threads");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch done = new CountDownLatch(8);
        for (int t = 0; t < 8; t++) {
            int producer = t;
            pool.execute(() -> {
                for (int i = 0; i < 1000; i++) {
                    String key = "p" + producer + "/" + i;
                    h.invoked(key);
                    h.ok(key, EventId.ofSequence(producer * 1000L + i));
                    h.delivered("c" + producer, key, EventId.ofSequence(producer * 1000L + i));
                }
                done.countDown();
            });
        }
        assertTrue(done.await(30, TimeUnit.SECONDS));
        pool.shutdown();
        HistoryChecker.Report r = h.report();
        assertTrue(r.clean(), r.summary());
        assertEquals(8000, r.ok());
        assertEquals(8000, r.deliveries());
    }
}
