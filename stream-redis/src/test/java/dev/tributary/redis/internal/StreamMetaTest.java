package dev.tributary.redis.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.EventId;
import org.junit.jupiter.api.Test;

class StreamMetaTest {
    private static EventId id(long ms) {
        return EventId.of(ms, 0);
    }

    @Test
    void nothingRemovedMeansNoGap() {
        StreamMeta m = new StreamMeta(3, id(30), Ids.ZERO, 3, id(10), id(30));
        assertFalse(m.gapAfter(id(5), null));
        assertFalse(m.gapAfter(Ids.ZERO, null));
    }

    @Test
    void aCursorOlderThanTheTrimmedHeadIsAGap() {
        StreamMeta m = new StreamMeta(2, id(50), Ids.ZERO, 5, id(40), id(50)); // 10..30 trimmed
        assertTrue(m.gapAfter(id(10), null));
        assertTrue(m.gapAfter(Ids.ZERO, null));
        assertFalse(m.gapAfter(id(45), null), "a cursor inside the retained range");
    }

    @Test
    void anAnchoredCursorIsExact() {
        StreamMeta m = new StreamMeta(2, id(50), Ids.ZERO, 5, id(40), id(50)); // first retained is the 4th entry
        assertFalse(m.gapAfter(id(30), 3L), "the 3rd entry was read, the 4th is the head: nothing skipped");
        assertTrue(m.gapAfter(id(20), 2L), "the 3rd entry was trimmed unread");
        StreamMeta empty = new StreamMeta(0, id(30), Ids.ZERO, 3, null, null);
        assertFalse(empty.gapAfter(id(30), 3L), "latest on a stream trimmed to empty");
        assertTrue(empty.gapAfter(id(10), 1L));
    }

    @Test
    void anXdelAfterTheCursorIsAGap() {
        StreamMeta m = new StreamMeta(2, id(30), id(20), 3, id(10), id(30));
        assertTrue(m.gapAfter(id(10), null));
        assertFalse(m.gapAfter(id(25), null));
    }
}
