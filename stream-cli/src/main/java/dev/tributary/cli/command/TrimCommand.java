package dev.tributary.cli.command;

import dev.tributary.StreamClient;
import dev.tributary.StreamInfo;
import dev.tributary.StreamName;
import dev.tributary.Trim;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tributary trim STREAM}: applies one retention request and prints what it removed. */
@Command(
        name = "trim",
        sortOptions = false,
        mixinStandardHelpOptions = true,
        header = "Remove old events by length, age or id.",
        description = {
            "Remove old events: keep the newest N, drop those older than an age, or those below an id. "
                    + "Each form is a backend capability (see tributary info).",
            ""
        },
        footer = {
            "",
            "Examples:",
            "  tributary trim orders --max-length 10000",
            "  tributary trim orders --older-than 7d",
            "  tributary trim orders --below 1700000000000-0"
        })
public final class TrimCommand extends ClientCommand {
    @Mixin
    StreamParameter stream;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Request request;

    static final class Request {
        @Option(names = "--max-length", paramLabel = "N", description = "Keep the newest N events.")
        Long maxLength;

        @Option(
                names = "--older-than",
                paramLabel = "AGE",
                description = "Remove events older than AGE (30s, 15m, 12h, 7d, PT1H).")
        String olderThan;

        @Option(
                names = "--below",
                paramLabel = "ID",
                description = "Remove every event whose id is lower than ID (ID is kept).")
        String below;
    }

    @Override
    protected void validate() {
        stream.name();
        if (request.maxLength != null && request.maxLength < 0) {
            throw dev.tributary.cli.CliException.usage("--max-length must be 0 or more, got " + request.maxLength);
        }
        if (request.olderThan != null) {
            age(request.olderThan);
        }
    }

    @Override
    protected int run(StreamClient client) {
        StreamName name = stream.name();
        Trim trim;
        if (request.maxLength != null) {
            trim = Trim.toLength(request.maxLength);
        } else if (request.olderThan != null) {
            trim = Trim.olderThan(age(request.olderThan));
        } else {
            trim = Trim.below(Args.id(request.below, client));
        }
        requireStream(client, name);
        long removed = client.trim(name, trim);
        StreamInfo after = client.info(name);
        out().println((removed < 0
                        ? "removed an unknown number of events"
                        : "removed " + removed + (removed == 1 ? " event" : " events"))
                + " from " + name + "; length now " + after.length());
        return 0;
    }

    private static java.time.Duration age(String text) {
        String t = text.trim();
        if (t.endsWith("d") && !t.toUpperCase(java.util.Locale.ROOT).startsWith("P")) {
            try {
                return java.time.Duration.ofDays(Long.parseLong(t.substring(0, t.length() - 1)));
            } catch (NumberFormatException e) {
                throw dev.tributary.cli.CliException.usage("'" + text + "' is not an age; write e.g. 7d, 12h, 15m");
            }
        }
        return Args.duration("--older-than", t);
    }
}
