package dev.tributary.cli.command;

import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The {@code --ack-timeout} option of the commands that create a consumer group, mixed into each of them
 * ({@code @Mixin AckTimeoutOption ackTimeout}); its duration syntax is checked before any I/O.
 */
public final class AckTimeoutOption {
    @Option(
            names = "--ack-timeout",
            paramLabel = "DURATION",
            description = "Ack timeout of a group this command creates. Default: 30s.")
    String text;

    /** {@return the duration as written, or null when the option is absent (the group's default)} */
    public String text() {
        return text;
    }

    /** Fails with a usage error when the duration is not one. */
    public void validate() {
        if (text != null) {
            duration();
        }
    }

    /** {@return the duration, or null when the option is absent} */
    public Duration duration() {
        return text == null ? null : Args.duration("--ack-timeout", text);
    }
}
