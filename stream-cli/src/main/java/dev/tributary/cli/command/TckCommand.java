package dev.tributary.cli.command;

import dev.tributary.ClientConfig;
import dev.tributary.cli.CliException;
import dev.tributary.cli.GlobalOptions;
import dev.tributary.cli.Tributary;
import dev.tributary.tck.TckReport;
import dev.tributary.tck.TckRunner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tributary tck <uri>}: runs the compatibility kit (stream-tck's {@link TckRunner}) against a
 * live deployment and prints its rule table. Exit code 1 when a rule failed.
 */
@Command(
        name = "tck",
        sortOptions = false,
        mixinStandardHelpOptions = true,
        header = "Run the compatibility kit against a live deployment.",
        description = {
            "Runs every rule of the Tributary compatibility kit (discovery, append and read, positions, "
                    + "history, consumer groups, errors; processor rules where available) against the deployment at "
                    + "URI and prints the rule table: passed, failed, or skipped with the reason. The kit writes its "
                    + "own fresh streams (a run id in every name). Fault rules that need control of the broker "
                    + "process are skipped against a deployment reached by URI.",
            ""
        },
        footer = {
            "",
            "Examples:",
            "  tributary tck redis://localhost:6379",
            "  tributary tck nats://nats.internal:4222",
            "",
            "Exit code 1 when any rule failed."
        })
public final class TckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Parameters(index = "0", arity = "0..1", paramLabel = "URI", description = "The deployment. Default: --uri.")
    String uri;

    @Override
    public Integer call() {
        Tributary root = (Tributary) spec.root().userObject();
        String target = ClientCommand.openable(uri != null ? uri : root.uri());
        String lower = target.toLowerCase(Locale.ROOT);
        if (lower.startsWith("memory:?")) {
            // a bare memory: is a private store per client; the kit's clients must share one
            target =
                    "memory:tck-" + UUID.randomUUID().toString().substring(0, 8) + target.substring("memory:".length());
        }
        ClientConfig.parse(target); // a bad URI fails here, with the usual one line
        spec.commandLine()
                .getErr()
                .println("running the Tributary compatibility kit against " + ClientConfig.maskUri(target)
                        + " (this takes a while) ...");
        spec.commandLine().getErr().flush();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        TckReport report;
        try (PrintStream ps = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            report = TckRunner.run(target, ps);
        }
        spec.commandLine().getOut().print(buffer.toString(StandardCharsets.UTF_8));
        spec.commandLine().getOut().flush();
        if (report.failed() > 0) {
            throw CliException.runtime(
                    report.failed() + " of " + report.results().size() + " rules failed against "
                            + ClientConfig.maskUri(target) + ": " + String.join(", ", report.failedRules()));
        }
        return 0;
    }
}
