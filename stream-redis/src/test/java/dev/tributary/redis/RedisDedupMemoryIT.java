package dev.tributary.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ClientConfig;
import dev.tributary.EventId;
import dev.tributary.StreamClient;
import dev.tributary.StreamClients;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;

/**
 * The memory an idempotent publisher leaves on the user's Redis stays flat under a steady rate:
 * appends with a fresh idempotency id each (what {@code Publisher} sends) leave the stream and two
 * dedup keys, whose size stops growing at {@code dedupMaxIds} ids. Prints the figures of each phase
 * (docs/benchmarks.md); {@code -Dtributary.dedup.phases} and {@code -Dtributary.dedup.perPhase}
 * scale the run (default 3 phases of 20 000 appends), {@code -Dtributary.dedup.maxIds} the bound
 * (default 10 000; 0 leaves the option unset).
 */
class RedisDedupMemoryIT {

    @Test
    void dedupMemoryStopsGrowingAtDedupMaxIds() {
        int phases = Integer.getInteger("tributary.dedup.phases", 3);
        int perPhase = Integer.getInteger("tributary.dedup.perPhase", 20_000);
        int maxIds = Integer.getInteger("tributary.dedup.maxIds", 10_000);
        RedisFixture fixture = RedisFixture.shared();
        StreamName s = StreamName.of("dedup-mem-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36));
        try (RawRedis<String, String> conn = RawRedis.open(fixture);
                StreamClient c = StreamClients.open(config(fixture, maxIds))) {
            RedisCommands<String, String> redis = conn.sync();
            long keysBefore = redis.dbsize();
            long memBefore = usedMemory(redis);
            List<Long> dedupBytes = new ArrayList<>();
            for (int p = 1; p <= phases; p++) {
                redis.configResetstat(); // the server's time per script call, below, is this phase's
                long t0 = System.nanoTime();
                // like Publisher's default: at most 1 000 appends in flight
                Semaphore window = new Semaphore(1_000);
                List<CompletableFuture<EventId>> sent = new ArrayList<>(perPhase);
                for (int i = 0; i < perPhase; i++) {
                    window.acquireUninterruptibly();
                    CompletableFuture<EventId> f = c.appendAsync(
                            s,
                            StreamRecord.builder()
                                    .payload("x".repeat(100))
                                    .idempotencyId("pub-" + UUID.randomUUID())
                                    .build());
                    f.whenComplete((id, e) -> window.release());
                    sent.add(f);
                }
                sent.forEach(CompletableFuture::join);
                double secs = (System.nanoTime() - t0) / 1e9;
                List<String> keys = redis.keys("*" + s.value() + "*");
                long bytes = 0;
                for (String k : keys) {
                    if (k.contains(":tributary:dedup")) {
                        Long u = redis.memoryUsage(k);
                        bytes += u == null ? 0 : u;
                    }
                }
                dedupBytes.add(bytes);
                System.out.printf(
                        "dedup phase %d: %d appends in %.2f s (%.0f/s); DBSIZE %+d; used_memory %+d B; "
                                + "keys of the stream %d; dedup keys %d B; server time per EVAL %s us%n",
                        p,
                        perPhase,
                        secs,
                        perPhase / secs,
                        redis.dbsize() - keysBefore,
                        usedMemory(redis) - memBefore,
                        keys.size(),
                        bytes,
                        stat(redis.info("commandstats"), "cmdstat_eval:", "usec_per_call="));
            }
            List<String> keys = redis.keys("*" + s.value() + "*");
            assertEquals(3, keys.size(), "the stream and its two dedup keys, whatever the number of appends: " + keys);
            String ids = keys.stream()
                    .filter(k -> k.endsWith(":tributary:dedup"))
                    .findFirst()
                    .orElseThrow();
            int bound = maxIds > 0 ? maxIds : 100_000;
            long kept = redis.hlen(ids);
            long most = Math.min(bound, (long) phases * perPhase);
            assertTrue(kept <= most && kept >= most - bound / 64, "trimmed to dedupMaxIds (less 1/64): " + kept);
            if (phases >= 2 && perPhase >= bound) {
                long first = dedupBytes.get(0);
                long last = dedupBytes.get(dedupBytes.size() - 1);
                assertTrue(last <= first * 1.25, "flat once the bound is reached: " + dedupBytes);
            }
            redis.del(keys.toArray(String[]::new));
        }
    }

    /** The fixture's client with a long request timeout (a loaded machine) and the dedup bound. */
    private static ClientConfig config(RedisFixture fixture, int maxIds) {
        ClientConfig.Builder b = fixture.config().toBuilder()
                .requestTimeout(Duration.ofSeconds(30))
                .option("appendMaxLen", "1000");
        if (maxIds > 0) { // 0: the client's default (and a build from before the option, for a comparison)
            b.option("dedupMaxIds", Integer.toString(maxIds));
        }
        return b.build();
    }

    /** A field of one line of an INFO section, or "?". */
    private static String stat(String info, String line, String field) {
        for (String l : info.split("\r?\n")) {
            if (l.startsWith(line)) {
                int at = l.indexOf(field);
                if (at >= 0) {
                    int end = l.indexOf(',', at);
                    return l.substring(at + field.length(), end < 0 ? l.length() : end);
                }
            }
        }
        return "?";
    }

    private static long usedMemory(RedisCommands<String, String> redis) {
        for (String line : redis.info("memory").split("\r?\n")) {
            if (line.startsWith("used_memory:")) {
                return Long.parseLong(line.substring("used_memory:".length()).trim());
            }
        }
        return -1;
    }
}
