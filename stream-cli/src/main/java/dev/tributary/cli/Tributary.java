package dev.tributary.cli;

import dev.tributary.cli.bench.BenchCommand;
import dev.tributary.cli.command.GroupsCommand;
import dev.tributary.cli.command.InfoCommand;
import dev.tributary.cli.command.ProduceCommand;
import dev.tributary.cli.command.RangeCommand;
import dev.tributary.cli.command.TailCommand;
import dev.tributary.cli.command.TckCommand;
import dev.tributary.cli.command.TrimCommand;
import dev.tributary.cli.demo.DemoCommand;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code tributary} command: the root of the command tree and the program's entry point.
 *
 * <p>Exit codes: 0 success; 1 a runtime failure (unreachable broker, missing stream, lost events in
 * a demo); 2 a usage or configuration error (bad option, bad URI, unknown backend, invalid name);
 * 130 interrupted by Ctrl-C. Errors print one line {@code tributary: <message>} on stderr; the stack
 * trace only with {@code --verbose}.
 */
@Command(
        name = "tributary",
        mixinStandardHelpOptions = true,
        versionProvider = Tributary.Version.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "One event-stream API, any broker behind it.",
        description = {
            "Appends, tails, pages and inspects streams on the embedded in-memory backend",
            "(the default), Redis Streams, Kafka or NATS JetStream, chosen by --uri.",
            "Start with: tributary demo",
            ""
        },
        footer = {
            "",
            "URIs:",
            "  memory:  memory:NAME  redis://HOST:6379  kafka://HOST:9092  nats://HOST:4222",
            "  with settings in the query, e.g. ?namespace=NS&requestTimeout=5s",
            "Exit codes: 0 ok, 1 runtime failure, 2 usage or configuration error,",
            "  130 interrupted (Ctrl-C)."
        },
        subcommands = {
            DemoCommand.class,
            ProduceCommand.class,
            TailCommand.class,
            RangeCommand.class,
            InfoCommand.class,
            TrimCommand.class,
            GroupsCommand.class,
            TckCommand.class,
            BenchCommand.class,
            AutoComplete.GenerateCompletion.class
        })
public final class Tributary implements Runnable {
    /** The environment variable that sets the default URI. */
    public static final String URI_ENV = "TRIBUTARY_URI";
    /** The URI used when neither --uri nor {@value #URI_ENV} is given. */
    public static final String DEFAULT_URI = "memory:";

    private final InputStream in;
    private String uri;
    private boolean verbose;

    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    /** A root reading standard input from {@code in}. */
    public Tributary(InputStream in) {
        this.in = Objects.requireNonNull(in, "in");
        String env = System.getenv(URI_ENV);
        this.uri = env == null || env.isBlank() ? DEFAULT_URI : env.trim();
    }

    /**
     * Runs the command line and exits with its code.
     *
     * @param args the command and its options
     */
    public static void main(String[] args) {
        Logging.configure(args);
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        int code = commandLine(System.in, out, err).execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /**
     * A fully configured command line (error handlers, exit codes, case-insensitive enums) writing to
     * {@code out} and {@code err}; tests drive it with {@link CommandLine#execute(String...)}.
     */
    public static CommandLine commandLine(InputStream in, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Tributary(in));
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler(new Errors.ExecutionHandler());
        cl.setParameterExceptionHandler(new Errors.ParameterHandler());
        cl.setExitCodeExceptionMapper(Errors::exitCode);
        CommandLine completion = cl.getSubcommands().get("generate-completion");
        if (completion != null) {
            completion.getCommandSpec().usageMessage().hidden(false);
        }
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The URI chosen by --uri, $TRIBUTARY_URI, or the default {@value #DEFAULT_URI}. */
    public String uri() {
        return uri;
    }

    void uri(String value) {
        this.uri = value;
    }

    /** True when --verbose was given: stack traces on errors, backend logs at INFO. */
    public boolean verbose() {
        return verbose;
    }

    void verbose(boolean value) {
        this.verbose = value;
    }

    /** Standard input of this run (produce reads lines from it). */
    public InputStream in() {
        return in;
    }

    /** The version line of {@code --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Tributary.class.getPackage().getImplementationVersion();
            return new String[] {
                "tributary " + (v == null ? "(development build)" : v),
                "Java " + System.getProperty("java.version") + " on " + System.getProperty("os.name")
            };
        }
    }
}
