package dev.tributary;

import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The one unchecked exception of the contract. Its {@link #kind()} is what callers and
 * {@code stream-core} decide on; the message says what was wrong, with which value, and what to do.
 * Messages never contain secrets (passwords, tokens).
 */
public class StreamException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorKind kind;

    /** An error of {@code kind}; the message says what was wrong and what to do. */
    public StreamException(ErrorKind kind, String message) {
        this(kind, message, null);
    }

    /** An error of {@code kind} caused by {@code cause}. */
    public StreamException(ErrorKind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /** The kind of failure; never null. */
    public ErrorKind kind() {
        return kind;
    }

    /** Shorthand for {@code kind().isRetryable()}. */
    public boolean isRetryable() {
        return kind.isRetryable();
    }

    /** Shorthand for {@code kind().isFatal()}. */
    public boolean isFatal() {
        return kind.isFatal();
    }

    // The kind belongs in every log line of the exception; getMessage() stays the plain message.
    @SuppressWarnings("OverrideThrowableToString")
    @Override
    public String toString() {
        return "StreamException[" + kind + "]: " + getMessage();
    }

    /** An {@link ErrorKind#INVALID_ARGUMENT} error. */
    public static StreamException invalid(String message) {
        return new StreamException(ErrorKind.INVALID_ARGUMENT, message);
    }

    /** An {@link ErrorKind#UNSUPPORTED} error naming the missing capability. */
    public static StreamException unsupported(Capability capability, String backend) {
        return new StreamException(
                ErrorKind.UNSUPPORTED,
                "backend '" + backend + "' does not declare capability " + capability
                        + "; check client.capabilities() before using it");
    }

    /** A {@link ErrorKind#CLOSED} error. */
    public static StreamException closed(String what) {
        return new StreamException(ErrorKind.CLOSED, what + " is closed");
    }

    /**
     * Finds the {@code StreamException} behind a failure of a future or a wrapped call, so that
     * blocking wrappers throw the same kind the asynchronous call completed with. Anything else
     * becomes {@link ErrorKind#INTERNAL}; an interrupt becomes {@link ErrorKind#RETRYABLE} and
     * restores the thread's interrupt flag.
     */
    public static StreamException unwrap(Throwable t) {
        Throwable cur = t;
        while ((cur instanceof CompletionException || cur instanceof ExecutionException) && cur.getCause() != null) {
            cur = cur.getCause();
        }
        if (cur instanceof StreamException se) {
            return se;
        }
        if (cur instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return new StreamException(ErrorKind.RETRYABLE, "interrupted while waiting", cur);
        }
        return new StreamException(ErrorKind.INTERNAL, "unexpected failure: " + cur, cur);
    }
}
