package dev.tributary.cli.demo;

import dev.tributary.StreamClient;
import dev.tributary.StreamName;
import dev.tributary.cli.CliException;
import dev.tributary.cli.command.Args;
import dev.tributary.cli.command.ClientCommand;
import dev.tributary.cli.metrics.MetricsEndpoint;
import dev.tributary.core.ProcessorListener;
import dev.tributary.micrometer.GroupLagMetrics;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tributary demo}: what the library does, in one run. See {@link DemoScenario} for the story
 * and the checks, {@link ConsoleView} for what it prints; this class holds the options.
 */
@Command(
        name = "demo",
        sortOptions = false,
        mixinStandardHelpOptions = true,
        header = "Show what Tributary does, in one run (start here).",
        description = {
            "A producer publishes domain events (entities created, updated, deleted and merged; JSON of a "
                    + "few KB; headers for event type, origin and schema version) through the stream-core Publisher. "
                    + "Meanwhile a live tail loses its connection and resumes from its checkpoint, a consumer group of "
                    + "three members works while one of them dies mid-batch (its events are redelivered to the others), "
                    + "and a history reader pages the whole range. A live progress line runs on stderr; the report "
                    + "(appended, delivered per consumer, lost - must be 0 -, duplicates, latency, wall time) ends the run.",
            ""
        },
        footer = {
            "",
            "Examples:",
            "  tributary demo",
            "  tributary demo --events 20000 --rate 1000",
            "  tributary --uri redis://localhost:6379 demo --duration 30s",
            "  tributary demo --duration 2m --metrics-port 9464   # curl http://127.0.0.1:9464/metrics",
            "",
            "Exit code 1 when any acknowledged event was lost."
        })
public final class DemoCommand extends ClientCommand {
    @Option(
            names = {"-n", "--events"},
            paramLabel = "N",
            description = "Events to publish. Default: ${DEFAULT-VALUE}.")
    int events = 3000;

    @Option(
            names = {"-r", "--rate"},
            paramLabel = "PER_SECOND",
            description = "Publishing rate in events per second; 0 = as fast as possible. Default: ${DEFAULT-VALUE}.")
    int rate = 250;

    @Option(
            names = {"-d", "--duration"},
            paramLabel = "DURATION",
            description = "Publish for this long at --rate instead of a number of events (e.g. 30s, 2m).")
    String duration;

    @Option(
            names = "--payload-size",
            paramLabel = "BYTES",
            description = "Approximate JSON size of an event. Default: ${DEFAULT-VALUE}.")
    int payloadSize = 2048;

    @Option(
            names = "--ack-timeout",
            paramLabel = "DURATION",
            description =
                    "Ack timeout of the demo's group: how soon the dead member's events are redelivered. Default: ${DEFAULT-VALUE}.")
    String ackTimeout = "3s";

    @Option(
            names = "--disconnect",
            paramLabel = "DURATION",
            description = "How long the live tail stays disconnected. Default: ${DEFAULT-VALUE}.")
    String disconnect = "1500ms";

    @Option(
            names = "--stream",
            paramLabel = "NAME",
            description = "Stream to use. Default: demo-<random>, deleted at the end.")
    String stream;

    @Option(names = "--keep", description = "Keep the stream (and its dead-letter stream) at the end.")
    boolean keep;

    @Option(names = "--no-progress", description = "No live progress line.")
    boolean noProgress;

    @Option(
            names = "--metrics-port",
            paramLabel = "PORT",
            description = "Serve the demo's meters for Prometheus at http://127.0.0.1:PORT/metrics while it runs "
                    + "(0: any free port, printed on stderr).")
    Integer metricsPort;

    private MetricsEndpoint endpoint;

    /** How often the served group lag and pending are polled. */
    static final Duration LAG_INTERVAL = Duration.ofSeconds(1);

    private final String runId = UUID.randomUUID().toString().substring(0, 8);

