package dev.tributary.core.internal;

import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.StreamClient;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import dev.tributary.core.Backoff;
import dev.tributary.core.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;

/**
 * The sending half of a {@link dev.tributary.core.Publisher}: appends each accepted record, retries
 * it by kind until its delivery deadline (or an attempt cap), and keeps the order chosen by
 * {@link SendOrder}.
 *
 * <ul>
 *   <li>A record's deadline is fixed when it is accepted ({@code deliveryTimeout} later, on the
 *       injected clock) and covers waiting behind earlier events, attempts and backoff.</li>
 *   <li>After a failed attempt it is retried when the kind allows it ({@code RETRYABLE},
 *       {@code BACKPRESSURE}; {@code INDETERMINATE} only with idempotent append, with the same
 *       idempotency id), the attempt cap is not reached and the deadline has not passed; the wait
 *       is the backoff's jittered delay, shortened so that the last attempt starts by the deadline.
 *       Otherwise it completes with the last error.</li>
 *   <li>A record whose deadline passed while it waited behind earlier events of its key is not sent:
 *       it completes with {@code RETRYABLE} (nothing was stored).</li>
 *   <li>The next record of a key is sent from the executor, never from the thread that completed the
 *       previous append (often the client's I/O thread, which must not block in a full window). The
 *       records released while a send task is pending join it: at most one task is queued at a
 *       time, so a burst of answers (a broker answers a whole batch at once) costs one task and one
 *       wake-up, not one per record.</li>
 * </ul>
 */
public final class Deliveries {

    /** What the deliveries work with, validated by the publisher's builder. {@code maxAttempts} 0: no cap. */
    public record Config(
            StreamClient client,
            StreamName stream,
            boolean ordered,
            boolean idempotent,
            Backoff backoff,
            int maxAttempts,
            Duration deliveryTimeout,
            Clock clock,
            Sleeper sleeper,
            RandomGenerator random,
            Executor executor) {}

    /** One accepted record and its progress. */
    private static final class Delivery {
        final StreamRecord record;
        final byte[] key;
        final CompletableFuture<EventId> result;
        final Instant deadline;
        int attempts;
        /**
         * Whether its first attempt may come after a wait behind earlier events or sends (then its deadline
         * may have passed): true unless {@link #submit} sends it at once, outside a running send loop.
         */
        boolean mayHaveWaited = true;

        StreamException predecessorError;

        Delivery(StreamRecord record, CompletableFuture<EventId> result, Instant deadline) {
            this.record = record;
            this.key = record.key();
            this.result = result;
            this.deadline = deadline;
        }
    }

    private final Config c;
    private final Runnable onResolved;
    private final SendOrder<Delivery> order;
    /**
     * This thread's {@link #sendAll} loop: sends queued while it runs are made by it, with no recursion
     * per event. Kept per thread (not made and dropped per call: a publish is one call).
     */
    private static final class SendLoop {
        final ArrayDeque<Delivery> queue = new ArrayDeque<>();
        boolean running;
    }

    // Per instance on purpose: each Deliveries has its own sendAll loop, so its queue may not be shared.
    @SuppressWarnings("ThreadLocalUsage")
    private final ThreadLocal<SendLoop> sending = ThreadLocal.withInitial(SendLoop::new);
    /** Records released by an answer, waiting for the send task; bounded by the publisher's maxInFlight. */
    private final ConcurrentLinkedQueue<Delivery> released = new ConcurrentLinkedQueue<>();
    /** Whether a send task is queued or running: then {@link #released} is drained by it. */
    private final AtomicBoolean sendTask = new AtomicBoolean();

    /** {@code onResolved} runs once per record when it has its final outcome, before its future completes. */
    public Deliveries(Config config, Runnable onResolved) {
        this.c = config;
        this.onResolved = onResolved;
        this.order = new SendOrder<>(config.ordered(), d -> d.key);
    }

