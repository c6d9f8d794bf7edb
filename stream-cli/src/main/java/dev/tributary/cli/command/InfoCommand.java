package dev.tributary.cli.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.Capability;
import dev.tributary.GroupInfo;
import dev.tributary.Health;
import dev.tributary.Limits;
import dev.tributary.StreamClient;
import dev.tributary.StreamInfo;
import dev.tributary.StreamName;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code tributary info [STREAM...]}: without a stream, the backend (health, capabilities, limits);
 * with streams, each one's length, first and last ids and times and its groups. A missing stream is
 * an error (exit code 1) after the others are printed.
 */
@Command(
        name = "info",
        sortOptions = false,
        mixinStandardHelpOptions = true,
        header = "Show the backend, or streams: length, first/last event, groups.",
        description = {
            "Show the backend (health, capabilities, limits) or, given streams, their length, first and "
                    + "last events and groups.",
            ""
        },
        footer = {
            "",
            "Examples:",
            "  tributary --uri redis://localhost:6379 info",
            "  tributary info orders payments -o json"
        })
public final class InfoCommand extends ClientCommand {
    @Parameters(paramLabel = "STREAM", arity = "0..*", description = "Streams to describe.")
    List<String> streams = new ArrayList<>();

    @Mixin
    OutputOption output;

    @Override
    protected void validate() {
        streams.forEach(StreamName::of);
    }

    @Override
    protected int run(StreamClient client) {
        if (streams.isEmpty()) {
            backend(client);
            return 0;
        }
        List<StreamName> names = new ArrayList<>();
        for (String s : streams) {
            names.add(StreamName.of(s));
        }
        List<StreamName> missing = new ArrayList<>();
        for (StreamName n : names) {
            StreamInfo info = client.info(n);
            if (!info.exists()) {
                missing.add(n);
                continue;
            }
            List<GroupInfo> groups = client.supports(Capability.CONSUMER_GROUPS) ? client.groups(n) : List.of();
            if (output.json()) {
                out().println(Json.line(streamJson(info, groups)));
            } else {
                streamText(info, groups);
            }
        }
        out().flush();
        if (!missing.isEmpty()) {
            requireStream(client, missing.get(0));
        }
        return 0;
    }

    private void backend(StreamClient client) {
        Health h = client.health();
        Limits l = client.limits();
        List<String> caps =
                client.capabilities().stream().map(Enum::name).sorted().collect(Collectors.toList());
        if (output.json()) {
            ObjectNode n = Json.object();
            n.put("backend", client.backend());
            n.put("uri", safeUri());
            n.put("up", h.up());
            n.put("latencyMs", h.latency().toNanos() / 1e6);
            n.put("detail", h.detail());
            ArrayNode c = n.putArray("capabilities");
            caps.forEach(c::add);
            ObjectNode lim = n.putObject("limits");
            lim.put("maxPayloadBytes", l.maxPayloadBytes());
            lim.put("maxHeaderBytes", l.maxHeaderBytes());
            lim.put("maxBatchSize", l.maxBatchSize());
            lim.put("maxReadCount", l.maxReadCount());
            out().println(Json.line(n));
            return;
        }
        out().printf("backend       %s (%s)%n", client.backend(), safeUri());
        out().printf(
                        "health        %s in %.1f ms — %s%n",
                        h.up() ? "up" : "DOWN", h.latency().toNanos() / 1e6, h.detail());
        out().printf("capabilities  %s%n", caps.isEmpty() ? "(none)" : String.join(", ", caps));
        out().printf(
                        "limits        payload %d B, key+headers %d B, batch %d records, read %d events%n",
                        l.maxPayloadBytes(), l.maxHeaderBytes(), l.maxBatchSize(), l.maxReadCount());
    }

    private void streamText(StreamInfo info, List<GroupInfo> groups) {
        out().printf("stream  %s%n", info.stream());
        out().printf("  length  %d%n", info.length());
        if (info.partitionCount() > 1) {
            out().printf("  partitions  %d%n", info.partitionCount());
        }
        if (info.length() > 0) {
            out().printf(
                            "  first   %s  %s%n",
                            info.firstId().map(Object::toString).orElse("-"),
                            info.firstTimestamp().map(Object::toString).orElse("-"));
            out().printf(
                            "  last    %s  %s%n",
                            info.lastId().map(Object::toString).orElse("-"),
                            info.lastTimestamp().map(Object::toString).orElse("-"));
        }
        for (int p = 0; p < info.partitions().size(); p++) {
            StreamInfo part = info.partitions().get(p);
            out().printf(
                            "  partition %d  length %d  first %s  last %s%n",
                            p,
                            part.length(),
                            part.firstId().map(Object::toString).orElse("-"),
                            part.lastId().map(Object::toString).orElse("-"));
        }
        out().printf(
                        "  groups  %s%n",
                        groups.isEmpty()
                                ? "(none)"
                                : groups.stream()
                                        .map(g -> g.group() + " (pending " + g.pending() + ", lag " + lagText(g.lag())
                                                + ")")
                                        .collect(Collectors.joining(", ")));
    }

    static String lagText(long lag) {
        return lag < 0 ? "unknown" : Long.toString(lag);
    }

    private static ObjectNode streamJson(StreamInfo info, List<GroupInfo> groups) {
        ObjectNode n = Json.object();
        n.put("stream", info.stream().value());
        n.put("exists", info.exists());
        n.put("length", info.length());
        info.firstId().ifPresent(id -> n.put("firstId", id.toString()));
        info.firstTimestamp().ifPresent(t -> n.put("firstTimestamp", t.toString()));
        info.lastId().ifPresent(id -> n.put("lastId", id.toString()));
        info.lastTimestamp().ifPresent(t -> n.put("lastTimestamp", t.toString()));
        n.put("partitions", info.partitionCount());
        if (!info.partitions().isEmpty()) {
            ArrayNode ps = n.putArray("partitionInfo");
            for (StreamInfo part : info.partitions()) {
                ObjectNode p = ps.addObject();
                p.put("length", part.length());
                part.firstId().ifPresent(id -> p.put("firstId", id.toString()));
                part.lastId().ifPresent(id -> p.put("lastId", id.toString()));
            }
        }
        ArrayNode gs = n.putArray("groups");
        for (GroupInfo g : groups) {
            gs.add(GroupsCommand.groupJson(g));
        }
        return n;
    }
}
