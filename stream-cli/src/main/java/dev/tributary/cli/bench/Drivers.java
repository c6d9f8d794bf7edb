package dev.tributary.cli.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import org.HdrHistogram.Histogram;

/**
 * The loops every side runs, so that Tributary and the raw clients do exactly the same work and are
 * timed the same way: pipelined appends with a bounded window per producer, and group members that
 * poll and ack a batch at a time.
 */
final class Drivers {
    /** A phase that makes no progress for this long fails. */
    static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(60);

    private Drivers() {}

    /** Sends one record asynchronously and reports its outcome through {@code done}. */
    interface Submitter {
        void submit(int producer, byte[] payload, Completion done) throws Exception;

        /** Called after every {@code batch} submissions of a producer and at its end (Lettuce flushes here). */
        default void flush(int producer) {}
    }

    /** The outcome of one append: null on success. */
    interface Completion {
        void complete(Throwable error);
    }

    /** One member of the consumer group. */
    interface Member extends AutoCloseable {
        /** Polls up to {@code max} records (waiting briefly), acks them, returns how many. */
        int pollAndAck(int max) throws Exception;

        @Override
        void close();
    }

    /** Creates member {@code i} of the group. */
    interface MemberFactory {
        Member open(int index) throws Exception;
    }

    /** Starts something that hands events over on threads of its own (a processor, or a raw read loop). */
    interface Starter {
        /** Starts; {@code handled} takes the number of events handled, as they are; closing stops it. */
        AutoCloseable start(LongConsumer handled) throws Exception;
    }

    /** A read loop on a thread of its own, for the raw sides of the processor phases. */
    interface Loop {
        /** Reads once (waiting briefly when nothing is there); returns the number of events read. */
        int readOnce() throws Exception;
    }

