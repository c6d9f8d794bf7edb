package dev.tributary.cli.command;

import dev.tributary.ClientConfig;
import dev.tributary.StreamClient;
import dev.tributary.StreamClients;
import dev.tributary.StreamInfo;
import dev.tributary.StreamName;
import dev.tributary.cli.CliException;
import dev.tributary.cli.GlobalOptions;
import dev.tributary.cli.Tributary;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of the commands that talk to one backend: opens one client for the URI of the run, hands it
 * to {@link #run(StreamClient)} and always closes it (also after Ctrl-C or a failure).
 */
public abstract class ClientCommand implements Callable<Integer> {
    /** The command as picocli built it; injected. */
    @Spec
    protected CommandSpec spec;

    @Mixin
    GlobalOptions global;

    /** The root command (URI, verbosity, stdin). */
    protected Tributary root() {
        return (Tributary) spec.root().userObject();
    }

    /** {@return the command's standard output} */
    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** {@return the command's error output} */
    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** The URI of this run without credentials or query, for messages. */
    protected String safeUri() {
        return ClientConfig.maskUri(root().uri());
    }

    /** Opens a client for the URI of this run. */
    protected StreamClient openClient() {
        return StreamClients.open(clientUri());
    }

    /** The URI clients of this command are opened with. */
    protected String clientUri() {
        return openable(root().uri());
    }

    /**
     * The URI as {@link StreamClients#open(String)} accepts it. {@code java.net.URI} rejects a bare
     * {@code scheme:} ("Expected scheme-specific part"), yet {@code memory:} is the documented
     * default; {@code memory:?} means the same private store and parses.
     */
    public static String openable(String uri) {
        String t = uri == null ? null : uri.trim();
        if (t != null && t.endsWith(":") && t.indexOf(':') == t.length() - 1 && t.length() > 1) {
            return t + "?";
        }
        return t;
    }

    private SignalGuard guard;

    /**
     * Whether this command runs until stopped and handles Ctrl-C itself: then a {@link SignalGuard}
     * covers the whole run, so after Ctrl-C the JVM waits until the command has printed its result
     * <em>and</em> closed its client. Short commands keep the default (Ctrl-C ends them at once).
     */
    protected boolean handlesCtrlC() {
        return false;
    }

    /** The run's Ctrl-C guard; only for commands whose {@link #handlesCtrlC()} is true. */
    protected SignalGuard guard() {
        if (guard == null) {
            throw new IllegalStateException(spec.name() + " does not handle Ctrl-C");
        }
        return guard;
    }

    @Override
    public Integer call() throws Exception {
        validate(); // bad input fails here, before any connection is attempted
        guard = handlesCtrlC() ? SignalGuard.install() : null;
        try (StreamClient client = openClient()) {
            return run(client);
        } finally {
            out().flush();
            if (guard != null) {
                guard.close();
            }
        }
    }

    /**
     * Checks everything the command can check without a broker (names, counts, durations, header and
     * position syntax), so that bad input gets its own error before any I/O — not a connection
     * error when the broker is also unreachable. Runs before the client is opened.
     */
    protected void validate() {}

    /** The command's work; returns the exit code. */
    protected abstract int run(StreamClient client) throws Exception;

    /** Fails with one clear line (exit code 1) when the stream does not exist. */
    protected StreamInfo requireStream(StreamClient client, StreamName stream) {
        StreamInfo info = client.info(stream);
        if (!info.exists()) {
            throw CliException.runtime("stream '" + stream + "' does not exist on " + safeUri()
                    + " (append to it with: tributary produce " + stream + " ...)");
        }
        return info;
    }
}
