package dev.tributary.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.EventId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class RecentIdsTest {
    private static List<EventId> ids(long... ms) {
        return LongStream.of(ms).mapToObj(m -> EventId.of(m, 0)).toList();
    }

    /** A server holding {@code held} (ascending), paged newest first below an id, two per page. */
    private static Function<EventId, List<EventId>> server(List<EventId> held) {
        return below -> {
            List<EventId> out = new ArrayList<>();
            for (int i = held.size() - 1; i >= 0 && out.size() < 2; i--) {
                if (held.get(i).compareTo(below) < 0) {
                    out.add(held.get(i));
                }
            }
            return out;
        };
    }

    @Test
    void keepsOnlyTheNewestIdsOldestFirst() {
        RecentIds r = new RecentIds(3);
        assertNull(r.oldest());
        r.add(ids(1, 2, 3, 4));
        assertEquals(EventId.of(2, 0), r.oldest());
        assertTrue(r.contains(EventId.of(4, 0)));
        assertFalse(r.contains(EventId.of(1, 0)));
        r.clear();
        assertNull(r.oldest());
        assertFalse(r.contains(EventId.of(4, 0)));
    }

    @Test
    void theNewestHeldEntryThatWasReadIsTheBaseEvenUnderEntriesWrittenSince() {
        RecentIds r = new RecentIds(10);
        r.add(ids(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
        // the server kept 1..5; the new primary wrote 7.5 (a slower clock) and 8.5, below the old cursor 10
        List<EventId> held = new ArrayList<>(ids(1, 2, 3, 4, 5));
        held.add(EventId.of(7, 5));
        held.add(EventId.of(8, 5));
        assertEquals(EventId.of(5, 0), r.newestRead(server(held), EventId.of(10, 0)));
    }

    @Test
    void noBaseWhenNothingHeldWasReadOrTheLossIsLongerThanWhatIsRemembered() {
        RecentIds r = new RecentIds(3);
        r.add(ids(1, 2, 3, 4, 5, 6));
        assertNull(r.newestRead(server(ids()), EventId.of(6, 0)), "an empty stream");
        assertNull(r.newestRead(server(ids(1, 2, 3)), EventId.of(6, 0)), "held entries older than the memory");
        assertNull(new RecentIds(3).newestRead(server(ids(1)), EventId.of(6, 0)), "nothing read yet");
        assertEquals(EventId.of(4, 0), r.newestRead(server(ids(1, 2, 3, 4)), EventId.of(6, 0)));
    }
}
