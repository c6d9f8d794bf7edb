package dev.tributary.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which of a publisher's events may be sent when: per key one at a time, keyless events alone. */
class SendOrderTest {
    /** An event: a name, and a key (null: none). */
    private record Ev(String name, String key) {
        byte[] keyBytes() {
            return key == null ? null : key.getBytes(StandardCharsets.UTF_8);
        }
    }

    private final SendOrder<Ev> order = new SendOrder<>(true, Ev::keyBytes);

    @Test
    void oneEventPerKeyIsSentAtATimeInAdmissionOrder() {
        Ev a1 = new Ev("a1", "a");
        Ev b1 = new Ev("b1", "b");
        Ev a2 = new Ev("a2", "a");
        Ev a3 = new Ev("a3", "a");
        assertEquals(List.of(a1), order.admit(a1));
        assertEquals(List.of(b1), order.admit(b1), "another key goes at once");
        assertEquals(List.of(), order.admit(a2), "a2 waits for a1");
        assertEquals(List.of(), order.admit(a3));
        assertEquals(4, order.unresolved());
        assertEquals(List.of(), order.resolved(b1), "b's lane is empty");
        assertEquals(List.of(a2), order.resolved(a1));
        assertEquals(List.of(a3), order.resolved(a2));
        assertEquals(List.of(), order.resolved(a3));
        assertEquals(0, order.unresolved());
        assertEquals(List.of(a1), order.admit(a1), "a lane emptied is made again");
    }

    @Test
    void equalKeysInDifferentArraysShareALane() {
        Ev x1 = new Ev("x1", "k");
        Ev x2 = new Ev("x2", new String("k"));
        assertEquals(List.of(x1), order.admit(x1));
        assertEquals(List.of(), order.admit(x2));
        assertEquals(List.of(x2), order.resolved(x1));
    }

    @Test
    void aKeylessEventGoesAloneAfterEveryEarlierOneAndBeforeAnyLaterOne() {
        Ev a1 = new Ev("a1", "a");
        Ev none = new Ev("none", null);
        Ev b1 = new Ev("b1", "b");
        Ev a2 = new Ev("a2", "a");
        assertEquals(List.of(a1), order.admit(a1));
        assertEquals(List.of(), order.admit(none), "waits for a1");
        assertEquals(List.of(), order.admit(b1), "behind the keyless event, though its key is free");
        assertEquals(List.of(), order.admit(a2));
        assertEquals(List.of(none), order.resolved(a1));
        assertEquals(List.of(b1, a2), order.resolved(none), "then the backlog in admission order");
        assertEquals(List.of(), order.resolved(b1));
        assertEquals(List.of(), order.resolved(a2));
        assertEquals(0, order.unresolved());
    }

    @Test
    void aKeylessEventWithNothingInFlightGoesAtOnce() {
        Ev none = new Ev("none", null);
        Ev a1 = new Ev("a1", "a");
        assertEquals(List.of(none), order.admit(none));
        assertEquals(List.of(), order.admit(a1));
        assertEquals(List.of(a1), order.resolved(none));
    }

    @Test
    void theBacklogStopsAtTheNextKeylessEvent() {
        Ev a1 = new Ev("a1", "a");
        Ev n1 = new Ev("n1", null);
        Ev b1 = new Ev("b1", "b");
        Ev n2 = new Ev("n2", null);
        Ev c1 = new Ev("c1", "c");
        order.admit(a1);
        order.admit(n1);
        order.admit(b1);
        order.admit(n2);
        order.admit(c1);
        assertEquals(List.of(n1), order.resolved(a1));
        assertEquals(List.of(b1), order.resolved(n1), "b1, then n2 waits for it");
        assertEquals(List.of(n2), order.resolved(b1));
        assertEquals(List.of(c1), order.resolved(n2));
    }

    @Test
    void resolvingAnEventThatIsNotALanesHeadIsABug() {
        Ev a1 = new Ev("a1", "a");
        Ev a2 = new Ev("a2", "a");
        order.admit(a1);
        order.admit(a2);
        assertThrows(IllegalStateException.class, () -> order.resolved(a2));
        assertThrows(IllegalStateException.class, () -> order.resolved(new Ev("z", "z")));
        assertThrows(IllegalStateException.class, () -> order.resolved(new Ev("none", null)));
    }

    @Test
    void unorderedSendsEverythingAtOnce() {
        SendOrder<Ev> none = new SendOrder<>(false, Ev::keyBytes);
        Ev a1 = new Ev("a1", "a");
        assertEquals(List.of(a1), none.admit(a1));
        assertEquals(List.of(a1), none.admit(a1));
        assertEquals(List.of(), none.resolved(a1));
    }
}
