package dev.tributary.memory;

import static dev.tributary.memory.Fixtures.client;
import static dev.tributary.memory.Fixtures.fresh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.EventId;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamName;
import dev.tributary.StreamReader;
import dev.tributary.StreamRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {
    private static final int THREADS = 8;
    private static final int PER_THREAD = 5000;
    private static final int TOTAL = THREADS * PER_THREAD;

    /** Checks that every "tN/i" arrived once and, per producer N, in order. */
    private static void assertCompleteAndOrdered(List<StreamEvent> events) {
        assertEquals(TOTAL, events.size());
        Map<String, Integer> next = new HashMap<>();
        long previous = 0;
        for (StreamEvent e : events) {
            assertTrue(e.id().sequence() == previous + 1, "ids are dense and in order");
            previous = e.id().sequence();
            String[] parts = e.payloadAsString().split("/");
            int expected = next.getOrDefault(parts[0], 0);
            assertEquals(expected, Integer.parseInt(parts[1]), "per-producer order of " + parts[0]);
            next.put(parts[0], expected + 1);
        }
        assertEquals(THREADS, next.size());
        next.values().forEach(n -> assertEquals(PER_THREAD, n));
    }

    @Test
    void concurrentAppendersAndReadersLoseNothingAndKeepPerThreadOrder() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS + 3);
        try (StreamClient c = client("")) {
            StreamName s = fresh("conc");
            c.createStream(s);
            List<Future<List<StreamEvent>>> readers = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                StreamReader reader = c.openReader(s, Position.latest());
                readers.add(pool.submit(() -> {
                    List<StreamEvent> got = new ArrayList<>();
                    try (reader) {
                        while (got.size() < TOTAL) {
                            got.addAll(reader.poll(500, Duration.ofSeconds(5)));
                        }
                    }
                    return got;
                }));
            }
            List<Future<List<EventId>>> writers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int producer = t;
                writers.add(pool.submit(() -> {
                    List<EventId> ids = new ArrayList<>();
                    for (int i = 0; i < PER_THREAD; i++) {
                        ids.add(c.append(s, StreamRecord.of("t" + producer + "/" + i)));
                    }
                    return ids;
                }));
            }
            for (Future<List<EventId>> w : writers) {
                List<EventId> ids = w.get(60, TimeUnit.SECONDS);
                for (int i = 1; i < ids.size(); i++) {
                    assertTrue(ids.get(i).isAfter(ids.get(i - 1)), "ids of one thread increase");
                }
            }
            assertEquals(TOTAL, c.info(s).length());
            for (Future<List<EventId>> w : writers) {
                assertTrue(w.isDone());
            }
            for (Future<List<StreamEvent>> r : readers) {
                assertCompleteAndOrdered(r.get(60, TimeUnit.SECONDS));
            }
            List<StreamEvent> history = new ArrayList<>();
            Position from = Position.earliest();
            List<StreamEvent> page;
            while (!(page = c.range(s, from, null, 10_000)).isEmpty()) {
                history.addAll(page);
                from = Position.after(page.get(page.size() - 1).id());
            }
            assertCompleteAndOrdered(history);
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void concurrentBatchesAreAtomicAndContiguous() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (StreamClient c = client("")) {
            StreamName s = fresh("conc-batch");
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int producer = t;
                fs.add(pool.submit(() -> {
                    for (int b = 0; b < 200; b++) {
                        List<StreamRecord> batch = new ArrayList<>();
                        for (int i = 0; i < 10; i++) {
                            batch.add(StreamRecord.of(producer + ":" + b));
                        }
                        List<EventId> ids = c.appendBatch(s, batch);
                        assertEquals(ids.get(0).sequence() + 9, ids.get(9).sequence(), "a batch is contiguous");
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get(60, TimeUnit.SECONDS);
            }
            List<StreamEvent> all = c.range(s, Position.earliest(), null, 10_000);
            assertEquals(8000, all.size());
            for (int i = 0; i < all.size(); i += 10) {
                String tag = all.get(i).payloadAsString();
                for (int j = 1; j < 10; j++) {
                    assertEquals(tag, all.get(i + j).payloadAsString(), "batches do not interleave");
                }
            }
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }
}
