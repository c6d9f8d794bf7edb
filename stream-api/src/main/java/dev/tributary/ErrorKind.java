package dev.tributary;

/**
 * The small error vocabulary that retry logic reads. Every failure that crosses the contract is a
 * {@link StreamException} carrying exactly one kind; backends map their native errors onto these
 * kinds and nothing above a backend looks at native exception types.
 *
 * <p>Three questions decide what a caller does: {@link #isRetryable()} (the same call may succeed
 * later without any change), {@link #isFatal()} (no retry can help: configuration, credentials or
 * a missing feature must change) and, for appends, {@link #INDETERMINATE} (the record may or may
 * not have been stored; retry only with an idempotency id where the backend declares
 * {@link Capability#IDEMPOTENT_APPEND}).
 */
public enum ErrorKind {
    /** A transient failure (connection refused or reset, timeout, leader election, broker OOM). Retry with backoff. */
    RETRYABLE(true, false),
    /** An append whose outcome is unknown: the request may have been stored although no reply arrived. */
    INDETERMINATE(false, false),
    /** A bounded buffer (in-flight appends, a memory cap) is full. Retry later, more slowly. */
    BACKPRESSURE(true, false),
    /** The client or broker is configured in a way that cannot work (bad URI, wrong type of key, unknown command). */
    CONFIGURATION(false, true),
    /** Wrong or missing credentials, or not permitted. Never retried automatically. */
    AUTHENTICATION(false, true),
    /** An argument broke the contract (bad name, null, out-of-range count, foreign id). Raised before any I/O. */
    INVALID_ARGUMENT(false, false),
    /** A record is larger than the backend's declared {@link Limits}. Nothing was written. */
    TOO_LARGE(false, false),
    /** A stream or group that the call needs does not exist. */
    NOT_FOUND(false, false),
    /** The backend does not declare the capability the call needs. Raised before any I/O. */
    UNSUPPORTED(false, true),
    /** Events were lost or skipped: a position older than the retained head, or a group the broker forgot. */
    DATA_LOSS(false, false),
    /** The client (or the reader or consumer) was closed. */
    CLOSED(false, false),
    /** A defect: a broker reply that breaks the protocol, or a bug. Reported, never retried in a loop. */
    INTERNAL(false, true);

    private final boolean retryable;
    private final boolean fatal;

    ErrorKind(boolean retryable, boolean fatal) {
        this.retryable = retryable;
        this.fatal = fatal;
    }

    /** True when repeating the same call later, unchanged, may succeed. */
    public boolean isRetryable() {
        return retryable;
    }

    /** True when no retry can help; a processor that meets it fails visibly. */
    public boolean isFatal() {
        return fatal;
    }
}
