package dev.tributary.cli.command;

import picocli.CommandLine.Option;

/**
 * The {@code -o/--output} option of the commands that print events or figures, mixed into each of them
 * ({@code @Mixin OutputOption output}): text for people, JSON for scripts.
 */
public final class OutputOption {
    @Option(
            names = {"-o", "--output"},
            paramLabel = "FORMAT",
            description = "text (default) or json.")
    OutputFormat format = OutputFormat.TEXT;

    /** {@return the format asked for} */
    public OutputFormat format() {
        return format;
    }

    /** {@return whether JSON was asked for} */
    public boolean json() {
        return format == OutputFormat.JSON;
    }
}
