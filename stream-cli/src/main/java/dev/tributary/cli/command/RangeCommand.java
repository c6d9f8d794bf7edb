package dev.tributary.cli.command;

import dev.tributary.Cursor;
import dev.tributary.EventId;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamName;
import dev.tributary.cli.CliException;
import dev.tributary.cli.Errors;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tributary range STREAM}: prints history between two positions, paging through it with
 * {@code range(after(last id of the page))} so that pages have no gaps or repeats.
 */
@Command(
        name = "range",
        sortOptions = false,
        mixinStandardHelpOptions = true,
        header = "Print the history of a stream between two positions.",
        description = {"Print the history of a stream between two positions, page by page.", ""},
        footer = {
            "",
            "Examples:",
            "  tributary range orders                         # everything retained",
            "  tributary range orders --from 41 --to 80 -o json",
            "  tributary range orders --from 2026-01-31T00:00:00Z -n 100"
        })
public final class RangeCommand extends ClientCommand {
    @Mixin
    StreamParameter stream;

    @Option(
            names = "--from",
            paramLabel = "POSITION",
            description = "Start: " + Args.POSITION_HELP + ". Default: earliest.")
    String from = "earliest";

    @Option(
            names = "--to",
            paramLabel = "ID",
            description = "Last id to print (inclusive). Default: the newest event now.")
    String to;

    @Option(
            names = {"-n", "--max"},
            paramLabel = "N",
            description = "Print at most N events.")
    long max = Long.MAX_VALUE;

    @Option(names = "--page", paramLabel = "N", description = "Events per range call. Default: 1000.")
    int page = 1000;

    @Mixin
    OutputOption output;

    /** Where each of {@code partitions} partitions starts for {@code from}. */
    private static Cursor startCursor(Position from, int partitions) {
        if (from instanceof Position.AfterCursor c) {
            return c.cursor();
        }
        if (from instanceof Position.After) {
            throw CliException.usage(
                    "the stream has " + partitions + " partitions: start --from a cursor (41,-,7), not one id");
        }
        return Cursor.of(java.util.Collections.nCopies(partitions, from)); // earliest or a time: every partition
    }

    @Override
    protected boolean handlesCtrlC() {
        return true;
    }

    @Override
    protected void validate() {
        stream.name();
        if (max < 1 || page < 1) {
            throw CliException.usage("--max and --page must be at least 1");
        }
        Args.positionWithoutId(from);
    }

    @Override
    protected int run(StreamClient client) {
        StreamName name = stream.name();
        requireStream(client, name);
        Position pos = Args.position(from, client);
        EventId toId = to == null ? null : Args.id(to, client);
        EventPrinter printer = new EventPrinter(out(), output.format());
        int pageSize = Math.min(page, client.limits().maxReadCount());
        // A partitioned stream pages with a cursor over its partitions (StreamClient.range).
        int partitions = client.info(name).partitionCount();
        Cursor cursor = partitions == 1 || pos instanceof Position.Latest ? null : startCursor(pos, partitions);
        long printed = 0;
        SignalGuard guard = guard();
        while (printed < max && !guard.stopRequested()) {
            List<StreamEvent> events = client.range(name, pos, toId, (int) Math.min(pageSize, max - printed));
            if (events.isEmpty()) {
                break;
            }
            for (StreamEvent e : events) {
                printer.print(e);
            }
            printed += events.size();
            if (cursor == null) {
                pos = Position.after(events.get(events.size() - 1).id());
            } else {
                cursor = cursor.advance(events);
                pos = Position.after(cursor);
            }
        }
        out().flush();
        if (cursor != null) {
            err().println("cursor " + cursor + " (continue with --from '" + cursor + "')");
        }
        return guard.stopRequested() ? Errors.INTERRUPTED : 0;
    }
}
