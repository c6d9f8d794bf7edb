package dev.tributary.cli.command;

import dev.tributary.StreamName;
import picocli.CommandLine.Parameters;

/**
 * The first parameter, STREAM, of the commands that work on one stream, mixed into each of them
 * ({@code @Mixin StreamParameter stream}).
 */
public final class StreamParameter {
    @Parameters(index = "0", paramLabel = "STREAM", description = "The stream.")
    String text;

    /** {@return the stream's name}; fails when it is not a valid one (checked before any I/O) */
    public StreamName name() {
        return StreamName.of(text);
    }
}
