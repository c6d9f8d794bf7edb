package dev.tributary.cli.command;

import dev.tributary.EventId;
import dev.tributary.GroupConsumer;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamName;
import dev.tributary.StreamReader;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tributary tail STREAM}: prints events as they arrive, from a position or as a member of a
 * consumer group (acking what it printed), until Ctrl-C, {@code --count} events or {@code --idle}
 * without events. On exit it prints to stderr how many events it read and the id (on a partitioned stream,
 * the cursor) to resume after, and
 * as a group member the group's pending and lag.
 */
@Command(
        name = "tail",
        sortOptions = false,
        mixinStandardHelpOptions = true,
        header = "Follow a stream live, from a position or as a group member.",
        description = {
            "Follow a stream: print events as they arrive (text or JSON lines), from a position or as a "
                    + "consumer-group member. Stops on Ctrl-C, after --count events or after --idle without events. "
                    + "The summary on stderr gives the id to resume after and, for a group, its pending and lag.",
            ""
        },
        footer = {
            "",
            "Examples:",
            "  tributary tail orders                      # new events from now on",
            "  tributary tail orders --from earliest -n 10 -o json",
            "  tributary tail orders --from 1700000000000-3   # resume after an id",
            "  tributary tail orders --from -15m            # events of the last 15 minutes, then live",
            "  tributary tail orders --group billing --member b1"
        })
public final class TailCommand extends ClientCommand {
    @Mixin
    StreamParameter stream;

    @Option(
            names = "--from",
            paramLabel = "POSITION",
            description = "Where to start: " + Args.POSITION_HELP + ". Default: latest (for a new group: earliest).")
    String from;

    @Option(
            names = {"-g", "--group"},
            paramLabel = "GROUP",
            description = "Read as a member of this consumer group (created if missing) and ack what is printed.")
    String group;

    @Option(
            names = {"-m", "--member"},
            paramLabel = "MEMBER",
            description = "The member name in the group. Default: tributary-<pid>.")
    String member;

    @Mixin
    AckTimeoutOption ackTimeout;

    @Option(
            names = "--no-ack",
            description = "As a group member, do not ack (the events are redelivered after the ack timeout).")
    boolean noAck;

    @Mixin
    OutputOption output;

    @Option(
            names = {"-n", "--count"},
            paramLabel = "N",
            description = "Stop after N events.")
    long count = Long.MAX_VALUE;

    @Option(
            names = "--idle",
            paramLabel = "DURATION",
            description = "Stop after this long without a new event (e.g. 5s).")
    String idle;

    @Option(names = "--batch", paramLabel = "N", description = "Events fetched per poll. Default: 500.")
    int batch = 500;

    /**
     * Where the group stands as this member leaves: {@code group G: pending P, lag L} from the backend's
     * {@code groupInfo}; the summary line must not fail the command, so a failure is told instead.
     */
    static String groupFigures(StreamClient client, StreamName stream, String group) {
        try {
            dev.tributary.GroupInfo g = client.groupInfo(stream, group);
            return "group " + group + ": pending " + g.pending() + ", lag " + InfoCommand.lagText(g.lag());
        } catch (dev.tributary.StreamException e) {
            return "group " + group + ": pending and lag unavailable (" + e.kind() + ": " + e.getMessage() + ")";
        }
    }

    @Override
    protected boolean handlesCtrlC() {
        return true;
    }

    @Override
    protected void validate() {
        stream.name();
        if (count < 1) {
            throw dev.tributary.cli.CliException.usage("--count must be at least 1, got " + count);
        }
        if (idle != null) {
            Args.duration("--idle", idle);
        }
        ackTimeout.validate();
        if (group != null) {
            dev.tributary.spi.Checks.group(group);
        }
        if (member != null) {
            dev.tributary.spi.Checks.member(member);
        }
        if (from != null) {
            Args.positionWithoutId(from);
        }
    }

    /** Events printed so far, and the id of the last one (null before the first). */
    private long seen;

    private EventId last;

    @Override
    protected int run(StreamClient client) {
        StreamName name = stream.name();
        Duration idleLimit = idle == null ? null : Args.duration("--idle", idle);
        requireStream(client, name);
        EventPrinter printer = new EventPrinter(out(), output.format());
        int maxBatch = Math.min(batch, client.limits().maxReadCount());
        SignalGuard guard = guard();
        String resume = null;
        if (group == null) {
            Position start = from == null ? Position.latest() : Args.position(from, client);
            try (StreamReader reader = client.openReader(name, start)) {
                print(n -> reader.poll(n, POLL_WAIT), printed -> {}, maxBatch, idleLimit, printer, guard);
                resume = reader.cursor().toString(); // one partition: the last id; several: every partition's place
            }
        } else {
            client.createGroup(name, group, Args.groupOptions(from, ackTimeout.text(), client));
            String m = member != null
                    ? member
                    : "tributary-" + ProcessHandle.current().pid();
            try (GroupConsumer consumer = client.openGroupConsumer(name, group, m)) {
                print(
                        n -> consumer.poll(n, POLL_WAIT),
                        printed -> {
                            if (!noAck) {
                                consumer.ack(
                                        printed.stream().map(StreamEvent::id).toList());
                            }
                        },
                        maxBatch,
                        idleLimit,
                        printer,
                        guard);
            }
        }
        out().flush();
        err().println("# " + seen + (seen == 1 ? " event" : " events")
                + (resume != null && last != null
                        ? "; resume with --from " + resume
                        : last == null ? "" : "; resume with --from " + last)
                + (group == null ? "" : "; " + groupFigures(client, name, group)));
        return guard.stopRequested() ? dev.tributary.cli.Errors.INTERRUPTED : 0;
    }

    /** How long one poll waits, so that a stop request or the idle limit is seen promptly. */
    private static final Duration POLL_WAIT = Duration.ofMillis(250);

    /**
     * Prints what {@code poll} returns (asked for at most {@code maxBatch}, and never past --count) until
     * a stop is requested, --count events were printed or --idle passed without one; {@code printed}
     * runs after each non-empty batch is printed and flushed (a group member acks it there).
     */
    private void print(
            IntFunction<List<StreamEvent>> poll,
            Consumer<List<StreamEvent>> printed,
            int maxBatch,
            Duration idleLimit,
            EventPrinter printer,
            SignalGuard guard) {
        long lastEvent = System.nanoTime();
        while (!guard.stopRequested() && seen < count) {
            List<StreamEvent> events = poll.apply((int) Math.min(maxBatch, count - seen));
            for (StreamEvent e : events) {
                printer.print(e);
                last = e.id();
                seen++;
            }
            if (!events.isEmpty()) {
                out().flush();
                printed.accept(events);
                lastEvent = System.nanoTime();
            } else if (idleLimit != null && System.nanoTime() - lastEvent >= idleLimit.toNanos()) {
                break;
            }
        }
    }
}
