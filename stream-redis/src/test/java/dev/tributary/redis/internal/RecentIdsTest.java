package dev.tributary.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.EventId;
import dev.tributary.Headers;
import dev.tributary.StreamEvent;
import dev.tributary.StreamName;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class RecentIdsTest {
    private static final StreamName S = StreamName.of("s");

    private static StreamEvent event(long ms, long seq, String payload) {
        return new StreamEvent(
                S,
                EventId.of(ms, seq),
                Instant.EPOCH,
                null,
                Headers.empty(),
                payload.getBytes(StandardCharsets.UTF_8),
                1);
    }

    /** Events {@code ms-0} with payload {@code e<ms>}. */
    private static List<StreamEvent> events(long... ms) {
        return LongStream.of(ms).mapToObj(m -> event(m, 0, "e" + m)).toList();
    }

    /** A server holding {@code held} (ascending), paged newest first below an id, two per page. */
    private static Function<EventId, List<StreamEvent>> server(List<StreamEvent> held) {
        return below -> {
            List<StreamEvent> out = new ArrayList<>();
            for (int i = held.size() - 1; i >= 0 && out.size() < 2; i--) {
                if (held.get(i).id().compareTo(below) < 0) {
                    out.add(held.get(i));
                }
            }
            return out;
        };
    }

    @Test
    void keepsOnlyTheNewestEntriesOldestFirst() {
        RecentIds r = new RecentIds(3);
        assertNull(r.oldest());
        r.add(events(1, 2, 3, 4));
        assertEquals(EventId.of(2, 0), r.oldest());
        assertTrue(r.contains(event(4, 0, "e4")));
        assertFalse(r.contains(event(1, 0, "e1")));
        assertFalse(r.contains(event(4, 0, "another payload")), "the same id in a new stream is not the entry read");
    }

    @Test
    void theNewestHeldEntryThatWasReadIsTheBaseEvenUnderEntriesWrittenSince() {
        RecentIds r = new RecentIds(10);
        r.add(events(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
        // the server kept 1..5; the new primary wrote 7-5 (a slower clock) and 8-5, below the old cursor 10
        List<StreamEvent> held = new ArrayList<>(events(1, 2, 3, 4, 5));
        held.add(event(7, 5, "new"));
        held.add(event(8, 5, "newer"));
        assertEquals(EventId.of(5, 0), r.newestRead(server(held), EventId.of(10, 0)));
    }

    @Test
    void noBaseWhenNothingHeldWasReadOrTheLossIsLongerThanWhatIsRemembered() {
        RecentIds r = new RecentIds(3);
        r.add(events(1, 2, 3, 4, 5, 6));
        assertNull(r.newestRead(server(events()), EventId.of(6, 0)), "an empty stream");
        assertNull(r.newestRead(server(events(1, 2, 3)), EventId.of(6, 0)), "held entries older than the memory");
        assertNull(new RecentIds(3).newestRead(server(events(1)), EventId.of(6, 0)), "nothing read yet");
        assertNull(
                r.newestRead(server(List.of(event(4, 0, "a new stream"))), EventId.of(6, 0)),
                "a new stream under the key that reuses an id");
        assertEquals(EventId.of(4, 0), r.newestRead(server(events(1, 2, 3, 4)), EventId.of(6, 0)));
    }
}
