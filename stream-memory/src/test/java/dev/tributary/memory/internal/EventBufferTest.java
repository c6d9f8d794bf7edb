package dev.tributary.memory.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tributary.EventId;
import dev.tributary.Headers;
import dev.tributary.StreamEvent;
import dev.tributary.StreamName;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EventBufferTest {
    private static final StreamName S = StreamName.of("buf");

    private static StreamEvent event(long seq) {
        return new StreamEvent(
                S, EventId.ofSequence(seq), Instant.ofEpochSecond(seq / 3), null, Headers.empty(), new byte[0], 1);
    }

    @Test
    void behavesLikeADequeThroughGrowthWrapAroundAndShrinking() {
        Random random = new Random(42);
        EventBuffer buffer = new EventBuffer();
        ArrayDeque<StreamEvent> model = new ArrayDeque<>();
        long next = 1;
        for (int step = 0; step < 20_000; step++) {
            if (random.nextInt(3) > 0) {
                int n = random.nextInt(40);
                for (int i = 0; i < n; i++) {
                    StreamEvent e = event(next++);
                    buffer.addLast(e);
                    model.addLast(e);
                }
            } else {
                int n = model.isEmpty() ? 0 : random.nextInt(model.size() + 1);
                buffer.removeFirst(n);
                for (int i = 0; i < n; i++) {
                    model.removeFirst();
                }
            }
            assertEquals(model.size(), buffer.size());
            List<StreamEvent> expected = new ArrayList<>(model);
            for (int i = 0; i < expected.size(); i += Math.max(1, expected.size() / 7)) {
                assertEquals(expected.get(i), buffer.get(i));
            }
            if (!expected.isEmpty()) {
                assertEquals(expected.get(expected.size() - 1), buffer.last());
                Instant probe = Instant.ofEpochSecond((expected.get(0).id().sequence() + random.nextInt(60)) / 3);
                int want = 0;
                while (want < expected.size() && expected.get(want).timestamp().isBefore(probe)) {
                    want++;
                }
                assertEquals(want, buffer.firstIndexAtOrAfter(probe));
            }
        }
    }

    @Test
    void outOfRangeAccessFails() {
        EventBuffer buffer = new EventBuffer();
        buffer.addLast(event(1));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.get(1));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.removeFirst(2));
    }
}
