package dev.tributary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench on the memory backend: Tributary only, a table and a JSON result. */
class BenchTest {

    @Test
    void benchOnMemoryPrintsTheTableAndWritesJson(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("result.json");
        Cli.Result r = bench(
                "--records 5000 --size 64 --batch 500 --producers 2 --consumers 2 --rounds 2 --warmup 0",
                "--json",
                json.toString());
        assertEquals(0, r.exitCode(), r::toString);
        assertPrintsPhases(r, "append", "consume");
        assertTrue(r.out().contains("p99 ms"), r::toString);
        assertTrue(r.out().contains("no raw client for backend 'memory'"), r::toString);
        JsonNode n = new ObjectMapper().readTree(Files.readString(json));
        assertEquals("memory", n.get("backend").asText());
        assertEquals(5000, n.get("workload").get("records").asInt());
        assertEquals(2, n.get("rounds").asInt());
        assertTrue(n.get("tributary").get("append").get("eventsPerSecond").asLong() > 0);
        assertTrue(n.get("tributary").get("consume").get("p99Ms").asDouble() >= 0);
        assertFalse(n.has("raw"));
    }

    @Test
    void benchRunsTheProcessorPhasesAndAPublisher(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("phases.json");
        Cli.Result r = benchOneRound(
                "--records 3000 --batch 100 --consumers 2 --phases tail,process,latency --rate 20000 --publisher",
                "--json",
                json.toString());
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("Tributary through a Publisher (idempotent)"), r::toString);
        assertPrintsPhases(r, "tail", "process", "latency");
        assertFalse(r.out().matches("(?s).*\\nconsume +events/s.*"), "consume was not asked for: " + r);
        JsonNode n = new ObjectMapper().readTree(Files.readString(json));
        for (String phase : List.of("append", "tail", "process", "latency")) {
            assertTrue(n.get("tributary").get(phase).get("eventsPerSecond").asLong() > 0, phase);
        }
        assertFalse(n.get("tributary").has("consume"));
    }

    @Test
    void benchWithBatchAppendsAndNoJson(@TempDir Path dir) {
        Cli.Result r = benchOneRound("--records 3000 --batch 100 --batch-append --no-json");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("batch appends"), r::toString);
    }

    @Test
    void benchObserveComparesInstrumentedWithPlainTributaryAndShowsTheInstrumentsWorked(@TempDir Path dir)
            throws Exception {
        Path json = dir.resolve("observe.json");
        Cli.Result r = benchOneRound("--observe --records 2000 --batch 200", "--json", json.toString());
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().matches("(?s).*Tributary\\+obs +Tributary +ratio.*"), r::toString);
        // 2 000 appends, each a producer span; consumer spans come on top
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                        "(\\d+) spans sampled \\(AlwaysOnSampler\\), (\\d+) exported")
                .matcher(r.out());
        assertTrue(m.find(), r::toString);
        assertTrue(Long.parseLong(m.group(1)) >= 2000, r::toString);
        JsonNode n = new ObjectMapper().readTree(Files.readString(json));
        assertEquals("observed-both-vs-plain", n.get("comparison").asText());
        assertEquals("Tributary+obs", n.get("tributary").get("label").asText());
        assertEquals("Tributary", n.get("raw").get("label").asText());
        assertTrue(n.get("ratio").get("append").asDouble() > 0);
        assertTrue(n.get("ratioMedianOfRounds").get("append").asDouble() > 0);
        assertEquals(
                n.get("spans").get("sampled").asLong(),
                n.get("spans").get("exported").asLong()
                        + n.get("spans").get("dropped").asLong());
    }

    @Test
    void benchObserveHonoursTheSamplerAndCarriesW3cContext(@TempDir Path dir) throws Exception {
        JsonNode n = observedBench(dir.resolve("observe.json"), "--observe=tracing --sampler always_off");
        assertEquals("AlwaysOffSampler", n.get("sampler").asText());
        assertEquals(0, n.get("spans").get("sampled").asLong());
        Cli.Result bad = bench("--observe --sampler sometimes --no-json");
        assertEquals(2, bad.exitCode(), bad::toString);
        assertTrue(bad.err().contains("unknown sampler"), bad::toString);
    }

    @Test
    void benchTraceParentsRunsAppendsInsideUpstreamTracesSampledAsTheSamplerSays(@TempDir Path dir) throws Exception {
        for (String sampler : new String[] {"parentbased_always_off", "parentbased_always_on"}) {
            JsonNode n = observedBench(
                    dir.resolve(sampler + ".json"),
                    "--observe=tracing --sampler " + sampler + " --trace-parents --no-dropped-context");
            boolean on = sampler.endsWith("_on");
            assertEquals(on ? 1024 : 0, n.get("traceParentsSampled").asInt(), n::toString);
            assertEquals(false, n.get("propagateDroppedTraces").asBoolean());
            long sampled = n.get("spans").get("sampled").asLong();
            // every append's parent sampled: a send span each; none sampled: no send span at all
            assertTrue(on ? sampled >= 1000 : sampled == 0, () -> sampler + ": " + sampled + " spans; " + n);
        }
        Cli.Result header = benchOneRound("--observe=header --records 500 --no-json");
        assertEquals(0, header.exitCode(), header::toString);
        assertTrue(header.out().contains("Tributary+header"), header::toString);
        Cli.Result bad = bench("--trace-parents --no-json");
        assertEquals(2, bad.exitCode(), bad::toString);
        assertTrue(bad.err().contains("--trace-parents needs --observe"), bad::toString);
    }

    /** Asserts that the table has an {@code events/s} row with a figure for each of {@code phases}. */
    private static void assertPrintsPhases(Cli.Result r, String... phases) {
        for (String phase : phases) {
            assertTrue(r.out().matches("(?s).*\\n" + phase + " +events/s +[\\d,]+\\s.*"), () -> phase + ": " + r);
        }
    }

    /** A 1 000-record, one-round bench of the memory backend with {@code observeOptions}; its JSON. */
    private static JsonNode observedBench(Path json, String observeOptions) throws Exception {
        Cli.Result r = benchOneRound(observeOptions + " --records 1000 --batch 100", "--json", json.toString());
        assertEquals(0, r.exitCode(), r::toString);
        return new ObjectMapper().readTree(Files.readString(json));
    }

    /**
     * {@code tributary bench OPTIONS MORE} on a fresh memory store: {@code options} as typed (split at
     * spaces), then {@code more} as they are (a path may contain spaces).
     */
    private static Cli.Result bench(String options, String... more) {
        List<String> all = new ArrayList<>(List.of("--uri", Cli.freshStore(), "bench"));
        all.addAll(List.of(options.split(" ")));
        all.addAll(List.of(more));
        return Cli.run(all.toArray(String[]::new));
    }

    /** {@link #bench} with one measured round and no warm-up. */
    private static Cli.Result benchOneRound(String options, String... more) {
        return bench(options + " --rounds 1 --warmup 0", more);
    }

    @Test
    void benchRejectsBadSettings() {
        Cli.Result r = Cli.run("bench", "--records", "0", "--no-json");
        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.err().startsWith("tributary: --records"), r::toString);
        Cli.Result big = Cli.run("bench", "--size", "999999999", "--no-json");
        assertEquals(2, big.exitCode(), big::toString);
        Cli.Result batch = Cli.run("bench", "--batch", "100001", "--no-json");
        assertEquals(2, batch.exitCode(), batch::toString);
        assertTrue(batch.err().contains("--batch is at most 100000"), batch::toString);
    }
}
