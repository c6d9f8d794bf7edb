package dev.tributary.cli.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.GroupInfo;
import dev.tributary.GroupOptions;
import dev.tributary.StreamClient;
import dev.tributary.StreamName;
import dev.tributary.cli.CliException;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tributary groups STREAM}: lists the consumer groups of a stream with members, pending and
 * lag; {@code --watch} refreshes that list with rates (appended and acked per second, lag change)
 * until Ctrl-C ({@link GroupsWatch}); {@code --create} and {@code --delete} manage one group.
 */
@Command(
        name = "groups",
        sortOptions = false,
        mixinStandardHelpOptions = true,
        header = "List, watch, create or delete consumer groups (pending, lag, rates, members).",
        description = {
            "List the consumer groups of a stream (members, pending, lag, last delivered), or create or "
                    + "delete one. With --watch, refresh the list until Ctrl-C, with events appended and acked per "
                    + "second and the change of lag per second, the groups furthest behind first.",
            ""
        },
        footer = {
            "",
            "Examples:",
            "  tributary groups orders",
            "  tributary groups orders --watch          # every 2s until Ctrl-C",
            "  tributary groups orders billing --watch=500ms -n 20 -o json",
            "  tributary groups orders --create billing --from latest --ack-timeout 1m",
            "  tributary groups orders --delete billing"
        })
public final class GroupsCommand extends ClientCommand {
    @Mixin
    StreamParameter stream;

    @Parameters(index = "1", arity = "0..1", paramLabel = "GROUP", description = "Show only this group.")
    String only;

    @Option(names = "--create", paramLabel = "GROUP", description = "Create this group (idempotent).")
    String create;

    @Option(
            names = "--from",
            paramLabel = "POSITION",
            description = "Start of a created group: earliest (default), latest or an id.")
    String from;

    @Mixin
    AckTimeoutOption ackTimeout;

    @Option(names = "--delete", paramLabel = "GROUP", description = "Delete this group.")
    String delete;

    @Option(
            names = {"-w", "--watch"},
            arity = "0..1",
            fallbackValue = DEFAULT_WATCH,
            paramLabel = "INTERVAL",
            description = "Refresh every INTERVAL (default " + DEFAULT_WATCH
                    + ", at least 100ms) until Ctrl-C, with rates (with -o json: a line per refresh).")
    String watch;

    @Option(
            names = {"-n", "--count"},
            paramLabel = "N",
            description = "With --watch: stop after N refreshes.")
    Long count;

    @Option(
            names = "--rows",
            paramLabel = "N",
            description = "With --watch: show at most N groups. Default: ${DEFAULT-VALUE}.")
    int rows = 20;

    @Mixin
    OutputOption output;

    static final String DEFAULT_WATCH = "2s";
    static final Duration MIN_WATCH = Duration.ofMillis(100);
    static final Duration MAX_WATCH = Duration.ofHours(1);

    @Override
    protected boolean handlesCtrlC() {
        return watch != null;
    }

    @Override
    protected void validate() {
        stream.name();
        if (create != null && delete != null) {
            throw CliException.usage("give --create or --delete, not both");
        }
        for (String g : new String[] {only, create, delete}) {
            if (g != null) {
                dev.tributary.spi.Checks.group(g);
            }
        }
        ackTimeout.validate();
        if (from != null) {
            Args.positionWithoutId(from);
        }
        if (watch == null) {
            if (count != null) {
                throw CliException.usage("--count needs --watch (it is the number of refreshes)");
            }
            return;
        }
        if (create != null || delete != null) {
            throw CliException.usage("--watch lists groups; give it without --create or --delete");
        }
        Duration interval = Args.duration("--watch", watch);
        if (interval.compareTo(MIN_WATCH) < 0 || interval.compareTo(MAX_WATCH) > 0) {
            throw CliException.usage("--watch interval must be 100ms to 1h, got " + watch);
        }
        if (count != null && count < 1) {
            throw CliException.usage("--count must be at least 1, got " + count);
        }
        if (rows < 1 || rows > 1000) {
            throw CliException.usage("--rows must be 1 to 1000, got " + rows);
        }
    }

    @Override
    protected int run(StreamClient client) throws InterruptedException {
        StreamName name = stream.name();
        requireStream(client, name);
        if (create != null) {
            GroupOptions o = Args.groupOptions(from, ackTimeout.text(), client);
            client.createGroup(name, create, o);
            out().println("group " + create + " on " + name + " ready (start " + o.start() + ", ack timeout "
                    + o.ackTimeout().toMillis() + " ms)");
            return 0;
        }
        if (delete != null) {
            if (!client.deleteGroup(name, delete)) {
                throw CliException.runtime("group '" + delete + "' does not exist on stream '" + name + "'");
            }
            out().println("group " + delete + " deleted from " + name);
            return 0;
        }
        if (watch != null) {
            Duration interval = Args.duration("--watch", watch);
            GroupsWatch w = new GroupsWatch(
                    client,
                    name,
                    only,
                    interval,
                    new WatchView(rows, interval),
                    out(),
                    output.format(),
                    System.console() != null);
            w.run(count == null ? Long.MAX_VALUE : count, guard()::stopRequested);
            return guard().stopRequested() ? dev.tributary.cli.Errors.INTERRUPTED : 0;
        }
        List<GroupInfo> groups = only != null ? List.of(client.groupInfo(name, only)) : client.groups(name);
        if (output.json()) {
            ArrayNode a = Json.MAPPER.createArrayNode();
            groups.forEach(g -> a.add(groupJson(g)));
            out().println(Json.line(a));
            return 0;
        }
        if (groups.isEmpty()) {
            out().println("no groups on " + name + " (create one with: tributary groups " + name + " --create NAME)");
            return 0;
        }
        out().printf("%-24s %10s %10s  %-22s %s%n", "GROUP", "PENDING", "LAG", "LAST-DELIVERED", "MEMBERS");
        for (GroupInfo g : groups) {
            out().printf(
                            "%-24s %10d %10s  %-22s %s%n",
                            g.group(),
                            g.pending(),
                            InfoCommand.lagText(g.lag()),
                            g.lastDelivered().map(Object::toString).orElse("-"),
                            g.members().isEmpty() ? "-" : String.join(",", g.members()));
        }
        return 0;
    }

    static ObjectNode groupJson(GroupInfo g) {
        ObjectNode n = Json.object();
        n.put("group", g.group());
        n.put("pending", g.pending());
        n.put("lag", g.lag());
        g.lastDelivered().ifPresent(id -> n.put("lastDelivered", id.toString()));
        ArrayNode m = n.putArray("members");
        g.members().forEach(m::add);
        return n;
    }
}
