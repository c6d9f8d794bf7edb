package dev.tributary.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.EventId;
import dev.tributary.Partitioner;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamClients;
import dev.tributary.StreamEvent;
import dev.tributary.StreamName;
import dev.tributary.StreamOptions;
import dev.tributary.StreamRecord;
import dev.tributary.redis.internal.RedisSettings;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The key layout of partitioned streams that stream-redis' README documents, seen with plain Lettuce:
 * partition {@code p} of stream {@code s} is the key {@code {s/p}}, the count is in
 * {@code {s}:tributary:partitions}, and a one-partition stream keeps the key {@code s} it always had.
 */
class RedisPartitionsIT {
    private static final String RUN = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
    private static RawRedis<String, String> raw;

    @BeforeAll
    static void connect() {
        raw = RawRedis.open(RedisFixture.shared());
    }

    @AfterAll
    static void disconnect() {
        if (raw != null) {
            raw.close();
        }
    }

    @Test
    void aPartitionedStreamIsOneKeyPerPartitionWithTheCountBesideIt() {
        StreamName s = StreamName.of("part-" + RUN + "-layout");
        String key = RedisSettings.from(RedisFixture.shared().config()).streamKey(s.value());
        RedisCommands<String, String> redis = raw.sync();
        try (StreamClient c = StreamClients.open(RedisFixture.shared().config())) {
            c.createStream(s, StreamOptions.partitions(4));
            assertEquals("4", redis.get("{" + key + "}:tributary:partitions"), "the count beside the stream");
            for (int i = 0; i < 40; i++) {
                String k = "order-" + i;
                EventId id = c.append(
                        s, StreamRecord.builder().key(k).payload("e" + i).build());
                assertEquals(
                        Partitioner.partition(k.getBytes(StandardCharsets.UTF_8), 4),
                        id.partition(),
                        "the key's partition is Kafka's murmur2 of it, as on every backend");
                List<?> entry = redis.xrange(
                        "{" + key + "/" + id.partition() + "}",
                        io.lettuce.core.Range.create(
                                id.local().toString(), id.local().toString()));
                assertEquals(1, entry.size(), "event " + id + " is in the key of its partition");
            }
            long total = 0;
            for (int p = 0; p < 4; p++) {
                long len = redis.xlen("{" + key + "/" + p + "}");
                assertTrue(len > 0, "40 keys spread over every partition; partition " + p + " is empty");
                total += len;
            }
            assertEquals(40, total);
            assertEquals(0, redis.exists(key), "no one-partition key beside the partitions");

            List<StreamEvent> all = c.range(s, Position.earliest(), null, 100);
            assertEquals(40, all.size(), "a range reads every partition");
            assertArrayEquals(
                    StreamRecord.of("e0").payload(),
                    all.stream()
                            .filter(e -> new String(e.key(), StandardCharsets.UTF_8).equals("order-0"))
                            .findFirst()
                            .orElseThrow()
                            .payload());

            assertTrue(c.deleteStream(s));
            for (int p = 0; p < 4; p++) {
                assertEquals(0, redis.exists("{" + key + "/" + p + "}"), "deleteStream removes partition " + p);
            }
            assertNull(redis.get("{" + key + "}:tributary:partitions"), "and the count");
        }
    }

    @Test
    void aOnePartitionStreamKeepsTheKeyItAlwaysHad() {
        StreamName s = StreamName.of("part-" + RUN + "-one");
        String key = RedisSettings.from(RedisFixture.shared().config()).streamKey(s.value());
        RedisCommands<String, String> redis = raw.sync();
        try (StreamClient c = StreamClients.open(RedisFixture.shared().config())) {
            c.createStream(s, StreamOptions.defaults());
            EventId id =
                    c.append(s, StreamRecord.builder().key("k").payload("x").build());
            assertEquals(1, redis.xlen(key));
            assertTrue(!id.isPartitioned(), "a one-partition stream's ids are plain Redis ids");
            assertNull(redis.get("{" + key + "}:tributary:partitions"), "no count for a one-partition stream");
            assertEquals(0, redis.exists("{" + key + "/0}"));
        }
    }
}
