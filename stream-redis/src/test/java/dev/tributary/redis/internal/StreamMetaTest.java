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

    @Test
    void aStreamCreatedAgainIsNotTheOneReadUnlessItsHistoryExplainsTheMissingEntry() {
        // read 10 entries up to id 100; now the key holds 3 new entries, nothing deleted or trimmed
        StreamMeta recreated = new StreamMeta(3, id(300), Ids.ZERO, 3, id(200), id(300));
        assertTrue(recreated.recreatedSince(id(100), 10L));
        assertFalse(recreated.recreatedSince(id(100), null), "without an anchor it cannot tell");
        // the same stream, trimmed past the cursor: 10 removed, so the cursor's entry went by trimming
        StreamMeta trimmed = new StreamMeta(3, id(300), Ids.ZERO, 13, id(200), id(300));
        assertFalse(trimmed.recreatedSince(id(100), 10L));
        // the cursor's entry deleted by XDEL
        StreamMeta deleted = new StreamMeta(12, id(300), id(100), 13, id(10), id(300));
        assertFalse(deleted.recreatedSince(id(100), 10L));
    }

    @Test
    void anIdAStreamThatNeverLostAnEntryDoesNotHoldIsOfAnEarlierStream() {
        StreamMeta recreated = new StreamMeta(3, id(300), Ids.ZERO, 3, id(200), id(300));
        assertTrue(recreated.neverHeld(id(100)), "below the head, nothing ever removed");
        assertTrue(recreated.neverHeld(id(400)), "beyond the last generated id");
        assertFalse(recreated.neverHeld(Ids.ZERO), "0-0 is no entry's id");
        StreamMeta trimmed = new StreamMeta(3, id(300), Ids.ZERO, 13, id(200), id(300));
        assertFalse(trimmed.neverHeld(id(100)), "trimmed: the gap rule judges it");
        StreamMeta deleted = new StreamMeta(12, id(300), id(100), 13, id(10), id(300));
        assertFalse(deleted.neverHeld(id(100)), "XDEL took it");
    }

    @Test
    void aLostTailIsACursorGoneWithNothingRemovedToExplainIt() {
        StreamMeta kept = new StreamMeta(6, id(85), Ids.ZERO, 6, id(10), id(85)); // a failover kept 10..50, wrote 85
        assertTrue(RedisReader.lostTail(kept, id(100)));
        StreamMeta trimmedHead = new StreamMeta(3, id(85), Ids.ZERO, 6, id(40), id(85)); // 10..30 trimmed since
        assertTrue(RedisReader.lostTail(trimmedHead, id(100)), "the head was trimmed, but not up to the cursor");
        assertFalse(RedisReader.lostTail(trimmedHead, id(35)), "trimmed up to the cursor: a gap, not a lost tail");
        StreamMeta deleted = new StreamMeta(5, id(85), id(100), 6, id(10), id(85));
        assertFalse(RedisReader.lostTail(deleted, id(100)), "an XDEL of the cursor's entry explains it");
    }
}
