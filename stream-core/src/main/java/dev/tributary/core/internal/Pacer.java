package dev.tributary.core.internal;

import dev.tributary.core.Sleeper;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Sleeps through the injected {@link Sleeper} in short slices and throws {@link StopSignal} as soon
 * as a stop is requested (or the thread is interrupted), so that backoff never delays a stop.
 */
public final class Pacer {
    private final Sleeper sleeper;
    private final BooleanSupplier stopRequested;

    public Pacer(Sleeper sleeper, BooleanSupplier stopRequested) {
        this.sleeper = sleeper;
        this.stopRequested = stopRequested;
    }

    /** Waits {@code d}, or throws {@link StopSignal} when a stop comes first. */
    public void sleep(Duration d) {
        Duration remaining = d;
        while (true) {
            if (stopRequested.getAsBoolean()) {
                throw new StopSignal();
            }
            if (remaining.isZero() || remaining.isNegative()) {
                return;
            }
            Duration slice = remaining.compareTo(Settings.SLEEP_SLICE) > 0 ? Settings.SLEEP_SLICE : remaining;
            try {
                sleeper.sleep(slice);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StopSignal();
            }
            remaining = remaining.minus(slice);
        }
    }

    public boolean stopRequested() {
        return stopRequested.getAsBoolean();
    }
}
