package dev.tributary.cli.command;

import dev.tributary.StreamClient;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The loop of {@code groups --watch}: a {@link WatchSample} every interval, the {@link WatchRates}
 * since the previous one, printed by a {@link WatchView} — redrawn in place on a terminal, else one
 * block after the other (or one JSON line each) — until stopped or after a number of refreshes. Only
 * the previous sample is kept. A retryable failure (broker briefly away) prints one line and the
 * watch goes on; any other ends it.
 */
final class GroupsWatch {
    private static final String HOME_AND_CLEAR = "\u001b[H\u001b[2J";
    private static final long SLICE_MILLIS = 50;

    private final StreamClient client;
    private final StreamName stream;
    private final String only;
    private final Duration interval;
    private final WatchView view;
    private final PrintWriter out;
    private final OutputFormat format;
    private final boolean terminal;

    /**
     * @param only     the one group to show, or null for all
     * @param terminal whether {@code out} is a terminal (each refresh then replaces the previous one)
     */
    GroupsWatch(
            StreamClient client,
            StreamName stream,
            String only,
            Duration interval,
            WatchView view,
            PrintWriter out,
            OutputFormat format,
            boolean terminal) {
        this.client = client;
        this.stream = stream;
        this.only = only;
        this.interval = interval;
        this.view = view;
        this.out = out;
        this.format = format;
        this.terminal = terminal && format == OutputFormat.TEXT;
    }

    /**
     * Refreshes until {@code stop} says so or {@code refreshes} were printed.
     *
     * @return the number of refreshes printed
     */
    long run(long refreshes, BooleanSupplier stop) throws InterruptedException {
        WatchSample previous = null;
        long printed = 0;
        while (!stop.getAsBoolean()) {
            long started = System.nanoTime();
            try {
                WatchSample now = WatchSample.take(client, stream, only);
                print(now, previous == null ? null : WatchRates.between(previous, now), printed);
                previous = now;
            } catch (StreamException e) {
                if (!e.kind().isRetryable()) {
                    throw e;
                }
                out.println("refresh failed (" + e.kind() + "): " + e.getMessage() + "; retrying every "
                        + interval.toMillis() + " ms");
                out.flush();
                previous = null; // a rate across the gap would average over it
            }
            printed++;
            if (printed >= refreshes) {
                break;
            }
            sleepUntil(started + interval.toNanos(), stop);
        }
        return printed;
    }

    private void print(WatchSample now, WatchRates rates, long printed) {
        if (format == OutputFormat.JSON) {
            out.println(Json.line(view.json(now, rates)));
        } else {
            if (terminal) {
                out.print(HOME_AND_CLEAR);
            } else if (printed > 0) {
                out.println();
            }
            view.text(now, rates).forEach(out::println);
        }
        out.flush();
    }

    /** Sleeps in short slices, so that Ctrl-C ends the watch within {@value #SLICE_MILLIS} ms. */
    private static void sleepUntil(long deadline, BooleanSupplier stop) throws InterruptedException {
        long left;
        while (!stop.getAsBoolean() && (left = deadline - System.nanoTime()) > 0) {
            Thread.sleep(Math.min(SLICE_MILLIS, Math.max(1, left / 1_000_000)));
        }
    }
}
