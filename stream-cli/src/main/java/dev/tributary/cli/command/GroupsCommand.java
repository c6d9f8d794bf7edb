package dev.tributary.cli.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.GroupInfo;
import dev.tributary.GroupOptions;
import dev.tributary.StreamClient;
import dev.tributary.StreamName;
import dev.tributary.cli.CliException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tributary groups STREAM}: lists the consumer groups of a stream with members, pending and
 * lag; {@code --create} and {@code --delete} manage one.
 */
@Command(name = "groups", sortOptions = false, mixinStandardHelpOptions = true,
        header = "List, create or delete consumer groups (pending, lag, members).",
        description = {"List the consumer groups of a stream (members, pending, lag, last delivered), or create or "
                + "delete one.", ""},
        footer = {"", "Examples:", "  tributary groups orders", "  tributary groups orders --create billing --from latest --ack-timeout 1m",
                "  tributary groups orders --delete billing"})
public final class GroupsCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "STREAM", description = "The stream.")
    String stream;

    @Parameters(index = "1", arity = "0..1", paramLabel = "GROUP", description = "Show only this group.")
    String only;

    @Option(names = "--create", paramLabel = "GROUP", description = "Create this group (idempotent).")
    String create;

    @Option(names = "--from", paramLabel = "POSITION", description = "Start of a created group: earliest (default), latest or an id.")
    String from;

    @Option(names = "--ack-timeout", paramLabel = "DURATION", description = "Ack timeout of a created group. Default: 30s.")
    String ackTimeout;

    @Option(names = "--delete", paramLabel = "GROUP", description = "Delete this group.")
    String delete;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "text (default) or json.")
    OutputFormat format = OutputFormat.TEXT;

    @Override
    protected void validate() {
        StreamName.of(stream);
        if (create != null && delete != null) {
            throw CliException.usage("give --create or --delete, not both");
        }
        for (String g : new String[] {only, create, delete}) {
            if (g != null) {
                dev.tributary.spi.Checks.group(g);
            }
        }
        if (ackTimeout != null) {
            Args.duration("--ack-timeout", ackTimeout);
        }
        if (from != null) {
            Args.positionWithoutId(from);
        }
    }

    @Override
    protected int run(StreamClient client) {
        StreamName name = StreamName.of(stream);
        requireStream(client, name);
        if (create != null) {
            GroupOptions o = GroupOptions.defaults();
            if (from != null) {
                o = o.withStart(Args.position(from, client));
            }
            if (ackTimeout != null) {
                o = o.withAckTimeout(Args.duration("--ack-timeout", ackTimeout));
            }
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
        List<GroupInfo> groups = only != null ? List.of(client.groupInfo(name, only)) : client.groups(name);
        if (format == OutputFormat.JSON) {
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
            out().printf("%-24s %10d %10s  %-22s %s%n", g.group(), g.pending(), InfoCommand.lagText(g.lag()),
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
