package dev.tributary.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options every command accepts ({@code --uri}, {@code --verbose}), anywhere on the command
 * line: {@code tributary --uri X tail s} and {@code tributary tail s --uri X} mean the same. Mixed
 * into each command; the setters store the value on the root {@link Tributary}, so there is one
 * place to read it from and a subcommand's absent option never resets what the root received.
 */
public final class GlobalOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(
            names = {"-u", "--uri"},
            paramLabel = "URI",
            order = -20,
            description = "The backend and broker URI; tributary --help lists the forms. Default: $" + Tributary.URI_ENV
                    + ", else " + Tributary.DEFAULT_URI + " (embedded, in memory).")
    void uri(String uri) {
        if (uri != null) {
            root().uri(uri);
        }
    }

    @Option(names = "--verbose", order = -19, description = "Print stack traces on errors and backend logs at INFO.")
    void verbose(boolean verbose) {
        if (verbose) {
            root().verbose(true);
        }
    }

    private Tributary root() {
        return (Tributary) mixee.root().userObject();
    }
}
