package dev.tributary.cli.command;

import dev.tributary.EventId;
import dev.tributary.StreamClient;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamOptions;
import dev.tributary.StreamRecord;
import dev.tributary.cli.CliException;
import dev.tributary.spi.Checks;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tributary produce STREAM [VALUE...]}: appends one record per argument, per line of
 * standard input, or per file, with an optional key and headers. Prints each broker-assigned id on
 * its own line, in input order. Appends are pipelined with a bounded window of {@link #WINDOW}.
 */
@Command(
        name = "produce",
        sortOptions = false,
        mixinStandardHelpOptions = true,
        header = "Append records from arguments, files or standard input.",
        description = {
            "Append records to a stream: one per VALUE argument, else one per --file, else one per "
                    + "line of standard input. Prints the id of each record, in order.",
            ""
        },
        footer = {
            "",
            "Examples:",
            "  tributary produce orders '{\"id\":1}' '{\"id\":2}' -k customer-7 -H type=created",
            "  seq 1 1000 | tributary --uri redis://localhost:6379 produce numbers",
            "  tributary produce blobs -f photo.jpg -H content-type=image/jpeg"
        })
public final class ProduceCommand extends ClientCommand {
    /** Appends in flight at most while reading standard input. */
    static final int WINDOW = 1_000;

    @Parameters(index = "0", paramLabel = "STREAM", description = "The stream to append to.")
    String stream;

    @Parameters(index = "1..*", paramLabel = "VALUE", description = "Payloads, one record each (UTF-8).")
    List<String> values = new ArrayList<>();

    @Option(
            names = {"-f", "--file"},
            paramLabel = "FILE",
            description = "A file whose bytes are one record; repeatable.")
    List<Path> files = new ArrayList<>();

    @Option(
            names = {"-k", "--key"},
            paramLabel = "KEY",
            description = "The key of every record.")
    String key;

    @Option(
            names = {"-H", "--header"},
            paramLabel = "KEY=VALUE",
            description = "A header of every record; repeatable, order kept.")
    List<String> headers = new ArrayList<>();

    @Option(
            names = "--skip-empty-lines",
            description = "Ignore empty lines of standard input (default: an empty line is an empty record).")
    boolean skipEmpty;

    @Option(
            names = "--no-create",
            negatable = false,
            description = "Do not create the stream first (by default it is created if missing).")
    boolean noCreate;

    @Option(
            names = "--partitions",
            paramLabel = "N",
            description = "Partitions of the stream if this creates it (default 1; more need a backend with "
                    + "PARTITIONED). An existing stream keeps its count.")
    int partitions = 1;

    @Option(
            names = {"-q", "--quiet"},
            description = "Print neither ids nor the summary.")
    boolean quiet;

    @Override
    protected void validate() {
        StreamName.of(stream);
        StreamOptions.partitions(partitions); // 1 to MAX_PARTITIONS, before any I/O
        if (noCreate && partitions != 1) {
            throw CliException.usage("--partitions applies to the stream this creates: drop --no-create");
        }
        template();
        if (!values.isEmpty() && !files.isEmpty()) {
            throw CliException.usage("give either VALUE arguments or --file, not both");
        }
        for (Path f : files) {
            if (!Files.isReadable(f)) {
                throw CliException.runtime("no such file: " + f);
            }
        }
    }

    @Override
    protected int run(StreamClient client) throws IOException {
        StreamName name = StreamName.of(stream);
        StreamRecord template = template();
        Iterator<byte[]> payloads;
        if (!values.isEmpty() || !files.isEmpty()) {
            List<byte[]> given = new ArrayList<>();
            values.forEach(v -> given.add(v.getBytes(StandardCharsets.UTF_8)));
            for (Path f : files) {
                given.add(Files.readAllBytes(f));
            }
            for (byte[] p : given) {
                // a record beyond the backend's limits fails here, before the stream is created: no empty
                // stream is left behind by a produce that could not append anything
                Checks.record(template.toBuilder().payload(p).build(), client.limits());
            }
            payloads = given.iterator();
        } else {
            Lines lines = new Lines(new BufferedReader(new InputStreamReader(root().in(), StandardCharsets.UTF_8)));
            // standard input may never end: its first record is checked before the stream is created
            byte[] first = lines.peek();
            if (first != null) {
                Checks.record(template.toBuilder().payload(first).build(), client.limits());
            }
            payloads = lines;
        }
        if (noCreate) {
            requireStream(client, name); // the same on every backend: no append creates it behind our back
        } else {
            client.createStream(name, StreamOptions.partitions(partitions));
        }
        long count = appendAll(client, name, template, payloads);
        if (!quiet) {
            err().println("appended " + count + (count == 1 ? " record" : " records") + " to " + name + " on "
                    + safeUri()
                    + (client.backend().equals("memory")
                            ? " (a memory store lives only as long as this process)"
                            : ""));
        }
        return 0;
    }

    private StreamRecord template() {
        StreamRecord.Builder b = StreamRecord.builder().payload(new byte[0]).key(key);
        for (String h : headers) {
            String[] kv = Args.header(h);
            b.header(kv[0], kv[1]);
        }
        return b.build();
    }

    private long appendAll(StreamClient client, StreamName name, StreamRecord template, Iterator<byte[]> payloads) {
        Window w = new Window(client, name);
        while (payloads.hasNext()) {
            w.add(template.toBuilder().payload(payloads.next()).build());
        }
        return w.finish();
    }

    /** The lines of standard input as UTF-8 payloads, empty lines skipped with --skip-empty-lines. */
    private final class Lines implements Iterator<byte[]> {
        private final BufferedReader reader;
        private byte[] next;
        private boolean ended;

        Lines(BufferedReader reader) {
            this.reader = reader;
        }

        /** The next payload without taking it; null at the end of the input. */
        byte[] peek() {
            if (next == null && !ended) {
                try {
                    String line;
                    do {
                        line = reader.readLine();
                    } while (line != null && skipEmpty && line.isEmpty());
                    if (line == null) {
                        ended = true;
                    } else {
                        next = line.getBytes(StandardCharsets.UTF_8);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return next;
        }

        @Override
        public boolean hasNext() {
            return peek() != null;
        }

        @Override
        public byte[] next() {
            byte[] p = peek();
            if (p == null) {
                throw new NoSuchElementException();
            }
            next = null;
            return p;
        }
    }

    /** A bounded window of appends in flight; ids are printed in input order. */
    private final class Window {
        private final StreamClient client;
        private final StreamName name;
        private final ArrayDeque<CompletableFuture<EventId>> inFlight = new ArrayDeque<>();
        private long done;

        Window(StreamClient client, StreamName name) {
            this.client = client;
            this.name = name;
        }

        void add(StreamRecord r) {
            if (inFlight.size() >= WINDOW) {
                completeOldest();
            }
            inFlight.add(client.appendAsync(name, r));
        }

        private void completeOldest() {
            CompletableFuture<EventId> f = inFlight.poll();
            EventId id;
            try {
                id = f.join();
            } catch (RuntimeException e) {
                StreamException se = StreamException.unwrap(e);
                throw new StreamException(
                        se.kind(), "append failed after " + done + " records were stored: " + se.getMessage(), se);
            }
            done++;
            if (!quiet) {
                out().println(id);
            }
        }

        long finish() {
            while (!inFlight.isEmpty()) {
                completeOldest();
            }
            out().flush();
            return done;
        }
    }
}
