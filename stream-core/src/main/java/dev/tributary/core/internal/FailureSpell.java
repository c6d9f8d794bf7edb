package dev.tributary.core.internal;

/**
 * One call's spell of retried failures, for the log: quiet for its first {@link #QUIET_MS} ms (the
 * listener hears every retry), then a warning naming the operation and the last error, again every
 * {@link #REPEAT_MS} ms while it lasts, and a line when the call succeeds after a warning. Times are
 * in milliseconds of any monotonic clock. Created on a call's first failure, so a call that succeeds
 * at once costs nothing.
 */
final class FailureSpell {
    static final long QUIET_MS = 10_000;
    static final long REPEAT_MS = 60_000;

    private final String processor;
    private final String operation;
    private final long firstMs;
    private boolean warned;
    private long warnedMs;

    FailureSpell(String processor, String operation, long nowMs) {
        this.processor = processor;
        this.operation = operation;
        this.firstMs = nowMs;
    }

    /** Failed attempt number {@code attempts} (1 for the first); the warning to log now, or null. */
    String failed(long nowMs, int attempts, Object error) {
        long failing = nowMs - firstMs;
        if (failing < QUIET_MS || (warned && nowMs - warnedMs < REPEAT_MS)) {
            return null;
        }
        warned = true;
        warnedMs = nowMs;
        return "processor '" + processor + "': " + operation + " has failed for " + failing + " ms (" + attempts
                + " attempts), retrying; last error: " + error;
    }

    /** The call succeeded at attempt number {@code attempts}; the line to log when a warning was given, or null. */
    String succeeded(long nowMs, int attempts) {
        return warned
                ? "processor '" + processor + "': " + operation + " succeeded after " + (nowMs - firstMs)
                        + " ms of failures (" + attempts + " attempts)"
                : null;
    }
}
