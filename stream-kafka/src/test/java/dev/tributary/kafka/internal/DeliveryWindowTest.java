package dev.tributary.kafka.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.EventId;
import dev.tributary.Headers;
import dev.tributary.StreamEvent;
import dev.tributary.StreamName;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The per-partition window of delivered offsets: acks, the committed prefix, growth and order. */
class DeliveryWindowTest {
    private static StreamEvent ev(long offset, int count) {
        return new StreamEvent(
                StreamName.of("s"),
                EventId.ofSequence(offset),
                Instant.EPOCH,
                null,
                Headers.empty(),
                new byte[0],
                count);
    }

    @Test
    void acksInOrderMoveTheCommittedPrefixAndForgetTheSlots() {
        DeliveryWindow w = new DeliveryWindow();
        for (long o = 10; o < 20; o++) {
            w.add(o, ev(o, 1), 1, 1_000 + o);
        }
        assertEquals(10, w.inflight());
        for (long o = 10; o < 15; o++) {
            assertTrue(w.ack(o));
        }
        assertFalse(w.ack(12), "a second ack of the same offset is unknown");
        assertFalse(w.ack(9), "below the window");
        assertFalse(w.ack(20), "above the window");
        assertEquals(5, w.inflight());
        assertEquals(15, w.popAckedPrefix(10));
        assertEquals(5, w.size());
        assertEquals(15, w.offsetAt(0));
        assertFalse(w.ack(14), "popped offsets are unknown");
        for (long o = 15; o < 20; o++) {
            assertTrue(w.ack(o));
        }
        assertEquals(20, w.popAckedPrefix(15));
        assertTrue(w.isEmpty());
        assertEquals(0, w.inflight());
    }

    @Test
    void anAckAboveAnUnackedOffsetWaitsForIt() {
        DeliveryWindow w = new DeliveryWindow();
        for (long o = 0; o < 4; o++) {
            w.add(o, ev(o, 1), 1, 0);
        }
        assertTrue(w.ack(1));
        assertTrue(w.ack(3));
        assertEquals(0, w.popAckedPrefix(0), "offset 0 is still in flight");
        assertTrue(w.ack(0));
        assertEquals(2, w.popAckedPrefix(0), "0 and 1 acked; 2 in flight");
        assertEquals(2, w.size());
        assertTrue(w.inflightAt(0));
        assertFalse(w.inflightAt(1));
        assertNull(w.eventAt(1));
    }

    @Test
    void nackAndRedeliveryChangeOnlyInFlightSlots() {
        DeliveryWindow w = new DeliveryWindow();
        StreamEvent e = ev(5, 1);
        w.add(5, e, 1, 500);
        assertSame(e, w.eventAt(0));
        assertTrue(w.nack(5));
        assertEquals(0, w.deadlineAt(0));
        w.redelivered(0, e.withDeliveryCount(2), 900);
        assertEquals(2, w.countAt(0));
        assertEquals(900, w.deadlineAt(0));
        assertTrue(w.ack(5));
        assertFalse(w.nack(5), "acked: not in flight");
        assertFalse(w.nack(6));
    }

    @Test
    void anOffsetBelowTheTailIsInsertedInOrderAndADuplicateIsRefused() {
        DeliveryWindow w = new DeliveryWindow();
        w.add(10, ev(10, 1), 1, 0);
        w.add(14, ev(14, 1), 1, 0);
        w.add(12, ev(12, 1), 1, 0);
        assertEquals(List.of(10L, 12L, 14L), List.of(w.offsetAt(0), w.offsetAt(1), w.offsetAt(2)));
        assertTrue(w.contains(12));
        assertFalse(w.contains(11));
        assertThrows(IllegalStateException.class, () -> w.add(12, ev(12, 1), 1, 0));
    }

    /** Random deliveries, acks and commits against a TreeMap / TreeSet model, across many growths and compactions. */
    @Test
    void behavesLikeSortedCollectionsUnderRandomUse() {
        Random rnd = new Random(42);
        DeliveryWindow w = new DeliveryWindow();
        TreeMap<Long, Integer> inflight = new TreeMap<>();
        TreeSet<Long> acked = new TreeSet<>();
        long committed = 0;
        long next = 0;
        for (int step = 0; step < 5_000; step++) {
            int op = rnd.nextInt(10);
            if (op < 4) {
                int n = 1 + rnd.nextInt(50);
                for (int i = 0; i < n; i++) {
                    long o = next++;
                    int count = 1 + rnd.nextInt(3);
                    w.add(o, ev(o, count), count, o);
                    inflight.put(o, count);
                }
            } else if (op < 8 && !inflight.isEmpty()) {
                List<Long> keys = new ArrayList<>(inflight.keySet());
                int n = 1 + rnd.nextInt(Math.min(keys.size(), 60));
                int from = rnd.nextInt(2) == 0 ? 0 : rnd.nextInt(keys.size());
                for (int i = 0; i < n; i++) {
                    long o = rnd.nextInt(3) == 0
                            ? keys.get(rnd.nextInt(keys.size()))
                            : keys.get(Math.min(keys.size() - 1, from + i)) + (rnd.nextInt(10) == 0 ? next : 0);
                    boolean expected = inflight.remove(o) != null;
                    if (expected) {
                        acked.add(o);
                    }
                    assertEquals(expected, w.ack(o), "ack of " + o);
                }
            } else {
                long before = committed;
                while (acked.remove(committed)) {
                    committed++;
                }
                assertEquals(committed, w.popAckedPrefix(before));
            }
            assertEquals(inflight.size(), w.inflight());
            assertEquals(inflight.size() + acked.size(), w.size());
            for (int i = 0; i < w.size(); i++) {
                long o = w.offsetAt(i);
                if (i > 0) {
                    assertTrue(o > w.offsetAt(i - 1), "ascending");
                }
                assertEquals(inflight.containsKey(o), w.inflightAt(i));
                assertEquals(!inflight.containsKey(o), acked.contains(o));
                if (w.inflightAt(i)) {
                    assertEquals((int) inflight.get(o), w.countAt(i));
                    assertEquals(o, w.eventAt(i).id().major());
                }
            }
        }
    }
}
