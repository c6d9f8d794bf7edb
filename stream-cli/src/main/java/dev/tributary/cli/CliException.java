package dev.tributary.cli;

/**
 * A failure the command itself detects (a missing stream, lost events, a bad file), printed as one
 * line {@code tributary: <message>} with its exit code.
 */
public final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    /**
     * A failure with an exit code.
     *
     * @param exitCode the process's exit code
     * @param message  the line to print
     */
    public CliException(int exitCode, String message) {
        this(exitCode, message, null);
    }

    /**
     * A failure with an exit code and its cause.
     *
     * @param exitCode the process's exit code
     * @param message  the line to print
     * @param cause    the underlying failure, shown with --verbose
     */
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

    /** {@return the process's exit code} */
    public int exitCode() {
        return exitCode;
    }
}
