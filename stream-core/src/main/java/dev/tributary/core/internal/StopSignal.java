package dev.tributary.core.internal;

/** Unwinds a processor loop when a stop was requested during a wait. Carries no stack trace. */
public final class StopSignal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StopSignal() {
        super("stop requested", null, false, false);
    }
}
