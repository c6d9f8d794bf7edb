package dev.tributary.cli.bench;

import dev.tributary.Capability;
import dev.tributary.StreamClient;
import dev.tributary.StreamException;
import dev.tributary.StreamOptions;
import dev.tributary.cli.CliException;
import dev.tributary.cli.Errors;
import dev.tributary.cli.command.ClientCommand;
import dev.tributary.cli.command.SignalGuard;
import dev.tributary.core.Ordering;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tributary bench}: append and consume throughput and latency, through Tributary and through
 * the backend's raw native client doing the same work in the same run, side by side with the
 * ratio. Rounds alternate which side goes first; the figures are the median round (throughput) and
 * all measured rounds merged (latency).
 */
@Command(
        name = "bench",
        sortOptions = false,
        mixinStandardHelpOptions = true,
        header = "Measure throughput and latency against the raw native client.",
        description = {
            "Appends --records records of --size bytes, then reads them back in a consumer group acking "
                    + "each batch — through Tributary and through the raw client of the backend (Lettuce, "
                    + "kafka-clients, jnats) in the same run — and prints both with the ratio. The memory backend "
                    + "has no raw client: Tributary only. --phases adds the processors: a TailProcessor against the raw "
                    + "tail loop, GroupProcessors against the raw group loop. --publisher appends through a Publisher. "
                    + "With --observe the comparison is Tributary with metrics and tracing against plain Tributary "
                    + "instead.",
            ""
        },
        footer = {
            "",
            "Examples:",
            "  tributary bench",
            "  tributary --uri redis://localhost:6379 bench --records 200000 --size 100 --batch 1000",
            "  tributary --uri nats://localhost:4222 bench --producers 2 --consumers 2 --json nats.json",
            "  tributary --uri kafka://localhost:9092 bench --phases consume,tail,process --publisher"
        })
public final class BenchCommand extends ClientCommand {
    /** What each round appends and reads back. */
    @Mixin
    WorkloadOptions workload;

    @Option(
            names = "--publisher",
            arity = "0..1",
            fallbackValue = "idempotent",
            paramLabel = "MODE",
            description = "Tributary appends through a Publisher with its default settings (order per key, 1 000 in "
                    + "flight), each record with one of 1 024 keys, instead of appendAsync. MODE: idempotent (the "
                    + "default: an idempotency id per value where the backend declares it) or plain "
                    + "(idempotence(false)).")
    TributaryTarget.Publishing publisher;

    @Option(
            names = "--publisher-in-flight",
            paramLabel = "N",
            description = "With --publisher: the Publisher's maxInFlight. Default: the Publisher's default.")
    Integer publisherInFlight;

    @Option(
            names = "--publisher-keys",
            paramLabel = "N",
            description = "With --publisher: how many keys the records take in turn (order holds per key, so at most "
                    + "this many are in flight). Default: ${DEFAULT-VALUE}.")
    int publisherKeys = 1024;

    @Option(
            names = "--publisher-ordering",
            paramLabel = "ORDER",
            description = "With --publisher: PER_KEY (the default) or NONE.")
    Ordering publisherOrdering = Ordering.PER_KEY;

    @Option(
            names = "--read-ahead",
            description = "The GroupProcessors of the process and latency phases read their next batch while the "
                    + "handler runs (GroupProcessor.Builder.readAhead(true)). Default: their default (off).")
    boolean readAhead;

    @Option(
            names = "--phases",
            split = ",",
            paramLabel = "PHASE",
            description = "What each round measures after it appends: consume (a group consumer against the raw "
                    + "group loop), tail (a TailProcessor against the raw tail loop: Kafka assign + seek + poll, "
                    + "Redis XREAD, NATS ordered consumer), process (GroupProcessors against the raw group loop), "
                    + "latency (a Publisher to a GroupProcessor's handler at --rate events/s, against the raw "
                    + "producer to the raw group loop; p50/p99 per event). Default: consume.")
    List<Phase> phases = new ArrayList<>(List.of(Phase.CONSUME));

    @Option(
            names = "--rate",
            paramLabel = "N",
            description = "Events per second of the latency phase (at most --records events, at most "
                    + "10 s of them). Default: ${DEFAULT-VALUE}.")
    int rate = 5000;

    @Option(
            names = "--partitions",
            paramLabel = "N",
            description = "Partitions of each round's stream (more than 1 needs a backend with PARTITIONED, e.g. a "
                    + "Kafka client opened with ?partitions=N; the raw Kafka side creates as many). Default: "
                    + "${DEFAULT-VALUE}.")
    int partitions = 1;

    @Option(names = "--rounds", paramLabel = "N", description = "Measured rounds. Default: ${DEFAULT-VALUE}.")
    int rounds = 3;

