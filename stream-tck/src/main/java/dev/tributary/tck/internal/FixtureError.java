package dev.tributary.tck.internal;

/**
 * A rule failed because of the fixture, not the backend (say, clients that do not share one store).
 * {@link RuleExtension} reports it with a hint that points at the fixture instead of the rule's
 * backend hint, which would mislead.
 */
public final class FixtureError extends AssertionError {
    private static final long serialVersionUID = 1L;

    /** A fixture failure with a message that says what is wrong with the fixture and what to do. */
    public FixtureError(String message) {
        super(message);
    }
}
