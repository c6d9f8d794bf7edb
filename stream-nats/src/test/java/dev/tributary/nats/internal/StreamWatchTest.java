package dev.tributary.nats.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class StreamWatchTest {
    private static final Instant T1 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Instant T2 = Instant.parse("2026-12-01T11:00:00Z");

    @Test
    void theSameStreamGrowingIsFine() {
        StreamWatch w = new StreamWatch();
        assertNull(w.check(T1, 10, 0, false));
        assertNull(w.check(T1, 10, 10, false));
        assertNull(w.check(T1, 25, 10, true));
        assertEquals(T1, w.created());
    }

    @Test
    void aRecreatedStreamIsDataLossOnceSomethingWasRead() {
        StreamWatch w = new StreamWatch();
        assertNull(w.check(T1, 10, 10, false));
        String loss = w.check(T2, 11, 10, false);
        assertNotNull(loss);
        assertTrue(loss.contains("deleted and created again"), loss);
    }

    @Test
    void aRecreatedStreamIsDataLossForATiedPositionEvenWithNothingRead() {
        StreamWatch w = new StreamWatch();
        assertNull(w.check(T1, 0, 0, true));
        assertNotNull(w.check(T2, 3, 0, true));
    }

    @Test
    void aReaderThatReadNothingSimplyTakesTheNewStream() {
        StreamWatch w = new StreamWatch();
        assertNull(w.check(T1, 0, 0, false));
        assertNull(w.check(T2, 3, 0, false));
        assertEquals(T2, w.created());
        assertNotNull(w.check(Instant.parse("2026-12-01T12:00:00Z"), 9, 3, false));
    }

    @Test
    void aLastSequenceBelowTheCursorIsDataLoss() {
        StreamWatch w = new StreamWatch();
        assertNull(w.check(T1, 10, 10, false));
        String loss = w.check(T1, 3, 10, false);
        assertNotNull(loss);
        assertTrue(loss.contains("below sequence 10"), loss);
        // a server that does not tell the creation time: the sequence signal still works
        assertNotNull(new StreamWatch().check(null, 3, 10, false));
    }

    @Test
    void reconnectsArePendingUntilChecked() {
        StreamWatch w = new StreamWatch();
        assertFalse(w.reconnected(0), "nothing recorded yet");
        w.checked(0);
        assertFalse(w.reconnected(0));
        assertTrue(w.reconnected(1));
        assertTrue(w.reconnected(1), "still pending: the check did not succeed yet");
        w.checked(1);
        assertFalse(w.reconnected(1));
    }
}
