package dev.tributary.core.internal;

import dev.tributary.ErrorKind;
import dev.tributary.StreamException;
import dev.tributary.core.ProcessorListener;
import dev.tributary.core.ProcessorState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state machine and thread of one processor. Guarantees: at most one loop runs at any time
 * (a new one starts only after the previous one has left its body), start and stop are safe from
 * any threads at once, stop from the loop's own thread only records the request, and a stop with a
 * timeout is bounded: past most of its timeout it wakes the loop (closing its source) and interrupts
 * it.
 *
 * <p>State changes are queued under the state lock and delivered to the listener outside it, in
 * order, by whichever thread gets to drain the queue; a listener may call start or stop.
 */
public final class Lifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);

    /** The loop a processor runs. */
    @FunctionalInterface
    public interface Body {
        /** Runs until {@code run.stopRequested()}; throws for a failure. Closes what it opened. */
        void run(Run run) throws Exception;
    }

    /** One run of the loop: its stop flag and a way to wake it. */
    public static final class Run {
        private volatile boolean stopRequested;
        private volatile boolean forced;
        private volatile Runnable waker;
        private final Set<Thread> helpers = ConcurrentHashMap.newKeySet();
        private volatile Thread thread;

        public boolean stopRequested() {
            return stopRequested;
        }

        /**
         * Registers a helper thread of this run (a lane): stop() called from it behaves as from the
         * loop's own thread (records the request and returns without waiting for the loop).
         */
        public void adopt(Thread helper) {
            helpers.add(helper);
        }

        /** A thread factory whose threads are helpers of this run (see {@link #adopt}). */
        public ThreadFactory adopting(ThreadFactory threads) {
            return r -> {
                Thread t = threads.newThread(r);
                adopt(t);
                return t;
            };
        }

        /** The loop's own thread or one of its helpers. */
        boolean owns(Thread t) {
            return t == thread || helpers.contains(t);
        }

        /** The loop's thread first, then its helpers. */
        List<Thread> threads() {
            List<Thread> all = new ArrayList<>(helpers.size() + 1);
            if (thread != null) {
                all.add(thread);
            }
            all.addAll(helpers);
            return all;
        }

        boolean alive() {
            return threads().stream().anyMatch(Thread::isAlive);
        }

        /** Something that wakes a blocked read of this run (closing the reader); null to clear. */
        public void setWaker(Runnable waker) {
            this.waker = waker;
        }

        void wake() {
            forced = true;
            Runnable w = waker;
            if (w != null) {
                try {
                    w.run();
                } catch (RuntimeException e) {
                    LOG.debug("waking a processor loop failed", e);
                }
            }
        }
    }

    private record Transition(ProcessorState from, ProcessorState to, Throwable cause) {}

    private final String name;
    private final ThreadFactory threadFactory;
    private final ProcessorListener listener;
    private final Duration stopTimeout;
    private final Body body;

    private final Object lock = new Object();
    private ProcessorState state = ProcessorState.NEW;
    private Throwable failure;
    private Run current;
    /** Runs whose threads may still be finishing (telling the listener, a lag check); pruned at each start. */
    private final List<Run> runs = new ArrayList<>();

    private final Queue<Transition> transitions = new ConcurrentLinkedQueue<>();
    private final ReentrantLock drainLock = new ReentrantLock();

    public Lifecycle(
            String name, ThreadFactory threadFactory, ProcessorListener listener, Duration stopTimeout, Body body) {
        this.name = name;
        this.threadFactory = threadFactory;
        this.listener = listener;
        this.stopTimeout = stopTimeout;
        this.body = body;
    }

    public ProcessorState state() {
        synchronized (lock) {
            return state;
        }
    }

    public Optional<Throwable> failure() {
        synchronized (lock) {
            return state == ProcessorState.FAILED ? Optional.ofNullable(failure) : Optional.empty();
        }
    }

    public boolean start() {
        boolean started;
        synchronized (lock) {
            long deadline = System.nanoTime() + stopTimeout.toNanos();
            while (state == ProcessorState.STOPPING) {
                if (current != null && current.owns(Thread.currentThread())) {
                    throw new IllegalStateException(
                            "processor '" + name + "' is stopping; start() from its own thread cannot wait for that");
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("processor '" + name + "' did not finish stopping within "
                            + stopTimeout + "; try start() again later");
                }
                try {
                    lock.wait(Math.max(1, left / 1_000_000L));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(
                            "interrupted while waiting for processor '" + name + "' to finish stopping");
                }
            }
            if (state == ProcessorState.RUNNING) {
                started = false;
            } else {
                Run run = new Run();
                Thread t = threadFactory.newThread(() -> loop(run));
                ProcessorState from = state;
                state = ProcessorState.RUNNING;
                failure = null;
                current = run;
                run.thread = t;
                runs.removeIf(old -> !old.alive());
                runs.add(run);
                transitions.add(new Transition(from, ProcessorState.RUNNING, null));
                started = true;
                try {
                    t.start();
                } catch (RuntimeException | Error e) {
                    // no thread could be made (resource exhaustion): visible as FAILED, not a silent no-op
                    state = ProcessorState.FAILED;
                    failure = e;
                    current = null;
                    transitions.add(new Transition(ProcessorState.RUNNING, ProcessorState.FAILED, e));
                    lock.notifyAll();
                    started = false;
                }
            }
        }
        drain();
        return started;
    }

    public boolean stop(Duration timeout) {
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("stop timeout must be >= 0, got " + timeout);
        }
        Run run;
        List<Run> started;
        synchronized (lock) {
            started = List.copyOf(runs);
            run = state == ProcessorState.NEW || state.isTerminal() ? null : current;
            if (state == ProcessorState.RUNNING) {
                state = ProcessorState.STOPPING;
                run.stopRequested = true;
                transitions.add(new Transition(ProcessorState.RUNNING, ProcessorState.STOPPING, null));
            }
        }
        if (run == null) {
            // ended (or never started): a thread of an ended run may still be telling the listener or
            // finishing a lag check, and true means none is left; joined outside the lock, which they may take
            return joinAll(started, System.nanoTime() + timeout.toNanos());
        }
        drain();
        if (run.owns(Thread.currentThread())) {
            return true;
        }
        Thread t = run.thread;
        long total = timeout.toNanos();
        long deadline = System.nanoTime() + total;
        long grace = Math.min(total / 4, Duration.ofMillis(500).toNanos());
        try {
            join(t, total - grace);
            if (t.isAlive()) {
                LOG.warn(
                        "processor '{}' did not stop within {} ms; closing its source and interrupting it",
                        name,
                        (total - grace) / 1_000_000L);
                run.wake();
                t.interrupt();
                join(t, grace);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !t.isAlive();
        }
        return !t.isAlive() && joinAll(started, deadline);
    }

    /** Joins every thread of these runs but the caller's until the deadline; true when all have ended. */
    private static boolean joinAll(List<Run> runs, long deadline) {
        boolean ended = true;
        for (Run r : runs) {
            for (Thread th : r.threads()) {
                if (th == Thread.currentThread()) {
                    continue;
                }
                try {
                    join(th, deadline - System.nanoTime());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                ended &= !th.isAlive();
            }
        }
        return ended;
    }

    private static void join(Thread t, long nanos) throws InterruptedException {
        if (nanos <= 0) {
            return;
        }
        long ms = nanos / 1_000_000L;
        int ns = (int) (nanos % 1_000_000L);
        t.join(ms, ns);
    }

    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Run> ended;
        synchronized (lock) {
            while (state == ProcessorState.RUNNING || state == ProcessorState.STOPPING) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                lock.wait(Math.max(1, left / 1_000_000L));
            }
            ended = List.copyOf(runs);
        }
        // Let the ended loop's thread finish telling the listener, so callers see a complete story.
        joinAll(ended, deadline);
        return true;
    }

    private void loop(Run run) {
        Throwable error = null;
        try {
            body.run(run);
        } catch (StopSignal s) {
            // a stop arrived during a wait
        } catch (Throwable e) {
            error = e;
        }
        if (error != null && !(run.stopRequested && benign(error, run))) {
            listener.onError(name, error, false); // every failure is heard once, from here
        }
        synchronized (lock) {
            ProcessorState from = state;
            if (error != null && !(run.stopRequested && benign(error, run))) {
                state = ProcessorState.FAILED;
                failure = error;
                LOG.error("processor '{}' failed: {}", name, error.toString(), error);
            } else {
                if (error != null) {
                    LOG.debug("processor '{}' ended with {} while stopping", name, error.toString());
                }
                state = ProcessorState.STOPPED;
                failure = null;
            }
            current = null;
            transitions.add(new Transition(from, state, state == ProcessorState.FAILED ? error : null));
            lock.notifyAll();
        }
        drain();
        Thread.interrupted();
    }

    /** An error that only says the loop was woken or interrupted by a stop. */
    private static boolean benign(Throwable error, Run run) {
        if (error instanceof InterruptedException) {
            return true;
        }
        if (error instanceof StreamException se) {
            return se.kind() == ErrorKind.CLOSED || run.forced;
        }
        return run.forced;
    }

    private void drain() {
        while (!transitions.isEmpty()) {
            if (!drainLock.tryLock()) {
                return; // the thread that holds it re-checks the queue after releasing it
            }
            try {
                Transition tr;
                while ((tr = transitions.poll()) != null) {
                    listener.onStateChange(name, tr.from(), tr.to(), tr.cause());
                }
            } finally {
                drainLock.unlock();
            }
        }
    }
}
