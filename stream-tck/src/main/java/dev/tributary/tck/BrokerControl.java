package dev.tributary.tck;

/**
 * Control of a broker for the fault rules (F family). A fixture that cannot control its broker
 * (a shared deployment reached by URI) returns none, and the F rules are reported as skipped.
 *
 * <p>Every method returns once the effect holds: {@link #stop()} and {@link #kill()} when the
 * broker no longer answers, {@link #start()} when it answers again at the same address,
 * {@link #pause()} when the process is frozen (SIGSTOP), {@link #resume()} when it runs again.
 */
public interface BrokerControl {
    /** Graceful stop (SIGTERM); data the broker persisted survives. */
    void stop();

    /** Starts the broker again at the same address, with the same data directory. */
    void start();

    /** Hard kill (SIGKILL); the broker loses what it had not persisted. */
    void kill();

    /** Freezes the broker process (SIGSTOP): connections stay open but nothing answers. */
    void pause();

    /** Unfreezes it (SIGCONT). */
    void resume();

    /**
     * The broker loses every piece of data it had: killed, its store deleted, started again empty at
     * the same address (rule F7). Optional: the default throws {@link UnsupportedOperationException}
     * at once, and F7 is reported as skipped.
     */
    default void wipe() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot wipe its broker's data");
    }
}