    @Option(names = "--warmup", paramLabel = "N", description = "Unmeasured warm-up rounds. Default: ${DEFAULT-VALUE}.")
    int warmup = 1;

    @Option(names = "--no-raw", description = "Measure Tributary only.")
    boolean noRaw;

    @Option(
            names = "--observe",
            arity = "0..1",
            fallbackValue = "both",
            paramLabel = "WHAT",
            description =
                    "Measure the cost of observability instead of the raw client: Tributary with Micrometer "
                            + "meters (Prometheus registry), OpenTelemetry tracing (SDK, W3C propagators, spans sampled as --sampler says, "
                            + "exported to nowhere) or both "
                            + "(the default) against plain Tributary, in the same run. WHAT: metrics, tracing, both, or header "
                            + "(no instruments; every record carries a fixed 55-byte traceparent: the price of the header alone).")
    Observed.What observe;

    @Option(
            names = "--sampler",
            paramLabel = "SPEC",
            description =
                    "With --observe: the trace sampler, as OpenTelemetry's otel.traces.sampler names it, the ratio "
                            + "after '=': always_on, always_off, traceidratio=0.01, parentbased_traceidratio=0.01, ... Default: the "
                            + "otel.traces.sampler and otel.traces.sampler.arg system properties, else OTEL_TRACES_SAMPLER and "
                            + "OTEL_TRACES_SAMPLER_ARG, else always_on.")
    String sampler;

    @Option(
            names = "--trace-parents",
            description = "With --observe: every append runs inside a trace of the application, as in a service that "
                    + "appends while it handles a request — a context from upstream (one of 1 024, taken in turn) "
                    + "sampled or not as --sampler decides for its trace id. Without it each append starts a trace.")
    boolean traceParents;

    @Option(
            names = "--no-dropped-context",
            description = "With --observe: records of traces the sampler dropped carry no trace headers "
                    + "(TributaryTracing.Builder.propagateDroppedTraces(false)); only sampled traces pay for them.")
    boolean noDroppedContext;

    @Option(
            names = "--json",
            paramLabel = "FILE",
            description = "Where to write the JSON result. Default: tributary-bench-<backend>.json.")
    Path json;

    @Option(names = "--no-json", description = "Write no JSON file.")
    boolean noJson;

    @Option(names = "--keep", description = "Keep the bench streams instead of deleting them.")
    boolean keep;

    @Override
    protected boolean handlesCtrlC() {
        return true;
    }

