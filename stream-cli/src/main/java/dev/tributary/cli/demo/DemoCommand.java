package dev.tributary.cli.demo;

import dev.tributary.StreamClient;
import dev.tributary.cli.CliException;
import dev.tributary.cli.command.Args;
import dev.tributary.cli.command.ClientCommand;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tributary demo}: what the library does, in one run. See {@link DemoScenario} for the story
 * and the checks, {@link ConsoleView} for what it prints; this class holds the options.
 */
@Command(name = "demo", sortOptions = false, mixinStandardHelpOptions = true,
        header = "Show what Tributary does, in one run (start here).",
        description = {"A producer publishes domain events (entities created, updated, deleted and merged; JSON of a "
                + "few KB; headers for event type, origin and schema version) through the stream-core Publisher. "
                + "Meanwhile a live tail loses its connection and resumes from its checkpoint, a consumer group of "
                + "three members works while one of them dies mid-batch (its events are redelivered to the others), "
                + "and a history reader pages the whole range. A live progress line runs on stderr; the report "
                + "(appended, delivered per consumer, lost - must be 0 -, duplicates, latency, wall time) ends the run.",
                ""},
        footer = {"", "Examples:", "  tributary demo", "  tributary demo --events 20000 --rate 1000",
                "  tributary --uri redis://localhost:6379 demo --duration 30s",
                "", "Exit code 1 when any acknowledged event was lost."})
public final class DemoCommand extends ClientCommand {
    @Option(names = {"-n", "--events"}, paramLabel = "N", description = "Events to publish. Default: ${DEFAULT-VALUE}.")
    int events = 3000;

    @Option(names = {"-r", "--rate"}, paramLabel = "PER_SECOND",
            description = "Publishing rate in events per second; 0 = as fast as possible. Default: ${DEFAULT-VALUE}.")
    int rate = 250;

    @Option(names = {"-d", "--duration"}, paramLabel = "DURATION",
            description = "Publish for this long at --rate instead of a number of events (e.g. 30s, 2m).")
    String duration;

    @Option(names = "--payload-size", paramLabel = "BYTES", description = "Approximate JSON size of an event. Default: ${DEFAULT-VALUE}.")
    int payloadSize = 2048;

    @Option(names = "--ack-timeout", paramLabel = "DURATION",
            description = "Ack timeout of the demo's group: how soon the dead member's events are redelivered. Default: ${DEFAULT-VALUE}.")
    String ackTimeout = "3s";

    @Option(names = "--disconnect", paramLabel = "DURATION", description = "How long the live tail stays disconnected. Default: ${DEFAULT-VALUE}.")
    String disconnect = "1500ms";

    @Option(names = "--stream", paramLabel = "NAME", description = "Stream to use. Default: demo-<random>, deleted at the end.")
    String stream;

    @Option(names = "--keep", description = "Keep the stream (and its dead-letter stream) at the end.")
    boolean keep;

    @Option(names = "--no-progress", description = "No live progress line.")
    boolean noProgress;

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

    @Override
    protected boolean handlesCtrlC() {
        return true;
    }

    @Override
    protected int run(StreamClient client) throws InterruptedException {
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
        if (payloadSize < 64 || payloadSize > client.limits().maxPayloadBytes() / 2) {
            throw CliException.usage("--payload-size must be 64 to " + client.limits().maxPayloadBytes() / 2
                    + " bytes on this backend, got " + payloadSize);
        }
        DemoScenario.Settings settings = new DemoScenario.Settings(total, rate, payloadSize,
                Args.duration("--ack-timeout", ackTimeout), Args.duration("--disconnect", disconnect),
                stream != null ? stream : "demo-" + runId);
        ConsoleView view = new ConsoleView(out(), err(), !noProgress, System.console() != null);
        return new DemoRun(settings, stream == null && !keep, client, this::openClient, safeUri(), view).run(guard());
    }
}
