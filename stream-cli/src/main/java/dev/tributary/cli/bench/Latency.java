package dev.tributary.cli.bench;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * The latency phase: events sent at a fixed rate, each carrying its send time, and the time until a
 * consumer's handler sees it (publish to handler, end to end). The consumer starts first; probe events
 * are sent until it sees one, so opening a reader or joining a group is not measured. One JVM sends
 * and receives, so {@link System#nanoTime()} is one clock.
 */
final class Latency {
    /** The most events one phase sends: {@code rate} × this many seconds (fewer when --records is smaller). */
    static final int SECONDS = 10;

    /** What sends one event (asynchronously; a failure is reported to {@code failed}). */
    interface Sender {
        void send(byte[] payload, Consumer<Throwable> failed) throws Exception;
    }

    /** What starts the consumer: it hands every payload it handles to {@code handled}; closing stops it. */
    interface Receiver {
        AutoCloseable start(Consumer<byte[]> handled) throws Exception;
    }

    private Latency() {}

    /** Hex digits of the send time at the start of every payload (printable, like the bench's payloads). */
    private static final int STAMP = 16;

    /** A payload of {@code size} bytes (at least {@value #STAMP}) starting with {@code sentAt}; 0 marks a probe. */
    static byte[] payload(int size, long sentAt) {
        byte[] p = Drivers.payload(Math.max(STAMP, size), sentAt);
        byte[] stamp = String.format(java.util.Locale.ROOT, "%016x", sentAt).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(stamp, 0, p, 0, STAMP);
        return p;
    }

    static long sentAt(byte[] payload) {
        return Long.parseUnsignedLong(new String(payload, 0, STAMP, StandardCharsets.US_ASCII), 16);
    }

    static PhaseResult run(Workload w, Progress progress, String title, int rate, Sender sender, Receiver receiver)
            throws Exception {
        int events = (int) Math.min(w.records(), (long) rate * SECONDS);
        Histogram latency = PhaseResult.newHistogram();
        AtomicLong seen = new AtomicLong();
        AtomicLong probes = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Consumer<Throwable> failed = e -> failure.compareAndSet(null, e);
        try (AutoCloseable consumer = receiver.start(p -> {
            long sentAt = sentAt(p);
            if (sentAt == 0) {
                probes.incrementAndGet();
                return;
            }
            synchronized (latency) {
                latency.recordValue(Math.max(0, (System.nanoTime() - sentAt) / 1000));
            }
            seen.incrementAndGet();
            progress.add(1);
        })) {
            long ready = System.nanoTime() + Drivers.STALL_NANOS;
            while (probes.get() == 0) {
                check(failure, progress);
                if (System.nanoTime() > ready) {
                    throw new IllegalStateException("the consumer saw none of the probe events within "
                            + TimeUnit.NANOSECONDS.toSeconds(Drivers.STALL_NANOS) + " s");
                }
                sender.send(payload(w.size(), 0), failed);
                Thread.sleep(20);
            }
            progress.begin(title, events);
            long period = TimeUnit.SECONDS.toNanos(1) / rate;
            long start = System.nanoTime();
            for (int i = 0; i < events; i++) {
                long due = start + i * period;
                long now;
                while ((now = System.nanoTime()) < due) {
                    long left = due - now;
                    if (left > 200_000) {
                        Thread.sleep(0, (int) Math.min(left - 100_000, 999_999));
                    } else {
                        Thread.onSpinWait();
                    }
                }
                check(failure, progress);
                long stamp = System.nanoTime();
                sender.send(payload(w.size(), stamp == 0 ? 1 : stamp), failed); // 0 marks a probe
            }
            long last = seen.get();
            long lastChange = System.nanoTime();
            while (seen.get() < events) {
                check(failure, progress);
                Thread.sleep(1);
                long n = seen.get();
                if (n != last) {
                    last = n;
                    lastChange = System.nanoTime();
                } else if (System.nanoTime() - lastChange > Drivers.STALL_NANOS) {
                    throw new IllegalStateException("the consumer handled " + n + " of " + events + " events");
                }
            }
            long nanos = System.nanoTime() - start;
            synchronized (latency) {
                return new PhaseResult(events, (long) events * w.size(), nanos, latency.copy());
            }
        } finally {
            progress.end();
        }
    }

    private static void check(AtomicReference<Throwable> failure, Progress progress) throws Exception {
        Throwable t = failure.get();
        if (t instanceof Exception e) {
            throw e;
        }
        if (t != null) {
            throw new IllegalStateException(t);
        }
        if (progress.stopRequested()) {
            throw new java.util.concurrent.CancellationException("stopped");
        }
    }
}