    /**
     * The memory backend's {@code memory:} is a private store per client; the demo's clients (producer,
     * tail, three members) must share one, so a bare {@code memory:} becomes a store named after the run.
     */
    @Override
    protected String clientUri() {
        String uri = super.clientUri();
        String lower = uri.toLowerCase(Locale.ROOT);
        if (lower.startsWith("memory:?") || lower.equals("memory:")) {
            return "memory:demo-" + runId + uri.substring("memory:".length());
        }
        return uri;
    }

    /** Every option that needs no broker, before the client connects (the largest payload needs the backend's limits). */
    @Override
    protected void validate() {
        if (metricsPort != null && (metricsPort < 0 || metricsPort > 65_535)) {
            throw CliException.usage("--metrics-port must be 0 to 65535, got " + metricsPort);
        }
        total();
        if (payloadSize < 64) {
            throw CliException.usage("--payload-size must be at least 64 bytes, got " + payloadSize);
        }
        Args.duration("--ack-timeout", ackTimeout);
        Args.duration("--disconnect", disconnect);
        if (stream != null) {
            StreamName.of(stream);
        }
    }

    /** The number of events to publish: --events, or --duration at --rate. */
    private int total() {
        int total = events;
        if (rate < 0) {
            throw CliException.usage("--rate must be 0 or more, got " + rate);
        }
        if (duration != null) {
            if (rate == 0) {
                throw CliException.usage("--duration needs a --rate above 0");
            }
            Duration d = Args.duration("--duration", duration);
            total = (int) Math.min(10_000_000L, Math.max(1, d.toMillis() * rate / 1000));
        }
        if (total < 10 || total > 10_000_000) {
            throw CliException.usage("--events must be 10 to 10000000, got " + total);
        }
        return total;
    }

    /** With {@code --metrics-port}, every client of the demo is instrumented (the endpoint starts with the first). */
    @Override
    protected StreamClient openClient() {
        StreamClient raw = super.openClient();
        if (metricsPort == null) {
            return raw;
        }
        synchronized (this) {
            if (endpoint == null) {
                try {
                    endpoint = MetricsEndpoint.start(metricsPort);
                } catch (RuntimeException e) {
                    raw.close();
                    throw e;
                }
                err().println("metrics: " + endpoint.url());
                err().flush();
            }
        }
        return endpoint.metrics().instrument(raw);
    }

    /**
     * Runs the demo, then stops serving metrics (after the clients are closed).
     *
     * @return the exit code
     */
    @Override
    public Integer call() throws Exception {
        try {
            return super.call();
        } finally {
            synchronized (this) {
                if (endpoint != null) {
                    endpoint.close();
                }
            }
        }
    }

    @Override
    protected boolean handlesCtrlC() {
        return true;
    }

    @Override
    protected int run(StreamClient client) throws InterruptedException {
        int total = total();
        if (payloadSize > client.limits().maxPayloadBytes() / 2) {
            throw CliException.usage("--payload-size must be 64 to "
                    + client.limits().maxPayloadBytes() / 2 + " bytes on this backend, got " + payloadSize);
        }
        DemoScenario.Settings settings = new DemoScenario.Settings(
                total,
                rate,
                payloadSize,
                Args.duration("--ack-timeout", ackTimeout),
                Args.duration("--disconnect", disconnect),
                stream != null ? stream : "demo-" + runId);
        ConsoleView view = new ConsoleView(out(), err(), !noProgress, System.console() != null);
        ProcessorListener processors = endpoint == null
                ? new ProcessorListener() {}
                : endpoint.metrics().processorListener();
        GroupLagMetrics lag = endpoint == null
                ? null
                : endpoint.metrics()
                        .groupLag(client)
                        .watch(StreamName.of(settings.stream()), DemoScenario.GROUP)
                        .interval(LAG_INTERVAL)
                        .build();
        try {
            if (lag != null) {
                lag.bindTo(endpoint.metrics().registry());
            }
            return new DemoRun(settings, stream == null && !keep, client, this::openClient, safeUri(), view, processors)
                    .run(guard());
        } finally {
            if (lag != null) {
                lag.close();
            }
        }
    }
}
