package dev.tributary.cli.bench;

import java.io.PrintWriter;
import java.util.concurrent.atomic.LongAdder;

/**
 * A progress bar on stderr for long phases: redrawn in place on a terminal, a plain line every
 * {@value #PLAIN_INTERVAL_MS} ms otherwise, nothing for phases shorter than {@value #QUIET_MS} ms.
 * {@link #add(long)} is thread-safe and cheap (the hot path of every side).
 */
public final class Progress {
    static final long QUIET_MS = 1500;
    static final long PLAIN_INTERVAL_MS = 5000;

    private final PrintWriter err;
    private final boolean terminal;
    private final boolean enabled;
    private final LongAdder done = new LongAdder();
    private volatile String title = "";
    private volatile long total = 1;
    private volatile long startNanos;
    private volatile boolean drawn;
    private final java.util.function.BooleanSupplier stop;
    private final java.util.function.LongSupplier nanoTime;
    private long lastPlain;

    /** A progress printing to {@code err}; {@code stop} says when the phases must end early (Ctrl-C). */
    public Progress(PrintWriter err, boolean terminal, boolean enabled, java.util.function.BooleanSupplier stop) {
        this(err, terminal, enabled, stop, System::nanoTime);
    }

    /** As above, reading the time from {@code nanoTime} (tests drive it by hand). */
    Progress(
            PrintWriter err,
            boolean terminal,
            boolean enabled,
            java.util.function.BooleanSupplier stop,
            java.util.function.LongSupplier nanoTime) {
        this.err = err;
        this.terminal = terminal;
        this.enabled = enabled;
        this.stop = stop;
        this.nanoTime = nanoTime;
    }

    /** True when the run must stop: the phases end early and their partial results are discarded. */
    public boolean stopRequested() {
        return stop.getAsBoolean();
    }

    /** Starts a phase. */
    public synchronized void begin(String phaseTitle, long phaseTotal) {
        this.title = phaseTitle;
        this.total = Math.max(1, phaseTotal);
        this.done.reset();
        this.startNanos = nanoTime.getAsLong();
        this.drawn = false;
        this.lastPlain = 0;
    }

    /**
     * Counts {@code n} more records done; any thread.
     *
     * @param n records done
     */
    public void add(long n) {
        done.add(n);
    }

    /** {@return the records done in this phase so far} */
    public long done() {
        return done.sum();
    }

    /** Redraws if due; called by the bench's ticker thread. */
    public synchronized void tick() {
        if (!enabled) {
            return;
        }
        long elapsedMs = (nanoTime.getAsLong() - startNanos) / 1_000_000;
        if (elapsedMs < QUIET_MS) {
            return;
        }
        long d = done.sum();
        double frac = Math.min(1.0, d / (double) total);
        double rate = elapsedMs == 0 ? 0 : d * 1000.0 / elapsedMs;
        if (terminal) {
            int width = 30;
            int full = (int) Math.round(frac * width);
            String bar = "#".repeat(full) + ".".repeat(width - full);
            err.printf("\r%-28s [%s] %3.0f%% %,10.0f ev/s ", title, bar, frac * 100, rate);
            err.flush();
            drawn = true;
        } else if (elapsedMs - lastPlain >= PLAIN_INTERVAL_MS) {
            lastPlain = elapsedMs;
            err.printf("%s: %,d of %,d (%.0f%%), %,.0f ev/s%n", title, d, total, frac * 100, rate);
            err.flush();
        }
    }

    /** Ends a phase: clears the bar. */
    public synchronized void end() {
        if (drawn && terminal) {
            err.print("\r" + " ".repeat(80) + "\r");
            err.flush();
        }
        drawn = false;
    }
}
