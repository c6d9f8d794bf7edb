package dev.tributary.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.EventId;
import dev.tributary.Partitioner;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamClients;
import dev.tributary.StreamEvent;
import dev.tributary.StreamName;
import dev.tributary.StreamOptions;
import dev.tributary.StreamReader;
import dev.tributary.StreamRecord;
import dev.tributary.redis.internal.RedisSettings;
import dev.tributary.tck.fixture.Polling;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Partitions spread a stream over a Redis Cluster: each partition key is its own hash tag, so the 12
 * partitions of one stream land on several primaries, and a reader over all of them (a blocking read
 * per node) gets every event.
 */
class RedisClusterPartitionsIT {
    private static final String RUN = Long.toString(System.currentTimeMillis() % 1_000_000, 36);

    @Test
    void twelvePartitionsSpreadOverThePrimariesAndReadBackWhole() {
        RedisClusterFixture f = RedisClusterFixture.shared();
        StreamName s = StreamName.of("cpart-" + RUN);
        String key = RedisSettings.from(f.config()).streamKey(s.value());
        // needs every partition's slot served by a primary, not the whole cluster in sync: after the
        // failovers of RedisClusterIT a promoted primary's replicas may stay out of sync for minutes
        long served = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (int p = 0; p < 12; p++) {
            while (f.servers().primaryOf("{" + key + "/" + p + "}").isEmpty()) {
                assertTrue(System.nanoTime() < served, "no primary serves the slot of partition " + p);
                Polling.sleep(100);
            }
        }
        try (StreamClient c = StreamClients.open(f.config())) {
            c.createStream(s, StreamOptions.partitions(12));
            Set<Integer> primaries = new HashSet<>();
            for (int p = 0; p < 12; p++) {
                primaries.add(f.servers().primaryOf("{" + key + "/" + p + "}").orElseThrow());
            }
            assertTrue(
                    primaries.size() >= 2,
                    "12 partitions of one stream are on one primary only: " + primaries + " of "
                            + f.servers().primaries());

            try (StreamReader r = c.openReader(s, Position.earliest())) {
                List<EventId> ids = new ArrayList<>();
                for (int i = 0; i < 120; i++) {
                    String k = "customer-" + i;
                    EventId id = c.append(
                            s, StreamRecord.builder().key(k).payload("e" + i).build());
                    assertEquals(Partitioner.partition(k.getBytes(StandardCharsets.UTF_8), 12), id.partition());
                    ids.add(id);
                }
                Set<EventId> seen = new HashSet<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (seen.size() < ids.size() && System.nanoTime() < deadline) {
                    for (StreamEvent e : r.poll(100, Duration.ofSeconds(1))) {
                        assertTrue(seen.add(e.id()), "delivered twice: " + e.id());
                    }
                }
                assertEquals(
                        new HashSet<>(ids), seen, "the reader over 12 partitions on several nodes got every event");
            }
            assertEquals(120, c.info(s).length(), "info totals the partitions");
            c.deleteStream(s);
        }
    }
}