    /** Accepts a record; {@code result} completes with its id or its final error. */
    public void submit(StreamRecord record, CompletableFuture<EventId> result) {
        Delivery d = new Delivery(record, result, c.clock().instant().plus(c.deliveryTimeout()));
        List<Delivery> ready = order.admit(d);
        if (ready.isEmpty()) {
            return;
        }
        SendLoop loop = sending.get();
        if (!loop.running) {
            // sent now, by this thread, before anything else: its deadline, just fixed, has not passed (inside a
            // running loop it waits behind that loop's sends, which may block, so it is checked as before)
            d.mayHaveWaited = false;
        }
        sendAll(loop, ready);
    }

    private void sendAll(List<Delivery> ready) {
        if (!ready.isEmpty()) {
            sendAll(sending.get(), ready);
        }
    }

    private void sendAll(SendLoop loop, List<Delivery> ready) {
        loop.queue.addAll(ready);
        if (loop.running) {
            return;
        }
        loop.running = true;
        try {
            Delivery d;
            while ((d = loop.queue.poll()) != null) {
                send(d);
            }
        } finally {
            loop.running = false;
            loop.queue.clear();
        }
    }

    private void send(Delivery d) {
        if (d.attempts == 0 && d.mayHaveWaited && !c.clock().instant().isBefore(d.deadline)) {
            String why = "not sent to '" + c.stream() + "': its delivery deadline ("
                    + c.deliveryTimeout().toMillis() + " ms) passed while it waited behind earlier events of its key";
            finish(d, null, new StreamException(ErrorKind.RETRYABLE, why, d.predecessorError));
            return;
        }
        d.attempts++;
        CompletableFuture<EventId> f;
        try {
            f = c.client().appendAsync(c.stream(), d.record);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        var unused = f.whenComplete((id, err) -> {
            if (err == null) {
                finish(d, id, null);
            } else {
                failed(d, StreamException.unwrap(err));
            }
        });
    }

    private void failed(Delivery d, StreamException error) {
        Duration left = Duration.between(c.clock().instant(), d.deadline);
        boolean capped = c.maxAttempts() > 0 && d.attempts >= c.maxAttempts();
        if (!shouldRetry(error.kind()) || capped || left.isNegative() || left.isZero()) {
            finish(d, null, error);
            return;
        }
        Duration delay = c.backoff().delay(d.attempts, c.random());
        if (delay.compareTo(left) > 0) {
            delay = left;
        }
        var unused = c.sleeper().delay(delay, c.executor()).whenComplete((v, e) -> sendAll(List.of(d)));
    }

    private boolean shouldRetry(ErrorKind kind) {
        if (kind == ErrorKind.INDETERMINATE) {
            return c.idempotent();
        }
        return kind.isRetryable();
    }

    /** Final outcome: frees the key for the next record, then completes the caller's future. */
    private void finish(Delivery d, EventId id, StreamException error) {
        List<Delivery> next = order.resolved(d);
        if (error != null) {
            for (Delivery n : next) {
                n.predecessorError = error;
            }
        }
        onResolved.run();
        if (error == null) {
            d.result.complete(id);
        } else {
            d.result.completeExceptionally(error);
        }
        if (!next.isEmpty()) {
            released.addAll(next);
            if (sendTask.compareAndSet(false, true)) {
                try {
                    c.executor().execute(this::sendReleased);
                } catch (RuntimeException rejected) {
                    sendReleased(); // a rejecting executor must not strand the key's lane
                }
            }
        }
    }

    /** The send task: sends what answers released, until none is left. */
    private void sendReleased() {
        do {
            List<Delivery> batch = new ArrayList<>();
            Delivery d;
            while ((d = released.poll()) != null) {
                batch.add(d);
            }
            try {
                sendAll(batch);
            } finally {
                sendTask.set(false);
            }
            // a record released after the poll above and before the reset found the task running
        } while (!released.isEmpty() && sendTask.compareAndSet(false, true));
    }
}
