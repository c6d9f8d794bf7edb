package dev.tributary.kafka.internal;

import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import dev.tributary.spi.AppendWindow;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Appends through the shared producer, on the client's {@link AppendWindow}. Each append (or batch)
 * takes room with {@link AppendWindow#open}, is marked {@linkplain AppendWindow.Append#sent() sent}
 * just before {@code producer.send} takes the record, and completes from the producer's callback.
 *
 * <h2>One bound</h2>
 * The window is the bound of appends in flight: the producer's buffer is sized to hold a full window
 * of records of the largest size ({@link KafkaSettings#producerProps}), so it never blocks a caller
 * on {@code buffer.memory}; and the producer's delivery timeout ends before the window's deadline,
 * so the producer's own answer (which tells a record that never left from one that may have) comes
 * first, and the window's expiry is the backstop.
 *
 * <h2>Outcomes</h2>
 * A send that fails inside {@code producer.send} never reached the accumulator: RETRYABLE (or
 * NOT_FOUND once the topic is found deleted). A delivery timeout is INDETERMINATE only if the
 * producer wrote a request to a socket since the append; with every broker unreachable nothing was
 * written, so nothing was stored: RETRYABLE.
 *
 * <h2>A topic without metadata</h2>
 * {@code producer.send} waits inside the caller for the metadata of a topic it does not know (one it
 * never appended to, or forgot after {@code metadata.max.idle.ms}), up to {@code max.block.ms}. When
 * that wait fails (every broker unreachable), the topic is marked stalled: for {@link #STALL_BACKOFF}
 * every append to it fails RETRYABLE at once, on any thread, then one append at a time probes again
 * while the others keep failing at once. A caller is blocked at most once per backoff, not once per
 * append (kit rule F1); the first append that gets the metadata ends the stall.
 */
final class KafkaAppender {
    private final Producer<byte[], byte[]> producer;
    private final AppendWindow window;
    private final StreamOps streams;
    private final BooleanSupplier clientClosed;
    private final boolean partitioned;
    /** The producer's count of requests written to a socket (null if Kafka stops exporting it). */
    private final Metric requestsSent;
    /** How long after a failed metadata wait no append to the topic probes again: Kafka's retry.backoff.max.ms. */
    static final Duration STALL_BACKOFF = Duration.ofSeconds(1);

    /** Topics whose metadata the producer could not get (a send blocked for max.block.ms). */
    private final Map<String, Stall> stalled = new ConcurrentHashMap<>();

    private final LongSupplier nanoTime;

    KafkaAppender(
            Producer<byte[], byte[]> producer, AppendWindow window, StreamOps streams, BooleanSupplier clientClosed) {
        this(producer, window, streams, clientClosed, System::nanoTime);
    }

    /** With the clock that times the stall backoff (a test's). */
    KafkaAppender(
            Producer<byte[], byte[]> producer,
            AppendWindow window,
            StreamOps streams,
            BooleanSupplier clientClosed,
            LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.producer = producer;
        this.window = window;
        this.streams = streams;
        this.clientClosed = clientClosed;
        this.partitioned = streams.settings().partitioned();
        this.requestsSent = producer.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals("request-total")
                        && e.getKey().group().equals("producer-metrics"))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(null);
    }

    /** Appends one record to an existing topic. */
    AppendWindow.Append<EventId> append(StreamName stream, StreamRecord record) {
        AppendWindow.Append<EventId> a = window.open(1);
        if (a.isDone()) {
            return a;
        }
        send(stream, record, new One(a, stream));
        return a;
    }

    /** Appends a batch in order; its future holds every id, or fails with the first failure. */
    AppendWindow.Append<List<EventId>> appendBatch(StreamName stream, List<StreamRecord> records) {
        AppendWindow.Append<List<EventId>> a = window.open(records.size());
        if (a.isDone()) {
            return a;
        }
        EventId[] ids = new EventId[records.size()];
        AtomicInteger left = new AtomicInteger(ids.length);
        for (int i = 0; i < ids.length && !a.isDone(); i++) {
            send(stream, records.get(i), new InBatch(a, stream, ids, i, left));
        }
        return a;
    }

    /** Forgets what is known of a deleted topic. */
    void forget(String topic) {
        stalled.remove(topic);
    }

    private void send(StreamName stream, StreamRecord record, Sending s) {
        String topic = streams.topic(stream);
        Stall stall = stalled.get(topic);
        if (stall != null && !stall.tryProbe(nanoTime.getAsLong())) {
            s.append.fail(new StreamException(
                    ErrorKind.RETRYABLE,
                    "append to " + stream + " failed: the producer got no metadata for topic " + topic
                            + " within max.block.ms (broker unreachable?); not asking again for " + STALL_BACKOFF
                            + " (transient; retry with backoff)"));
            return;
        }
        s.sentBefore = requestsSent();
        s.caller = Thread.currentThread();
        ProducerRecord<byte[], byte[]> pr = Records.toProducer(topic, partitioned ? null : 0, record);
        s.append.sent();
        try {
            var unused = producer.send(pr, s);
        } catch (RuntimeException e) {
            // send() threw instead of calling back (closed producer, interrupt): nothing was stored
            s.failedInSend = true;
            s.append.fail(clientClosed.getAsBoolean() ? StreamException.closed("Kafka client") : notSent(stream, e));
        } finally {
            s.caller = null;
            if (stall != null) {
                if (!s.failedInSend) {
                    stalled.remove(topic, stall); // send() had the topic's metadata: the stall is over
                }
                stall.release(); // after notSent() set the backoff, so no other append probes at once
            }
        }
    }

    private double requestsSent() {
        if (requestsSent == null) {
            return -1;
        }
        Object v = requestsSent.metricValue();
        return v instanceof Number n ? n.doubleValue() : -1;
    }

    /** The error of an append that failed inside {@code send()}: it never left the client. */
    private StreamException notSent(StreamName stream, Throwable ex) {
        if (clientClosed.getAsBoolean()) {
            return StreamException.closed("Kafka client");
        }
        StreamException se = KafkaErrors.forAppend("append to " + stream, ex, false);
        if (se.kind() == ErrorKind.RETRYABLE && se.getCause() instanceof TimeoutException) {
            String topic = streams.topic(stream);
            long now = nanoTime.getAsLong();
            stalled.computeIfAbsent(topic, t -> new Stall(now)).backOff(now);
            // a metadata timeout: the topic may have been deleted behind this client's back
            try {
                if (streams.admin()
                        .refresh(topic, streams.settings().appendTopicCheck())
                        .isEmpty()) {
                    return new StreamException(
                            ErrorKind.NOT_FOUND,
                            "stream " + stream + " does not exist (topic " + topic + " was deleted)",
                            ex);
                }
            } catch (StreamException ignored) {
                // broker unreachable: keep RETRYABLE
            }
        }
        return se;
    }

    /** A topic whose metadata wait failed: no probe before {@code retryAt}, then one at a time. */
    private static final class Stall {
        private final Semaphore probe = new Semaphore(1);
        private volatile long retryAt;

        Stall(long now) {
            backOff(now);
        }

        /** Whether the caller may probe now (then it must {@link #release}). */
        boolean tryProbe(long now) {
            return now - retryAt >= 0 && probe.tryAcquire();
        }

        /** A metadata wait failed at {@code now}: nobody probes for the backoff. */
        void backOff(long now) {
            retryAt = now + STALL_BACKOFF.toNanos();
        }

        void release() {
            probe.release();
        }
    }

    /** The producer's callback of one record; knows whether it runs inside {@code send()}. */
    private abstract class Sending implements Callback {
        final AppendWindow.Append<?> append;
        final StreamName stream;
        /** Set on the calling thread when {@code send()} failed the append instead of taking it. */
        boolean failedInSend;

        double sentBefore;
        volatile Thread caller;

        Sending(AppendWindow.Append<?> append, StreamName stream) {
            this.append = append;
            this.stream = stream;
        }

        @Override
        public final void onCompletion(RecordMetadata md, Exception ex) {
            if (ex == null) {
                stored(Records.id(md.partition(), md.offset(), partitioned));
            } else if (caller == Thread.currentThread()) {
                // failed inside send(): never reached the accumulator, so nothing was stored
                failedInSend = true;
                append.fail(notSent(stream, ex));
            } else {
                // a delivery timeout is indeterminate only if a request went out since this append
                boolean maybeSent = requestsSent == null || requestsSent() != sentBefore;
                StreamException e = clientClosed.getAsBoolean() && !maybeSent
                        ? StreamException.closed("Kafka client")
                        : KafkaErrors.forAppend("append to " + stream, ex, maybeSent);
                if (KafkaErrors.cause(ex) instanceof TimeoutException) {
                    // the producer's delivery timeout ends an unanswered append before the window's
                    // deadline (so it can tell unsent from maybe-sent): the window must count it as one
                    append.failUnanswered(e);
                } else {
                    append.fail(e);
                }
            }
        }

        abstract void stored(EventId id);
    }

    private final class One extends Sending {
        private final AppendWindow.Append<EventId> result;

        One(AppendWindow.Append<EventId> result, StreamName stream) {
            super(result, stream);
            this.result = result;
        }

        @Override
        void stored(EventId id) {
            result.complete(id);
        }
    }

    private final class InBatch extends Sending {
        private final AppendWindow.Append<List<EventId>> result;
        private final EventId[] ids;
        private final int index;
        private final AtomicInteger left;

        InBatch(
                AppendWindow.Append<List<EventId>> result,
                StreamName stream,
                EventId[] ids,
                int index,
                AtomicInteger left) {
            super(result, stream);
            this.result = result;
            this.ids = ids;
            this.index = index;
            this.left = left;
        }

        @Override
        void stored(EventId id) {
            ids[index] = id;
            if (left.decrementAndGet() == 0) { // the decrement publishes every slot written before it
                result.complete(Arrays.asList(ids));
            }
        }
    }
}
