package dev.tributary.tck.processor.internal;

import dev.tributary.ClientConfig;
import dev.tributary.StreamClient;
import dev.tributary.StreamName;
import dev.tributary.core.DeadLetterPolicy;
import dev.tributary.core.Processor;
import dev.tributary.tck.BrokerFixture;
import dev.tributary.tck.Tck;
import dev.tributary.tck.internal.KitContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a processor rule body works with: the shared {@link KitContext} (clients and streams, closed
 * and deleted after each rule) plus the processors and temporary directories the rule made, which
 * {@link #cleanup()} stops first and deletes last.
 */
public final class ProcessorKit {
    /** Header that carries a record's identity for the history checker and the dead-letter checks. */
    static final String KEY_HEADER = "tck-key";

    private final KitContext ctx;
    private final ProcessorFactory factory;
    private final List<Processor> processors = Collections.synchronizedList(new ArrayList<>());
    private final List<Path> dirs = Collections.synchronizedList(new ArrayList<>());

    /** A kit whose history rules judge stream-core's processors. */
    public ProcessorKit(KitContext ctx) {
        this(ctx, ProcessorFactory.STREAM_CORE);
    }

    /** A kit whose history rules (C9, C10) judge the processors {@code processors} builds (the kit's self-tests). */
    public ProcessorKit(KitContext ctx, ProcessorFactory processors) {
        this.ctx = ctx;
        this.factory = processors;
    }

    /** The processors the history rules judge. */
    ProcessorFactory processors() {
        return factory;
    }

    BrokerFixture fixture() {
        return ctx.fixture();
    }

    /** Whether the fixture keeps acknowledged appends through a SIGKILL (the kit class's hook). */
    public boolean faultsKillBroker() {
        return ctx.hooks().faultsKillBroker();
    }

    /** A client from the kit's hook; closed after the rule. */
    StreamClient client() {
        return ctx.client();
    }

    /** A client with another configuration (C5: shorter timeouts); closed after the rule. */
    StreamClient client(ClientConfig config) {
        return ctx.client(config);
    }

    /** A fresh stream created with {@code client}; it and its dead-letter stream are deleted after the rule. */
    StreamName created(StreamClient client, String tag) {
        StreamName s = ctx.stream(tag);
        ctx.deleteAfter(DeadLetterPolicy.defaultName(s));
        KitContext.createStream(client, s);
        return s;
    }

    /** Stops {@code p} after the rule, whatever the rule did with it. */
    <P extends Processor> P track(P p) {
        processors.add(p);
        return p;
    }

    /** A fresh temporary directory (checkpoint files), deleted after the rule. */
    Path tempDir(String tag) throws IOException {
        Path d = Files.createTempDirectory("tributary-tck-" + tag + "-");
        dirs.add(d);
        return d;
    }

    /**
     * Stops the rule's processors (each bounded by a scaled 5 s), then lets the kit context delete the
     * streams and close the clients, then deletes the temporary directories. Best effort throughout:
     * the broker may be down after a fault rule.
     */
    public void cleanup() {
        for (Processor p : drain(processors)) {
            try {
                p.stop(Tck.scaled(Duration.ofSeconds(5)));
            } catch (RuntimeException e) {
                System.err.println("[ProcessorTck] stopping " + p + " failed: " + e);
            }
        }
        ctx.cleanup();
        for (Path d : drain(dirs)) {
            try (Stream<Path> files = Files.walk(d)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException | RuntimeException e) {
                // best effort
            }
        }
    }

    private static <T> List<T> drain(List<T> list) {
        synchronized (list) {
            List<T> copy = new ArrayList<>(list);
            list.clear();
            return copy;
        }
    }
}
