package dev.tributary.spi;

import dev.tributary.ErrorKind;
import dev.tributary.StreamException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bounded window of appends in flight of one client, with one deadline queue: the one
 * implementation of the {@link dev.tributary.StreamClient#appendAsync} window contract that every
 * backend shares.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Bound.</b> At most {@code capacity} records are in flight. {@link #open(int)} takes room
 *       for a record (or a batch); when the window is full it waits up to the request timeout and
 *       then returns an append already failed with {@link ErrorKind#BACKPRESSURE}. It also fails
 *       {@code BACKPRESSURE} when the room it waited for was freed by appends that expired unanswered:
 *       a broker that does not answer is not given more appends to leave in doubt. A full window
 *       is never thrown at the caller: like every other I/O outcome it arrives through the future.</li>
 *   <li><b>Deadline.</b> Each append must be answered within the request timeout of its
 *       {@link #open}. One sweeper expires late appends in open order, instead of a timer per
 *       append: {@link ErrorKind#INDETERMINATE} once {@link Append#sent()} was called (the broker
 *       may have stored it), {@link ErrorKind#RETRYABLE} otherwise (it never left the client).</li>
 *   <li><b>Close.</b> {@link #close(Duration)} refuses new appends, gives pending ones the grace
 *       period to be answered, then settles the rest: {@link ErrorKind#INDETERMINATE} if sent,
 *       {@link ErrorKind#CLOSED} only if never sent — so a caller told {@code CLOSED} may safely
 *       write the record again.</li>
 *   <li><b>Room back exactly once.</b> An append gives its room back when its future completes in
 *       any way (reply, failure, expiry, settlement, or the caller's own {@code cancel}).</li>
 * </ul>
 *
 * <p>A backend calls {@link Append#sent()} just before the append may leave the process (handed to
 * the socket or the native client), then {@link Append#complete} or {@link Append#fail} when the
 * broker answers. Late answers after expiry or settlement are ignored. Thread-safe.
 */
public final class AppendWindow {
    private final String owner;
    private final int capacity;
    private final long timeoutNanos;
    private final Duration timeout;
    private final Semaphore room;
    private final Runnable beforeWait;
    private final ConcurrentLinkedQueue<Append<?>> queue = new ConcurrentLinkedQueue<>();
    /** How many appends expired unanswered so far: a waiter that sees it move gives up. */
    private final AtomicLong expiries = new AtomicLong();

    private final ScheduledExecutorService ownScheduler;
    private final ScheduledFuture<?> sweeper;
    private volatile boolean closed;

    /**
     * A window with a sweeper thread of its own (one daemon thread per window).
     *
     * @param owner      the client, as named in messages (no secrets)
     * @param capacity   records in flight at most ({@code maxInFlightAppends}), at least 1
     * @param timeout    the request timeout: the longest wait for room and for an answer
     * @param beforeWait run once before the caller blocks on a full window (for example to flush
     *                   appends the caller wrote but has not flushed, which would otherwise never
     *                   leave); may be {@code null}
     */
    public AppendWindow(String owner, int capacity, Duration timeout, Runnable beforeWait) {
        this(owner, capacity, timeout, beforeWait, null);
    }

    /** As {@link #AppendWindow(String, int, Duration, Runnable)}, sweeping on {@code scheduler} (not shut down here). */
    public AppendWindow(
            String owner, int capacity, Duration timeout, Runnable beforeWait, ScheduledExecutorService scheduler) {
        if (capacity < 1) {
            throw StreamException.invalid("the append window holds at least 1 record, got " + capacity);
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw StreamException.invalid("the append timeout must be positive, got " + timeout);
        }
        this.owner = owner;
        this.capacity = capacity;
        this.timeout = timeout;
        this.timeoutNanos = timeout.toNanos();
        this.room = new Semaphore(capacity);
        this.beforeWait = beforeWait;
        this.ownScheduler = scheduler == null
                ? Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "tributary-append-deadlines");
                    t.setDaemon(true);
                    return t;
                })
                : null;
        ScheduledExecutorService s = scheduler == null ? ownScheduler : scheduler;
        long period = Math.max(
                TimeUnit.MILLISECONDS.toNanos(1), Math.min(TimeUnit.MILLISECONDS.toNanos(100), timeoutNanos / 10));
        this.sweeper = s.scheduleAtFixedRate(this::sweep, period, period, TimeUnit.NANOSECONDS);
    }

    /** Records in flight at most. */
    public int capacity() {
        return capacity;
    }

    /** Records in flight now. */
    public int inFlight() {
        return capacity - room.availablePermits();
    }

    /**
     * Takes room for {@code records} records (a batch larger than the window takes the whole window)
     * and starts the append's deadline. Returns an append already failed with
     * {@link ErrorKind#BACKPRESSURE} when no room came free within the request timeout,
     * {@link ErrorKind#CLOSED} after {@link #close}, or {@link ErrorKind#RETRYABLE} when the waiting
     * thread was interrupted (its interrupt flag stays set); check {@link Append#isDone()} before
     * sending.
     */
    public <T> Append<T> open(int records) {
        int n = Math.max(1, Math.min(records, capacity));
        if (closed) {
            return Append.failed(StreamException.closed(owner));
        }
        if (!room.tryAcquire(n)) {
            long expiredBefore = expiries.get();
            if (beforeWait != null) {
                beforeWait.run();
            }
            try {
                if (!room.tryAcquire(n, timeoutNanos, TimeUnit.NANOSECONDS)) {
                    return Append.failed(
                            new StreamException(
                                    ErrorKind.BACKPRESSURE,
                                    "the window of " + capacity
                                            + " appends in flight of " + owner + " stayed full for " + timeout
                                            + "; the broker is slower than the appends (raise maxInFlightAppends or slow down)"));
                }
                if (expiries.get() != expiredBefore) {
                    room.release(n);
                    return Append.failed(new StreamException(
                            ErrorKind.BACKPRESSURE,
                            "the window of " + capacity
                                    + " appends in flight of " + owner
                                    + " was full and appends in it expired unanswered"
                                    + " after " + timeout
                                    + "; this append was not sent (the broker is not answering)"));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Append.failed(new StreamException(
                        ErrorKind.RETRYABLE, "interrupted while waiting for room in the append window of " + owner, e));
            }
        }
        Append<T> a = new Append<>(this, n, System.nanoTime() + timeoutNanos);
        if (closed) { // close() ran while we waited: it must not miss this append
            a.settle();
            return a;
        }
        queue.offer(a);
        return a;
    }

    /** Expires late appends from the head of the queue and drops answered ones. */
    void sweep() {
        long now = System.nanoTime();
        Append<?> a;
        while ((a = queue.peek()) != null) {
            if (!a.isDone()) {
                if (now - a.deadline < 0) {
                    return;
                }
                expiries.incrementAndGet(); // before the room goes back, so a waiter that gets it sees why
                a.expire(timeout);
            }
            queue.remove(a);
        }
    }

    /**
     * Refuses new appends, waits up to {@code grace} for pending ones to be answered, then settles
     * the rest ({@code INDETERMINATE} if sent, {@code CLOSED} if not) and stops the sweeper.
     * Idempotent; returns how many appends it had to settle.
     */
    public int close(Duration grace) {
        closed = true;
        long end = System.nanoTime() + Math.max(0, grace.toNanos());
        while (inFlight() > 0 && System.nanoTime() - end < 0) {
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int settled = 0;
        Append<?> a;
        while ((a = queue.poll()) != null) {
            if (a.settle()) {
                settled++;
            }
        }
        sweeper.cancel(false);
        if (ownScheduler != null) {
            ownScheduler.shutdownNow();
        }
        return settled;
    }

    private void release(int n) {
        if (n > 0) {
            room.release(n);
        }
        // answers come back nearly in open order: drop answered appends from the head now, so the
        // deadline queue holds about what is really in flight rather than a sweep period's worth
        Append<?> head;
        while ((head = queue.peek()) != null && head.isDone()) {
            queue.remove(head);
        }
    }

    /**
     * The future of one append (or batch). It holds the append's room in the window, given back
     * exactly once when the future completes in any way.
     */
    public static final class Append<T> extends CompletableFuture<T> {
        private static final AtomicIntegerFieldUpdater<Append> RELEASED =
                AtomicIntegerFieldUpdater.newUpdater(Append.class, "released");
        private final AppendWindow window;
        private final int records;
        private final long deadline;
        private volatile boolean sent;
        // Read and written only through the RELEASED field updater, which Error Prone does not see.
        @SuppressWarnings("UnusedVariable")
        private volatile int released;

        private Append(AppendWindow window, int records, long deadline) {
            this.window = window;
            this.records = records;
            this.deadline = deadline;
        }

        private static <T> Append<T> failed(StreamException e) {
            Append<T> a = new Append<>(null, 0, 0);
            a.completeExceptionally(e);
            return a;
        }

        /** Marks that the append may now reach the broker; from here on its outcome can be unknown. */
        public void sent() {
            sent = true;
        }

        /** Whether {@link #sent()} was called. */
        public boolean isSent() {
            return sent;
        }

        /**
         * Nanoseconds left before the window's deadline settles this append (negative once passed): a
         * backend that sends again after a definite refusal (say, a leader election) uses it to stop in
         * time to give the caller that definite answer instead of an expiry.
         */
        public long remainingNanos() {
            return deadline - System.nanoTime();
        }

        /** Fails the append with {@code e} unless it is already complete. */
        public boolean fail(Throwable e) {
            return completeExceptionally(e);
        }

        /**
         * Fails the append because the broker (or the native client on its behalf, e.g. a delivery
         * timeout) gave up waiting for an answer. Counts as an expiry of the window: a caller waiting
         * for room that this frees answers {@code BACKPRESSURE} instead of sending into a broker that
         * does not answer.
         */
        public boolean failUnanswered(Throwable e) {
            if (window != null && !isDone()) {
                window.expiries.incrementAndGet(); // before the room goes back, so a waiter that gets it sees why
            }
            return completeExceptionally(e);
        }

        @Override
        public boolean complete(T value) {
            boolean done = super.complete(value);
            giveBack();
            return done;
        }

        @Override
        public boolean completeExceptionally(Throwable ex) {
            boolean done = super.completeExceptionally(ex);
            giveBack();
            return done;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean done = super.cancel(mayInterruptIfRunning);
            giveBack();
            return done;
        }

        private void giveBack() {
            if (window != null && RELEASED.compareAndSet(this, 0, 1)) {
                window.release(records);
            }
        }

        private boolean expire(Duration timeout) {
            if (sent) {
                return fail(new StreamException(
                        ErrorKind.INDETERMINATE,
                        "no answer from the broker within " + timeout + " for an append of " + window.owner
                                + "; it may or may not be stored"));
            }
            return fail(new StreamException(
                    ErrorKind.RETRYABLE,
                    "an append of " + window.owner + " could not be" + " sent within " + timeout
                            + "; it was not stored"));
        }

        private boolean settle() {
            if (sent) {
                return fail(new StreamException(
                        ErrorKind.INDETERMINATE,
                        window.owner + " closed before the broker"
                                + " confirmed an append; it may or may not be stored"));
            }
            return fail(new StreamException(
                    ErrorKind.CLOSED, window.owner + " closed before an append was sent;" + " it was not stored"));
        }
    }
}