    /**
     * Runs {@code loop} on a thread of its own until closed, handing each read's count to {@code handled}
     * ({@code opened} runs first, on that thread: the raw side opens its reader there, as a processor does).
     */
    static AutoCloseable loop(String name, LongConsumer handled, java.util.concurrent.Callable<Loop> opened) {
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(
                () -> {
                    try {
                        Loop l = opened.call();
                        while (running.get()) {
                            int n = l.readOnce();
                            if (n > 0) {
                                handled.accept(n);
                            }
                        }
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                },
                name);
        t.setDaemon(true);
        t.start();
        return () -> {
            running.set(false);
            t.join(TimeUnit.SECONDS.toMillis(10));
            rethrow(failure.get());
        };
    }

    /**
     * The processor phases: starts {@code starter} and waits until it handled every record of the
     * round. The time runs from the start (a processor opens its reader or joins its group then) to
     * the moment the last record was handled; there is no per-event latency.
     */
    static PhaseResult process(Workload w, Progress progress, String title, Starter starter) throws Exception {
        AtomicLong handled = new AtomicLong();
        AtomicLong doneAt = new AtomicLong();
        progress.begin(title, w.records());
        long start = System.nanoTime();
        try (AutoCloseable run = starter.start(n -> {
            progress.add(n);
            if (handled.addAndGet(n) >= w.records()) {
                doneAt.compareAndSet(0, System.nanoTime());
            }
        })) {
            long seen = -1;
            long lastChange = System.nanoTime();
            while (doneAt.get() == 0) {
                if (progress.stopRequested()) {
                    throw new java.util.concurrent.CancellationException("stopped");
                }
                Thread.sleep(2);
                long now = handled.get();
                if (now != seen) {
                    seen = now;
                    lastChange = System.nanoTime();
                } else if (System.nanoTime() - lastChange > STALL_NANOS) {
                    throw new IllegalStateException("handled only " + now + " of " + w.records()
                            + " records; nothing new for " + TimeUnit.NANOSECONDS.toSeconds(STALL_NANOS) + " s");
                }
            }
        } finally {
            progress.end();
        }
        return new PhaseResult(
                handled.get(), handled.get() * (long) w.size(), doneAt.get() - start, PhaseResult.newHistogram());
    }

    /** A payload of printable ASCII (no compression gains, valid UTF-8 on every backend). */
    static byte[] payload(int size, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) ('a' + r.nextInt(26));
        }
        return b;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Pipelined appends: each producer keeps at most {@code window} records in flight. */
    static PhaseResult append(Workload w, Progress progress, String title, Submitter submitter) throws Exception {
        Histogram latency = PhaseResult.newHistogram();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong acked = new AtomicLong();
        progress.begin(title, w.records());
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int p = 0; p < w.producers(); p++) {
            final int producer = p;
            Thread t = new Thread(
                    () -> {
                        Semaphore window = new Semaphore(w.window());
                        byte[] payload = payload(w.size(), producer);
                        int n = w.recordsOf(producer);
                        try {
                            for (int i = 0; i < n && failure.get() == null; i++) {
                                while (!window.tryAcquire(1, 100, TimeUnit.MILLISECONDS)) {
                                    if (failure.get() != null) {
                                        return;
                                    }
                                }
                                if (progress.stopRequested()) {
                                    failure.compareAndSet(
                                            null, new java.util.concurrent.CancellationException("stopped"));
                                    window.release();
                                    break;
                                }
                                long t0 = System.nanoTime();
                                submitter.submit(producer, payload, error -> {
                                    if (error != null) {
                                        failure.compareAndSet(null, error);
                                    } else {
                                        latency.recordValue(Math.max(0, (System.nanoTime() - t0) / 1000));
                                        acked.incrementAndGet();
                                        progress.add(1);
                                    }
                                    window.release();
                                });
                                if ((i + 1) % w.batch() == 0) {
                                    submitter.flush(producer);
                                }
                            }
                            submitter.flush(producer);
                            long deadline = System.nanoTime() + STALL_NANOS;
                            while (!window.tryAcquire(w.window(), 100, TimeUnit.MILLISECONDS)) {
                                if (failure.get() != null) {
                                    return;
                                }
                                if (System.nanoTime() > deadline) {
                                    failure.compareAndSet(
                                            null,
                                            new IllegalStateException("appends not acknowledged within "
                                                    + TimeUnit.NANOSECONDS.toSeconds(STALL_NANOS) + " s"));
                                    return;
                                }
                            }
                        } catch (Throwable e) {
                            failure.compareAndSet(null, e);
                        }
                    },
                    "bench-producer-" + p);
            threads.add(t);
            t.start();
        }
        join(threads, progress);
        long nanos = System.nanoTime() - start;
        progress.end();
        rethrow(failure.get());
        return new PhaseResult(acked.get(), acked.get() * (long) w.size(), nanos, latency);
    }

    /** Group members poll and ack until every record was consumed once. */
    static PhaseResult consume(Workload w, Progress progress, String title, MemberFactory factory) throws Exception {
        Histogram latency = PhaseResult.newHistogram();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong consumed = new AtomicLong();
        AtomicLong lastProgress = new AtomicLong(System.nanoTime());
        AtomicLong doneAt = new AtomicLong();
        List<Member> members = new ArrayList<>();
        try {
            for (int i = 0; i < w.consumers(); i++) {
                members.add(factory.open(i));
            }
            progress.begin(title, w.records());
            List<Thread> threads = new ArrayList<>();
            long start = System.nanoTime();
            for (Member m : members) {
                Thread t = new Thread(
                        () -> {
                            try {
                                while (consumed.get() < w.records() && failure.get() == null) {
                                    if (progress.stopRequested()) {
                                        failure.compareAndSet(
                                                null, new java.util.concurrent.CancellationException("stopped"));
                                        break;
                                    }
                                    long t0 = System.nanoTime();
                                    int n = m.pollAndAck(w.batch());
                                    if (n > 0) {
                                        long now = System.nanoTime();
                                        latency.recordValue(Math.max(0, (now - t0) / 1000));
                                        if (consumed.addAndGet(n) >= w.records()) {
                                            // the phase ends here, not when the other members' blocked polls return
                                            doneAt.compareAndSet(0, now);
                                        }
                                        progress.add(n);
                                        lastProgress.set(now);
                                    } else if (System.nanoTime() - lastProgress.get() > STALL_NANOS) {
                                        failure.compareAndSet(
                                                null,
                                                new IllegalStateException("consumed only " + consumed.get()
                                                        + " of " + w.records() + " records; nothing new for "
                                                        + TimeUnit.NANOSECONDS.toSeconds(STALL_NANOS) + " s"));
                                    }
                                }
                            } catch (Throwable e) {
                                failure.compareAndSet(null, e);
                            }
                        },
                        "bench-consumer");
                threads.add(t);
                t.start();
            }
            join(threads, progress);
            long end = doneAt.get() != 0 ? doneAt.get() : System.nanoTime();
            long nanos = end - start;
            progress.end();
            rethrow(failure.get());
            return new PhaseResult(consumed.get(), consumed.get() * (long) w.size(), nanos, latency);
        } finally {
            for (Member m : members) {
                try {
                    m.close();
                } catch (RuntimeException ignored) {
                    // best effort: the phase's result or failure is what matters
                }
            }
        }
    }

    private static void join(List<Thread> threads, Progress progress) throws InterruptedException {
        for (Thread t : threads) {
            while (t.isAlive()) {
                t.join(250);
                progress.tick();
            }
        }
    }

    private static void rethrow(Throwable t) throws Exception {
        if (t == null) {
            return;
        }
        if (t instanceof Exception e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }
}
