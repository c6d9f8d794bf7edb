package dev.tributary.cli.command;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C handling for long-running commands. While installed, a SIGINT/SIGTERM does not kill the
 * JVM at once: it raises {@link #stopRequested()} and the JVM waits (up to {@link #GRACE_SECONDS})
 * until the command has stopped its processors, closed its clients and printed its report, which it
 * signals by {@link #close()}.
 */
public final class SignalGuard implements AutoCloseable {
    /** How long the JVM waits, after Ctrl-C, for the command to finish cleanly. */
    public static final int GRACE_SECONDS = 20;

    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook;
    private volatile boolean stopRequested;

    private SignalGuard() {
        this.hook = new Thread(this::onSignal, "tributary-ctrl-c");
    }

    /** Installs a guard for the current thread's command. */
    public static SignalGuard install() {
        SignalGuard g = new SignalGuard();
        try {
            Runtime.getRuntime().addShutdownHook(g.hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            g.stopRequested = true;
        }
        return g;
    }

    private void onSignal() {
        // No interrupt of the worker: broker clients treat interrupts as failures. Commands poll with
        // short waits and check stopRequested() between polls.
        stopRequested = true;
        try {
            done.await(GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True once Ctrl-C (SIGINT) or SIGTERM asked the command to stop. */
    public boolean stopRequested() {
        return stopRequested;
    }

    /** The command is done: lets the JVM exit if it is shutting down, else removes the hook. */
    @Override
    public void close() {
        done.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running and now returns
        }
    }
}
