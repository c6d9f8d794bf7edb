package dev.tributary.cli;

/**
 * A failure the command itself detects (a missing stream, lost events, a bad file), printed as one
 * line {@code tributary: <message>} with its exit code.
 */
public final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    public CliException(int exitCode, String message) {
        this(exitCode, message, null);
    }

    public CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** A runtime failure (exit code 1). */
    public static CliException runtime(String message) {
        return new CliException(Errors.RUNTIME, message);
    }

    /** A usage error (exit code 2). */
    public static CliException usage(String message) {
        return new CliException(Errors.USAGE, message);
    }

    public int exitCode() {
        return exitCode;
    }
}
