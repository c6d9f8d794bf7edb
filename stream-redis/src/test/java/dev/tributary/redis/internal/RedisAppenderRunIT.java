package dev.tributary.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.EventId;
import dev.tributary.Position;
import dev.tributary.StreamEvent;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import dev.tributary.redis.RawRedis;
import dev.tributary.redis.RedisFixture;
import dev.tributary.redis.RedisStreamProvider;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Single idempotent appends gathered into one script call per flush ({@link RedisAppender}'s pending
 * run). The appends are submitted from a task on the connection's event loop, so no flush can run
 * until the task returns: what the run does is then deterministic.
 */
class RedisAppenderRunIT {
    private static final String RUN = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
    private RedisStreamClient client;
    /** A plain connection beside the client, for the server's command statistics. */
    private RawRedis<String, String> rawConn;

    @BeforeEach
    void open() {
        RedisFixture fixture = RedisFixture.shared();
        client = RedisStreamClient.connect(RedisSettings.from(fixture.config()), RedisStreamProvider.CAPABILITIES);
        rawConn = RawRedis.open(fixture);
    }

    @AfterEach
    void close() {
        rawConn.close();
        client.close();
    }

    private long evalCalls() {
        String stats = rawConn.sync().info("commandstats");
        for (String line : stats.split("\r?\n")) {
            if (line.startsWith("cmdstat_eval:")) {
                return Long.parseLong(line.replaceAll("^cmdstat_eval:calls=(\\d+),.*", "$1"));
            }
        }
        return 0;
    }

    /** Submits {@code n} appends from one task on the event loop; their futures, in call order. */
    private List<CompletableFuture<EventId>> onTheLoop(int n, IntFunction<CompletableFuture<EventId>> append)
            throws Exception {
        List<CompletableFuture<EventId>> out = new ArrayList<>();
        CompletableFuture.runAsync(
                        () -> {
                            for (int i = 0; i < n; i++) {
                                out.add(append.apply(i));
                            }
                        },
                        client.channel.flushExecutor())
                .get(30, TimeUnit.SECONDS);
        return out;
    }

    private static StreamRecord idem(String iid, String payload) {
        return StreamRecord.builder().payload(payload).idempotencyId(iid).build();
    }

    @Test
    void idempotentAppendsWrittenBeforeAFlushGoInOneScriptCallPerHundredTwentyEight() throws Exception {
        StreamName s = StreamName.of("it-" + RUN + "-run");
        long before = evalCalls();
        List<CompletableFuture<EventId>> ids = onTheLoop(300, i -> client.appendAsync(s, idem("r-" + i, "e" + i)));
        CompletableFuture.allOf(ids.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        long calls = evalCalls() - before;
        assertEquals(
                3,
                calls,
                () -> "300 idempotent appends before one flush: runs of 128, 128 and 44; "
                        + rawConn.sync().info("commandstats"));

        List<StreamEvent> stored = client.range(s, Position.earliest(), null, 1000);
        assertEquals(300, stored.size());
        for (int i = 0; i < 300; i++) {
            assertEquals(ids.get(i).join(), stored.get(i).id(), "stored in call order");
            assertEquals("e" + i, new String(stored.get(i).payload(), StandardCharsets.UTF_8));
        }

        // the same ids again, in one run: every one a duplicate answered with the first id
        List<CompletableFuture<EventId>> again = onTheLoop(300, i -> client.appendAsync(s, idem("r-" + i, "x")));
        for (int i = 0; i < 300; i++) {
            assertEquals(ids.get(i).get(30, TimeUnit.SECONDS), again.get(i).get(30, TimeUnit.SECONDS));
        }
        assertEquals(300, client.info(s).length());
    }

    @Test
    void anIdRepeatedInsideOneRunIsStoredOnceAndBothAnswersNameIt() throws Exception {
        StreamName s = StreamName.of("it-" + RUN + "-repeat");
        List<CompletableFuture<EventId>> ids =
                onTheLoop(3, i -> client.appendAsync(s, idem(i == 1 ? "other" : "same", "e" + i)));
        assertEquals(ids.get(0).get(30, TimeUnit.SECONDS), ids.get(2).get(30, TimeUnit.SECONDS));
        assertEquals(2, client.info(s).length());
    }

    @Test
    void aPlainAppendOrABatchWritesThePendingRunFirstSoOneThreadsAppendsKeepTheirOrder() throws Exception {
        StreamName s = StreamName.of("it-" + RUN + "-order");
        StreamName other = StreamName.of("it-" + RUN + "-order-other");
        List<CompletableFuture<EventId>> ids = onTheLoop(6, i -> switch (i % 3) {
            case 0 -> client.appendAsync(s, idem("o-" + i, "e" + i));
            case 1 -> client.appendAsync(s, StreamRecord.of("e" + i)); // plain XADD behind the run
            default ->
                i == 5
                        ? client.appendBatchAsync(s, List.of(StreamRecord.of("e" + i)))
                                .thenApply(l -> l.get(0))
                        : client.appendAsync(other, idem("o-" + i, "e" + i)); // another stream ends the run
        });
        List<EventId> got = new ArrayList<>();
        for (CompletableFuture<EventId> f : ids) {
            got.add(f.get(30, TimeUnit.SECONDS));
        }
        List<StreamEvent> stored = client.range(s, Position.earliest(), null, 10);
        List<String> payloads = new ArrayList<>();
        stored.forEach(e -> payloads.add(new String(e.payload(), StandardCharsets.UTF_8)));
        assertEquals(List.of("e0", "e1", "e3", "e4", "e5"), payloads, "one thread's appends in call order");
        assertEquals(got.get(0), stored.get(0).id());
        assertEquals(got.get(3), stored.get(2).id());
        assertTrue(client.info(other).length() == 1, "the other stream's append was written");
    }
}
