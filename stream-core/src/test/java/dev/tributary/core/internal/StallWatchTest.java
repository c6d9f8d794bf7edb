package dev.tributary.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tributary.StreamName;
import org.junit.jupiter.api.Test;

class StallWatchTest {
    private final StallWatch watch = new StallWatch("p", StreamName.of("orders"));

    @Test
    void eventsWaitingAndNoProgressBetweenTwoChecksIsAStall() {
        assertNull(watch.check(5, 100L, 0), "one check alone says nothing");
        assertEquals(
                "processor 'p': 7 events wait on 'orders' and none was delivered in the last 30000 ms "
                        + "(the lag was 5 then): the broker is not delivering them",
                watch.check(7, 100L, 30_000));
        assertEquals(
                "processor 'p': 7 events wait on 'orders' and none was delivered in the last 30000 ms "
                        + "(the lag was 7 then): the broker is not delivering them",
                watch.check(7, 100L, 60_000),
                "and again at every check while it lasts");
    }

    @Test
    void progressOrNothingWaitingIsNoStall() {
        assertNull(watch.check(5, 100L, 0));
        assertNull(watch.check(5, 101L, 30_000), "progress: the events are moving");
        assertNull(watch.check(0, 101L, 60_000), "caught up");
        assertNull(watch.check(3, 101L, 90_000), "nothing waited at the previous check");
        assertNull(watch.check(3, null, 120_000), "a group with no delivery yet, then none");
        assertEquals(
                "processor 'p': 3 events wait on 'orders' and none was delivered in the last 30000 ms "
                        + "(the lag was 3 then): the broker is not delivering them",
                watch.check(3, null, 150_000),
                "a group that never delivered anything while events wait is stalled too");
    }
}
