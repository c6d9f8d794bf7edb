package dev.tributary.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tributary.ErrorKind;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamClients;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamReader;
import io.lettuce.core.RedisClient;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A failover that lost the entries a reader read last (the old primary served them, the promoted replica
 * never got them) is played on one server: the stream is replaced by a prefix of itself, then the "new
 * primary" writes one entry below the reader's old cursor (a slower clock) and one above it. With
 * {@code lostTail=resume} (the default of a Cluster or Sentinel) the reader reads both; on one server
 * (default {@code fail}) the poll fails {@code DATA_LOSS}, as rule F7 wants of a server that lost its data.
 */
class RedisLostTailIT {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final String RUN = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
    private static RedisClient lettuce;
    private static RedisCommands<String, String> raw;

    @BeforeAll
    static void connect() {
        lettuce = RedisClient.create(
                RedisFixture.shared().config().uri().toString().replaceFirst("\\?.*$", ""));
        raw = lettuce.connect().sync();
    }

    @AfterAll
    static void disconnect() {
        if (lettuce != null) {
            lettuce.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    @Test
    void withResumeTheReaderGoesOnAfterTheLastEntryTheServerHolds() {
        try (StreamClient client = StreamClients.open(RedisFixture.shared().config().toBuilder()
                .option("lostTail", "resume")
                .build())) {
            StreamName s = StreamName.of("losttail-" + RUN + "-" + SEQ.incrementAndGet());
            try (StreamReader reader = readAllOfTenThenLoseTheLastFive(client, s)) {
                List<String> after = new ArrayList<>();
                long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (after.size() < 2 && System.nanoTime() < end) {
                    for (StreamEvent e : reader.poll(10, Duration.ofMillis(200))) {
                        after.add(new String(e.payload(), StandardCharsets.UTF_8));
                    }
                }
                assertEquals(
                        List.of("below-the-old-cursor", "above-it"),
                        after,
                        "every entry the server holds after the last one it kept is read, none skipped");
                assertEquals(
                        Position.after(client.parseId("100-5")).toString(),
                        reader.position().toString());
            }
        }
    }

    @Test
    void oneServerReportsTheLostTailAsDataLoss() {
        try (StreamClient client = StreamClients.open(RedisFixture.shared().config())) {
            StreamName s = StreamName.of("losttail-" + RUN + "-" + SEQ.incrementAndGet());
            try (StreamReader reader = readAllOfTenThenLoseTheLastFive(client, s)) {
                StreamException e = assertThrows(StreamException.class, () -> reader.poll(10, Duration.ZERO));
                assertEquals(ErrorKind.DATA_LOSS, e.kind(), e.getMessage());
            }
        }
    }

    /** Ten entries 1-1 … 10-1 read by a reader; then the key holds 1-1 … 5-1, 7-5 and a new one (100-5). */
    private static StreamReader readAllOfTenThenLoseTheLastFive(StreamClient client, StreamName s) {
        String key = s.value();
        for (int i = 1; i <= 10; i++) {
            raw.xadd(key, new XAddArgs().id(i + "-1"), Map.of("p", "e" + i));
        }
        StreamReader reader = client.openReader(s, Position.earliest());
        int read = 0;
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (read < 10 && System.nanoTime() < end) {
            read += reader.poll(10, Duration.ofMillis(200)).size();
        }
        assertEquals(10, read);
        raw.del(key);
        for (int i = 1; i <= 5; i++) {
            raw.xadd(key, new XAddArgs().id(i + "-1"), Map.of("p", "e" + i));
        }
        raw.xadd(key, new XAddArgs().id("7-5"), Map.of("p", "below-the-old-cursor"));
        raw.xadd(key, new XAddArgs().id("100-5"), Map.of("p", "above-it"));
        return reader;
    }
}
