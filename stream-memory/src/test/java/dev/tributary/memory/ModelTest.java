package dev.tributary.memory;

import static dev.tributary.memory.Fixtures.client;
import static dev.tributary.memory.Fixtures.fresh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamInfo;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import dev.tributary.Trim;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random appends, trims and range reads compared with a plain list: the stream must hold exactly
 * the model's events, and a read behind the head must fail DATA_LOSS exactly when the model says so.
 */
class ModelTest {

    @Test
    void randomOperationsMatchASimpleModel() {
        Random random = new Random(7);
        MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
        try (StreamClient c = client("maxStreamBytes=1500", clock)) {
            StreamName s = fresh("model");
            List<long[]> model = new ArrayList<>(); // {seq, size, epochMillis}
            long lastSeq = 0;
            long bytes = 0;
            int refused = 0;
            int gaps = 0;
            int reads = 0;
            for (int step = 0; step < 3000; step++) {
                int op = random.nextInt(10);
                if (op < 5) {
                    int n = 1 + random.nextInt(5);
                    List<StreamRecord> batch = new ArrayList<>();
                    long need = 0;
                    for (int i = 0; i < n; i++) {
                        int size = random.nextInt(60);
                        batch.add(StreamRecord.of(new byte[size]));
                        need += size;
                    }
                    clock.advance(Duration.ofMillis(random.nextInt(3)));
                    if (bytes + need > 1500) {
                        try {
                            c.appendBatch(s, batch);
                            fail("expected BACKPRESSURE at " + (bytes + need) + " bytes");
                        } catch (StreamException e) {
                            assertEquals(ErrorKind.BACKPRESSURE, e.kind());
                            refused++;
                        }
                    } else {
                        List<EventId> ids = c.appendBatch(s, batch);
                        for (int i = 0; i < n; i++) {
                            assertEquals(++lastSeq, ids.get(i).sequence());
                            model.add(new long[] {lastSeq, batch.get(i).payload().length, clock.millis()});
                        }
                        bytes += need;
                    }
                } else if (op == 5) {
                    long keep = random.nextInt(80);
                    long removed = c.trim(s, Trim.toLength(keep));
                    long expected = Math.max(0, model.size() - keep);
                    assertEquals(expected, removed);
                    for (int i = 0; i < expected; i++) {
                        bytes -= model.remove(0)[1];
                    }
                } else if (op == 6) {
                    long below = lastSeq - random.nextInt(40);
                    long removed = c.trim(s, Trim.below(EventId.ofSequence(Math.max(0, below))));
                    int expected = 0;
                    while (!model.isEmpty() && model.get(0)[0] < below) {
                        bytes -= model.remove(0)[1];
                        expected++;
                    }
                    assertEquals(expected, removed);
                } else if (op == 7) {
                    long ageMs = random.nextInt(200);
                    long cutoff = clock.millis() - ageMs;
                    long removed = c.trim(s, Trim.olderThan(Duration.ofMillis(ageMs)));
                    int expected = 0;
                    while (!model.isEmpty() && model.get(0)[2] < cutoff) {
                        bytes -= model.remove(0)[1];
                        expected++;
                    }
                    assertEquals(expected, removed);
                } else {
                    long after = Math.max(0, lastSeq - random.nextInt(60));
                    long first = model.isEmpty() ? lastSeq + 1 : model.get(0)[0];
                    int max = 1 + random.nextInt(20);
                    try {
                        List<StreamEvent> got = c.range(s, Position.after(EventId.ofSequence(after)), null, max);
                        assertTrue(after >= first - 1, "a read after " + after + " with head " + first + " must fail");
                        List<Long> want = new ArrayList<>();
                        for (long[] m : model) {
                            if (m[0] > after && want.size() < max) {
                                want.add(m[0]);
                            }
                        }
                        assertEquals(
                                want, got.stream().map(e -> e.id().sequence()).toList());
                        reads++;
                    } catch (StreamException e) {
                        assertEquals(ErrorKind.DATA_LOSS, e.kind());
                        assertTrue(after < first - 1, "no gap after " + after + " with head " + first);
                        gaps++;
                    }
                }
                StreamInfo info = c.info(s);
                assertEquals(model.size(), info.length());
                if (!model.isEmpty()) {
                    assertEquals(model.get(0)[0], info.firstId().orElseThrow().sequence());
                    assertEquals(lastSeq, info.lastId().orElseThrow().sequence());
                }
            }
            assertTrue(
                    refused > 10 && gaps > 10 && reads > 100,
                    "every path was exercised: refused=" + refused + " gaps=" + gaps + " reads=" + reads);
        }
    }
}
