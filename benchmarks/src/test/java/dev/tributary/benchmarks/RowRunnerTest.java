package dev.tributary.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** The runner with sides and a backend that only record what they were asked to do: no broker. */
class RowRunnerTest {
    private final List<String> calls = new ArrayList<>();

    private final Backend backend = new Backend() {
        @Override
        public String name() {
            return "fake";
        }

        @Override
        public String uri() {
            return "fake://";
        }

        @Override
        public void create(String stream) {
            calls.add("create " + stream);
        }

        @Override
        public void fill(String stream, int records, byte[] payload) {
            calls.add("fill " + records);
        }

        @Override
        public void delete(String stream) {
            calls.add("delete " + stream);
        }

        @Override
        public void close() {}
    };

    private Side side(String name, boolean fails) {
        return new Side() {
            @Override
            public void prepare(String stream, int records) {
                calls.add(name + " prepare " + records);
            }

            @Override
            public void run(int records) {
                calls.add(name + " run");
                LockSupport.parkNanos(100_000);
                if (fails) {
                    throw new IllegalStateException("outer", new java.io.IOException("the real cause"));
                }
            }

            @Override
            public void finish() {
                calls.add(name + " finish");
            }

            @Override
            public void close() {
                calls.add(name + " close");
            }
        };
    }

    private Row row(String operation, boolean peerFails) {
        return new Row(
                "x",
                "fake",
                operation,
                "test",
                new Row.Contender("T", "m", "g", () -> side("T", false)),
                new Row.Contender("P", "m", "g", () -> side("P", peerFails)));
    }

    private RowResult run(Row row, int rounds, int warmup) {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        RowRunner runner =
                new RowRunner(backend, rounds, warmup, 10, 20, new PrintStream(log, true, StandardCharsets.UTF_8));
        return runner.run(row);
    }

    @Test
    void warmupIsDiscardedAndWhoGoesFirstAlternates() {
        RowResult r = run(row("publish", false), 3, 1);
        assertNull(r.error());
        assertEquals(3, r.rounds().size());
        assertEquals(
                List.of(1, 2, 3),
                r.rounds().stream().map(RowResult.Round::number).toList());
        // the warm-up (round index 0) had Tributary first, so the measured rounds start with the peer
        assertEquals(
                List.of(false, true, false),
                r.rounds().stream().map(RowResult.Round::tributaryFirst).toList());
        assertTrue(r.rounds().stream().allMatch(x -> x.records() == 10 && x.tributaryNanos() > 0 && x.peerNanos() > 0));
        assertEquals("T run", calls.get(calls.indexOf("T prepare 10") + 1));
        assertFalse(calls.contains("fill 10"), "a publish row starts from an empty stream");
        assertEquals(8, calls.stream().filter(c -> c.startsWith("delete ")).count());
        assertTrue(calls.contains("T close") && calls.contains("P close"));
    }

    @Test
    void aConsumeRowFillsEachStreamWithTheConsumeCount() {
        RowResult r = run(row("consume", false), 1, 0);
        assertEquals(20, r.rounds().get(0).records());
        assertEquals(2, calls.stream().filter(c -> c.equals("fill 20")).count());
    }

    @Test
    void aFailingSideStopsTheRowWithTheRealCauseAndCleansUp() {
        RowResult r = run(row("publish", true), 3, 0);
        assertTrue(r.rounds().isEmpty());
        assertTrue(r.error().contains("outer") && r.error().contains("the real cause"), r.error());
        assertTrue(calls.contains("P finish"));
        assertEquals(
                calls.stream().filter(c -> c.startsWith("create ")).count(),
                calls.stream().filter(c -> c.startsWith("delete ")).count());
        assertTrue(calls.contains("T close") && calls.contains("P close"));
    }
}
