package dev.tributary.memory;

import static dev.tributary.memory.Fixtures.client;
import static dev.tributary.memory.Fixtures.fresh;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.EventId;
import dev.tributary.Headers;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamName;
import dev.tributary.StreamReader;
import dev.tributary.StreamRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AppendAndReadTest {
    private final StreamClient client = client("");

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void appendReturnsDenseSequenceIdsFromOne() {
        StreamName s = fresh("ids");
        assertEquals(EventId.ofSequence(1), client.append(s, StreamRecord.of("a")));
        assertEquals(EventId.ofSequence(2), client.append(s, StreamRecord.of("b")));
        assertEquals(EventId.ofSequence(3), client.append(s, StreamRecord.of("c")));
    }

    @Test
    void eventsRoundTripPayloadKeyAndHeadersInOrder() {
        StreamName s = fresh("rt");
        Headers h = Headers.of("k", "v\r\n:\"é😀", "k", "second", "a", "");
        client.append(
                s, StreamRecord.builder().payload("p1").key("key").headers(h).build());
        client.append(
                s, StreamRecord.builder().payload(new byte[0]).key(new byte[0]).build());
        client.append(s, StreamRecord.of(new byte[0]));
        try (StreamReader r = client.openReader(s, Position.earliest())) {
            List<StreamEvent> events = r.poll(10, Duration.ZERO);
            assertEquals(3, events.size());
            assertEquals("p1", events.get(0).payloadAsString());
            assertEquals("key", events.get(0).keyAsString());
            assertEquals(h, events.get(0).headers());
            assertEquals(1, events.get(0).deliveryCount());
            assertArrayEquals(new byte[0], events.get(1).key());
            assertEquals(0, events.get(1).payload().length);
            assertNull(events.get(2).key());
            assertEquals(s, events.get(2).stream());
        }
    }

    @Test
    void appendCopiesTheCallersArrays() {
        StreamName s = fresh("copy");
        byte[] payload = {1, 2, 3};
        client.append(s, StreamRecord.of(payload));
        payload[0] = 9;
        assertArrayEquals(
                new byte[] {1, 2, 3},
                client.range(s, Position.earliest(), null, 1).get(0).payload());
    }

    @Test
    void readerPollsInPagesAndAdvancesToTheLastEventRead() {
        StreamName s = fresh("pages");
        for (int i = 0; i < 25; i++) {
            client.append(s, StreamRecord.of("e" + i));
        }
        List<String> seen = new ArrayList<>();
        try (StreamReader r = client.openReader(s, Position.earliest())) {
            assertEquals(Position.earliest(), r.position());
            List<StreamEvent> page;
            while (!(page = r.poll(10, Duration.ZERO)).isEmpty()) {
                assertTrue(page.size() <= 10);
                page.forEach(e -> seen.add(e.payloadAsString()));
                assertEquals(Position.after(page.get(page.size() - 1).id()), r.position());
            }
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            expected.add("e" + i);
        }
        assertEquals(expected, seen);
    }

    @Test
    void appendsFromDistinctStreamsAreIsolated() {
        StreamName a = fresh("iso-a");
        StreamName b = fresh("iso-b");
        client.append(a, StreamRecord.of("only-a"));
        assertTrue(client.range(b, Position.earliest(), null, 10).isEmpty());
        assertEquals(1, client.range(a, Position.earliest(), null, 10).size());
        assertEquals(EventId.ofSequence(1), client.append(b, StreamRecord.of("first-b")));
    }
}
