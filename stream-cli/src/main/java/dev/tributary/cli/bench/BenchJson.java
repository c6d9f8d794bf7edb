package dev.tributary.cli.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.cli.command.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;

/** The JSON file of a bench run: what ran (the head), the report's figures, spans and the load. */
final class BenchJson {
    private BenchJson() {}

    /** The result's first fields: what ran, where, on what. */
    static ObjectNode head(String backend, String uri, Workload w, Instant started, int warmup) {
        ObjectNode n = Json.object();
        n.put("tool", "tributary bench");
        n.put("started", started.toString());
        n.put("backend", backend);
        n.put("uri", uri);
        n.put("java", System.getProperty("java.version"));
        n.put("cpus", Runtime.getRuntime().availableProcessors());
        ObjectNode wl = n.putObject("workload");
        wl.put("records", w.records());
        wl.put("size", w.size());
        wl.put("batch", w.batch());
        wl.put("producers", w.producers());
        wl.put("consumers", w.consumers());
        wl.put("window", w.window());
        wl.put("batchAppend", w.batchAppend());
        n.put("warmup", warmup);
        return n;
    }

    /**
     * Writes the result.
     *
     * @param head     what ran, where, on what
     * @param observe  what {@code --observe} measured, or null for Tributary against the raw client
     * @param observed the observed client's counters, or null
     */
    static void write(
            Path file,
            BenchReport report,
            ObjectNode head,
            Observed.What observe,
            Observed observed,
            double loadBefore,
            double loadAfter)
            throws IOException {
        ObjectNode result = report.toJson(head);
        result.put(
                "comparison",
                observe != null
                        ? "observed-" + observe.name().toLowerCase(Locale.ROOT) + "-vs-plain"
                        : "tributary-vs-raw");
        if (observed != null) {
            result.put("sampler", observed.samplerName());
            result.put("traceParentsSampled", observed.sampledParents());
            result.put("propagateDroppedTraces", observed.propagatesDropped());
            long[] spans = observed.spans();
            ObjectNode sp = result.putObject("spans");
            sp.put("sampled", spans[0]);
            sp.put("exported", spans[1]);
            sp.put("dropped", spans[0] - spans[1]);
        }
        result.put("loadAverageStart", loadBefore);
        result.put("loadAverageEnd", loadAfter);
        Files.writeString(file, Json.pretty(result) + System.lineSeparator());
    }
}