    /** The counts, before the client connects (the largest --size needs the backend's limits). */
    @Override
    protected void validate() {
        try {
            StreamOptions.partitions(partitions);
        } catch (StreamException e) {
            throw CliException.usage("--partitions: " + e.getMessage());
        }
        if (rate < 1 || rate > 1_000_000) {
            throw CliException.usage("--rate must be 1 to 1000000 events per second");
        }
        if (!workload.valid() || rounds < 1 || warmup < 0) {
            throw CliException.usage("--records, --batch, --producers, --consumers, --window and --rounds must be "
                    + "at least 1; --size and --warmup at least 0");
        }
        if (workload.batch > Workload.MAX_BATCH) {
            throw CliException.usage("--batch is at most " + Workload.MAX_BATCH + " (a processor's largest batchSize)");
        }
        if ((sampler != null || traceParents || noDroppedContext) && observe == null) {
            throw CliException.usage(
                    (sampler != null ? "--sampler" : traceParents ? "--trace-parents" : "--no-dropped-context")
                            + " needs --observe");
        }
        try {
            Observed.sampler(sampler);
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
    }

    @Override
    protected int run(StreamClient client) throws Exception {
        if (partitions != 1 && !client.supports(Capability.PARTITIONED)) {
            throw CliException.usage("--partitions " + partitions + " needs a backend that declares PARTITIONED; this "
                    + client.backend() + " client does not"
                    + ("kafka".equals(client.backend()) ? " (open it with ?partitions=N)" : ""));
        }
        if (workload.size > client.limits().maxPayloadBytes()) {
            throw CliException.usage("--size " + workload.size + " is above the backend's largest payload ("
                    + client.limits().maxPayloadBytes() + " bytes)");
        }
        Workload w = workload.workload();
        String run = UUID.randomUUID().toString().substring(0, 8);
        Observed observed =
                observe != null ? new Observed(client, observe, sampler, traceParents, !noDroppedContext) : null;
        Side trib = new Side(
                observe != null
                        ? new TributaryTarget(observed.client(), observed.label(), targetSettings())
                        : new TributaryTarget(
                                client,
                                publisher == null ? "Tributary" : "Tributary Publisher (" + publisher.label() + ")",
                                targetSettings()));
        Side raw = null;
        Instant started = Instant.now();
        double loadBefore = loadAverage();
        try {
            SignalGuard guard = guard();
            Progress progress = new Progress(err(), System.console() != null, true, guard::stopRequested);
            Optional<BenchTarget> rawTarget = observe != null
                    ? Optional.of(new TributaryTarget(client, "Tributary", targetSettings()))
                    : noRaw ? Optional.empty() : RawTarget.forBackend(client.backend(), clientUri(), partitions);
            if (rawTarget.isPresent()) {
                raw = new Side(rawTarget.get());
            }
            err().println(header(client, w));
            int total = warmup + rounds;
            for (int r = 0; r < total && !guard.stopRequested(); r++) {
                boolean measured = r >= warmup;
                List<Side> order = new ArrayList<>();
                order.add(trib);
                if (raw != null) {
                    order.add(r % 2 == 0 ? 0 : 1, raw);
                }
                for (Side s : order) {
                    if (guard.stopRequested()) {
                        break;
                    }
                    try {
                        round(s, w, "bench-" + run + "-" + r + (s == trib ? "-t" : "-r"), measured, progress);
                    } catch (java.util.concurrent.CancellationException stopped) {
                        // Ctrl-C during a phase: its partial figures are not kept
                        break;
                    }
                }
                if (guard.stopRequested()) {
                    err().println("stopped: reporting the rounds that finished");
                    break;
                }
                err().println((measured
                                ? "round " + (r - warmup + 1) + "/" + rounds
                                : "warm-up " + (r + 1) + "/" + warmup)
                        + " done");
            }
            if (trib.of(Phase.APPEND).isEmpty()) {
                err().println("tributary: stopped before a measured round finished");
                return Errors.INTERRUPTED;
            }
            BenchReport report = new BenchReport(out(), phases(), trib, raw);
            report.printTable(header(client, w), client.backend());
            if (observed != null) {
                out().println();
                out().println(observed.summary());
            }
            double loadAfter = loadAverage();
            if (loadBefore >= 0) {
                out().printf(
                                Locale.ROOT,
                                "%nload average %.2f at start, %.2f at end, on %d CPUs%n",
                                loadBefore,
                                loadAfter,
                                Runtime.getRuntime().availableProcessors());
            }
            if (!noJson) {
                Path file = json != null ? json : Path.of("tributary-bench-" + client.backend() + ".json");
                BenchJson.write(
                        file,
                        report,
                        BenchJson.head(client.backend(), safeUri(), w, started, warmup),
                        observe,
                        observed,
                        loadBefore,
                        loadAfter);
                err().println("result written to " + file);
            }
            return guard.stopRequested() ? Errors.INTERRUPTED : 0;
        } finally {
            if (raw != null) {
                raw.target.close();
            }
            if (observed != null) {
                observed.close();
            }
        }
    }

    private void round(Side s, Workload w, String stream, boolean measured, Progress progress) throws Exception {
        s.target.prepare(stream);
        try {
            Map<Phase, PhaseResult> round = new EnumMap<>(Phase.class);
            for (Phase phase : phases()) {
                round.put(
                        phase,
                        switch (phase) {
                            case APPEND -> s.target.append(w, progress);
                            case CONSUME -> s.target.consume(w, progress);
                            case TAIL -> s.target.tail(w, progress);
                            case PROCESS -> s.target.process(w, progress);
                            case LATENCY -> s.target.latency(w, progress, rate);
                        });
            }
            if (measured) {
                round.forEach((phase, r) -> s.of(phase).add(r));
            }
        } finally {
            if (!keep) {
                s.target.cleanup();
            }
        }
    }

    private TributaryTarget.Settings targetSettings() {
        return new TributaryTarget.Settings(
                publisher, publisherInFlight, publisherKeys, publisherOrdering, partitions, readAhead);
    }

    /** The phases of a round: append first, then what {@code --phases} asks, each once, in {@link Phase} order. */
    private List<Phase> phases() {
        java.util.EnumSet<Phase> set = java.util.EnumSet.of(Phase.APPEND);
        set.addAll(phases);
        return List.copyOf(set);
    }

    /** The one-minute system load average, or -1 where the platform does not tell. */
    static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private String header(StreamClient client, Workload w) {
        return String.format(
                Locale.ROOT,
                "tributary bench: %s (%s), %,d records of %d B, batch %,d, %d producer(s), "
                        + "%d consumer(s), window %,d%s%s; median of %d round(s) after %d warm-up",
                client.backend(),
                safeUri(),
                w.records(),
                w.size(),
                w.batch(),
                w.producers(),
                w.consumers(),
                w.window(),
                partitions == 1 ? "" : ", " + partitions + " partitions",
                w.batchAppend()
                        ? ", batch appends"
                        : publisher != null ? ", Tributary through a Publisher (" + publisher.label() + ")" : "",
                rounds,
                warmup);
    }
}
