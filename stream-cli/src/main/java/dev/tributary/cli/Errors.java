package dev.tributary.cli;

import dev.tributary.ErrorKind;
import dev.tributary.StreamException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;

/**
 * How failures become output and exit codes: one line {@code tributary: <message>} on stderr, the
 * stack trace only with {@code --verbose}.
 */
public final class Errors {
    /** A runtime failure: unreachable broker, missing stream, lost events. */
    public static final int RUNTIME = 1;
    /** A usage or configuration error: bad option, bad URI, unknown backend, invalid argument. */
    public static final int USAGE = 2;
    /** Stopped by Ctrl-C (128 + SIGINT). */
    public static final int INTERRUPTED = 130;

    private Errors() {}

    /** The exit code for a failure. */
    public static int exitCode(Throwable t) {
        Throwable e = unwrap(t);
        if (e instanceof CliException c) {
            return c.exitCode();
        }
        if (e instanceof CommandLine.ParameterException) {
            return USAGE;
        }
        if (e instanceof StreamException se) {
            return usageKind(se.kind()) ? USAGE : RUNTIME;
        }
        return RUNTIME;
    }

    /** Kinds that mean the command line (URI, names, arguments, chosen features) must change. */
    static boolean usageKind(ErrorKind kind) {
        switch (kind) {
            case CONFIGURATION:
            case INVALID_ARGUMENT:
            case UNSUPPORTED:
            case AUTHENTICATION:
            case TOO_LARGE:
                return true;
            default:
                return false;
        }
    }

    /** The one-line message for a failure. */
    public static String message(Throwable t) {
        Throwable e = unwrap(t);
        if (e instanceof StreamException se) {
            return se.getMessage() + kindSuffix(se.kind());
        }
        if (e instanceof NoSuchFileException nsf) {
            return "no such file: " + nsf.getFile();
        }
        if (e instanceof UncheckedIOException u) {
            return message(u.getCause());
        }
        if (e instanceof IOException) {
            return e.getMessage() == null ? e.toString() : e.getMessage();
        }
        if (e instanceof CliException) {
            return e.getMessage();
        }
        if (e.getMessage() == null) {
            return e.getClass().getName();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static String kindSuffix(ErrorKind kind) {
        switch (kind) {
            case RETRYABLE:
                return " (is the broker running and reachable?)";
            case CLOSED:
                return " (stopped)";
            default:
                return "";
        }
    }

    static Throwable unwrap(Throwable t) {
        Throwable cur = t;
        while ((cur instanceof CompletionException
                        || cur instanceof ExecutionException
                        || cur instanceof CommandLine.ExecutionException)
                && cur.getCause() != null) {
            cur = cur.getCause();
        }
        return cur;
    }

    private static boolean verbose(CommandLine cmd) {
        Object root = cmd.getCommandSpec().root().userObject();
        return root instanceof Tributary t && t.verbose();
    }

    /** Prints an error the way every command does. */
    static void print(CommandLine cmd, Throwable t) {
        PrintWriter err = cmd.getErr();
        err.println("tributary: " + message(t));
        if (verbose(cmd)) {
            t.printStackTrace(err);
        }
        err.flush();
    }

    /** Failures thrown by a command's code. */
    static final class ExecutionHandler implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
            print(cmd, ex);
            return exitCode(ex);
        }
    }

    /** Bad command lines: one line plus where to find help. */
    static final class ParameterHandler implements CommandLine.IParameterExceptionHandler {
        @Override
        public int handleParseException(CommandLine.ParameterException ex, String[] args) {
            CommandLine cmd = ex.getCommandLine();
            PrintWriter err = cmd.getErr();
            err.println("tributary: " + ex.getMessage() + " (see '"
                    + cmd.getCommandSpec().qualifiedName() + " --help')");
            if (verbose(cmd)) {
                ex.printStackTrace(err);
            }
            err.flush();
            return USAGE;
        }
    }
}
