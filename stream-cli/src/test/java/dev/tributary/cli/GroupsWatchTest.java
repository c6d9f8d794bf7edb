package dev.tributary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.StreamClient;
import dev.tributary.StreamClients;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** {@code groups --watch} run as a user types it, on a named memory store. */
class GroupsWatchTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String uri = Cli.freshStore();

    private Cli.Result run(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--uri";
        all[1] = uri;
        System.arraycopy(args, 0, all, 2, args.length);
        return Cli.run(all);
    }

    @Test
    void watchPrintsOneBlockPerRefreshWithRatesFromTheSecondOn() {
        assertEquals(0, run("produce", "w", "1", "2", "3", "4", "5").exitCode());
        assertEquals(0, run("tail", "w", "-g", "billing", "-m", "m1", "-n", "2").exitCode());

        Cli.Result r = run("groups", "w", "--watch=100ms", "-n", "3");
        assertEquals(0, r.exitCode(), r::toString);
        List<String> lines = r.outLines();
        assertEquals(List.of(0, 4, 8), headerLines(lines), r::toString); // 3 lines a block, a blank line between
        assertTrue(lines.get(0).startsWith("w  length 5  appended -/s  at "), r::toString);
        assertTrue(lines.get(2).matches("billing\\s+0\\s+3\\s+-\\s+-\\s+.*"), r::toString);
        for (int block : List.of(4, 8)) {
            assertTrue(lines.get(block).startsWith("w  length 5  appended 0.0/s"), r::toString);
            assertTrue(lines.get(block + 2).matches("billing\\s+0\\s+3\\s+0\\.0\\s+\\+0\\.0\\s+.*"), r::toString);
        }
    }

    @Test
    void watchShowsAppendsAndTheLagOfAnIdleGroupGrowingAsJsonLines() throws Exception {
        assertEquals(0, run("produce", "busy", "first").exitCode());
        assertEquals(0, run("groups", "busy", "--create", "idle").exitCode());
        AtomicBoolean stop = new AtomicBoolean();
        Thread producer = new Thread(() -> {
            try (StreamClient c = StreamClients.open(uri)) {
                while (!stop.get()) {
                    c.append(StreamName.of("busy"), StreamRecord.of("x"));
                    Thread.sleep(2);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        producer.start();
        Cli.Result r;
        try {
            r = run("groups", "busy", "idle", "--watch=200ms", "--count", "3", "-o", "json");
        } finally {
            stop.set(true);
            producer.join();
        }
        assertEquals(0, r.exitCode(), r::toString);
        List<JsonNode> refreshes = new ArrayList<>();
        for (String line : r.outLines()) {
            refreshes.add(JSON.readTree(line));
        }
        assertEquals(3, refreshes.size(), r::toString);
        assertTrue(refreshes.get(0).get("appendedPerSecond").isNull(), r::toString);
        for (JsonNode n : refreshes.subList(1, 3)) {
            assertTrue(n.get("appendedPerSecond").asDouble() > 0, r::toString);
            JsonNode idle = n.get("groups").get(0);
            assertEquals("idle", idle.get("group").asText());
            assertTrue(idle.get("lagPerSecond").asDouble() > 0, "nobody consumes: the lag grows " + r);
            assertEquals(0.0, idle.get("ackedPerSecond").asDouble(), r::toString);
        }
        assertTrue(
                refreshes.get(2).get("length").asLong()
                        > refreshes.get(1).get("length").asLong(),
                r::toString);
    }

    @Test
    void badWatchOptionsFailBeforeAnyConnection() {
        String unreachable = "redis://127.0.0.1:1"; // nothing listens: a connection attempt would fail
        expectUsage(Cli.run("--uri", unreachable, "groups", "s", "--count", "3"), "--count needs --watch");
        expectUsage(Cli.run("--uri", unreachable, "groups", "s", "--watch=50ms"), "100ms to 1h");
        expectUsage(Cli.run("--uri", unreachable, "groups", "s", "--watch=soon"), "soon");
        expectUsage(Cli.run("--uri", unreachable, "groups", "s", "--watch", "--create", "g"), "without --create");
        expectUsage(Cli.run("--uri", unreachable, "groups", "s", "--watch", "-n", "0"), "--count must be at least 1");
        expectUsage(Cli.run("--uri", unreachable, "groups", "s", "--watch", "--rows", "0"), "--rows must be 1 to 1000");
    }

    @Test
    void watchOnAMissingStreamFailsWithOneLine() {
        Cli.Result r = run("groups", "nope", "--watch=100ms", "-n", "2");
        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.err().contains("stream 'nope' does not exist"), r::toString);
    }

    private static void expectUsage(Cli.Result r, String contains) {
        assertEquals(2, r.exitCode(), r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.err().contains(contains), r::toString);
    }

    private static List<Integer> headerLines(List<String> lines) {
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("w  length ")) {
                at.add(i);
            }
        }
        return at;
    }
}
