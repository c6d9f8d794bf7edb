package dev.tributary.opentelemetry.internal;

import static dev.tributary.opentelemetry.MessagingConventions.BATCH_MESSAGE_COUNT;
import static dev.tributary.opentelemetry.MessagingConventions.DESTINATION_NAME;
import static dev.tributary.opentelemetry.MessagingConventions.MESSAGE_ID;
import static dev.tributary.opentelemetry.MessagingConventions.OPERATION_NAME;
import static dev.tributary.opentelemetry.MessagingConventions.OPERATION_TYPE;
import static dev.tributary.opentelemetry.MessagingConventions.RECEIVE;
import static dev.tributary.opentelemetry.MessagingConventions.SEND;
import static dev.tributary.opentelemetry.MessagingConventions.SYSTEM;

import dev.tributary.EventId;
import dev.tributary.GroupConsumer;
import dev.tributary.Headers;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamName;
import dev.tributary.StreamReader;
import dev.tributary.StreamRecord;
import dev.tributary.opentelemetry.TributaryTracing;
import dev.tributary.spi.ForwardingGroupConsumer;
import dev.tributary.spi.ForwardingStreamClient;
import dev.tributary.spi.ForwardingStreamReader;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Injects trace context on append (send spans) and records receive spans for polls. Validation
 * errors thrown before I/O pass through unchanged and end the send span as failed. An append
 * inside a trace the sampler dropped starts no send span ({@link TributaryTracing.Builder#spansUnderUnsampledParents}).
 */
public final class TracedStreamClient extends ForwardingStreamClient {
    /** Most streams whose send span name and attributes are kept built. */
    static final int MAX_SHAPES = 1024;

    private final TributaryTracing tracing;
    private final String backend;
    private final ConcurrentHashMap<StreamName, SendShape> shapes = new ConcurrentHashMap<>();

    public TracedStreamClient(StreamClient delegate, TributaryTracing tracing) {
        super(delegate);
        this.tracing = tracing;
        this.backend = delegate.backend();
    }

    /** The name and attributes of a stream's send spans, built once: nothing rebuilt per append. */
    private record SendShape(String name, Attributes attributes) {}

    private SendShape shape(StreamName stream) {
        SendShape s = shapes.get(stream);
        if (s == null) {
            s = new SendShape(
                    SEND + " " + stream.value(),
                    Attributes.of(
                            SYSTEM,
                            backend,
                            DESTINATION_NAME,
                            stream.value(),
                            OPERATION_TYPE,
                            SEND,
                            OPERATION_NAME,
                            SEND));
            if (shapes.size() < MAX_SHAPES) {
                shapes.putIfAbsent(stream, s);
            }
        }
        return s;
    }

    @Override
    public CompletableFuture<EventId> appendAsync(StreamName stream, StreamRecord record) {
        if (stream == null || record == null) {
            return delegate().appendAsync(stream, record); // the backend reports the bad argument
        }
        Context current = Context.current();
        if (tracing.dropped(current)) {
            return delegate().appendAsync(stream, carry(record, current));
        }
        Span span = sendSpan(stream, current, record.headers(), null).startSpan();
        StreamRecord traced = carry(record, current.with(span));
        if (!span.isRecording()) {
            return unrecorded(span, () -> delegate().appendAsync(stream, traced));
        }
        return finish(
                span, () -> delegate().appendAsync(stream, traced), id -> span.setAttribute(MESSAGE_ID, id.toString()));
    }

    @Override
    public CompletableFuture<List<EventId>> appendBatchAsync(StreamName stream, List<StreamRecord> records) {
        if (stream == null
                || records == null
                || records.isEmpty()
                || records.stream().anyMatch(r -> r == null)) {
            return delegate().appendBatchAsync(stream, records);
        }
        Context current = Context.current();
        if (tracing.dropped(current)) {
            return delegate().appendBatchAsync(stream, carry(records, current));
        }
        SpanBuilder sb = sendSpan(stream, current, null, records);
        if (records.size() > 1) {
            sb.setAttribute(BATCH_MESSAGE_COUNT, (long) records.size());
        }
        Span span = sb.startSpan();
        List<StreamRecord> traced = carry(records, current.with(span));
        if (!span.isRecording()) {
            return unrecorded(span, () -> delegate().appendBatchAsync(stream, traced));
        }
        return finish(span, () -> delegate().appendBatchAsync(stream, traced), ids -> {
            if (ids.size() == 1) {
                span.setAttribute(MESSAGE_ID, ids.get(0).toString());
            }
        });
    }

    /**
     * A send span for one record's headers, or for a batch of records: the stream's prebuilt name and
     * attributes, and a link to each record's own trace context where the application set one.
     */
    private SpanBuilder sendSpan(StreamName stream, Context parent, Headers one, List<StreamRecord> records) {
        SendShape shape = shape(stream);
        SpanBuilder sb = tracing.tracer()
                .spanBuilder(shape.name())
                .setSpanKind(SpanKind.PRODUCER)
                .setAllAttributes(shape.attributes())
                .setParent(parent);
        // attributes go in before the start, not after the sampling decision: the messaging
        // conventions name them as what a sampler may decide on
        if (one != null) {
            linkOwn(sb, one);
        } else {
            for (StreamRecord r : records) {
                linkOwn(sb, r.headers());
            }
        }
        return sb;
    }

    private void linkOwn(SpanBuilder sb, Headers headers) {
        if (headers.first("traceparent").isPresent()) {
            var sc = Span.fromContext(tracing.extract(headers)).getSpanContext();
            if (sc.isValid()) {
                sb.addLink(sc); // the application's own context: kept on the record, linked here
            }
        }
    }

    /**
     * The append of a span the sampler dropped: its context was still injected (the W3C
     * {@code traceparent} then says "not sampled", so downstream follows the decision), but there is
     * nothing to record, so the backend's future is handed back as it is, without a second future
     * and a callback per append.
     */
    private static <R> CompletableFuture<R> unrecorded(Span span, Supplier<CompletableFuture<R>> call) {
        try {
            return call.get();
        } finally {
            span.end();
        }
    }

    /**
     * The record as it goes to the backend: with {@code ctx}'s trace headers, unless its trace was
     * dropped by the sampler and dropped traces are not propagated
     * ({@link TributaryTracing.Builder#propagateDroppedTraces}).
     */
    private StreamRecord carry(StreamRecord record, Context ctx) {
        if (!tracing.propagatesDroppedTraces()
                && !Span.fromContext(ctx).getSpanContext().isSampled()) {
            return record;
        }
        return withContext(record, ctx);
    }

    /** {@link #carry(StreamRecord, Context)} for each record of a batch. */
    private List<StreamRecord> carry(List<StreamRecord> records, Context ctx) {
        List<StreamRecord> out = new ArrayList<>(records.size());
        for (StreamRecord r : records) {
            out.add(carry(r, ctx));
        }
        return out;
    }

    /** The record with trace headers added, unless they would not fit the backend's header limit. */
    @SuppressWarnings("ReferenceEquality") // inject returns the very same Headers when it added nothing
    private StreamRecord withContext(StreamRecord record, Context ctx) {
        Headers h = tracing.inject(ctx, record.headers());
        if (h == record.headers()) {
            return record;
        }
        int keyBytes = record.key() == null ? 0 : record.key().length;
        if (h.byteSize() + keyBytes > limits().maxHeaderBytes()) {
            return record;
        }
        return record.withHeaders(h);
    }

    private <R> CompletableFuture<R> finish(
            Span span, Supplier<CompletableFuture<R>> call, java.util.function.Consumer<R> onSuccess) {
        CompletableFuture<R> f;
        try {
            f = call.get();
        } catch (RuntimeException e) {
            TributaryTracing.fail(span, e);
            span.end();
            throw e;
        }
        CompletableFuture<R> out = new CompletableFuture<>();
        var unused = f.whenComplete((value, error) -> {
            if (error == null) {
                onSuccess.accept(value);
                span.end();
                out.complete(value);
            } else {
                Throwable cause =
                        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                TributaryTracing.fail(span, cause);
                span.end();
                out.completeExceptionally(cause);
            }
        });
        return out;
    }

    @Override
    public StreamReader openReader(StreamName stream, Position from) {
        return new Reader(delegate().openReader(stream, from));
    }

    @Override
    public GroupConsumer openGroupConsumer(StreamName stream, String group, String member) {
        return new Consumer(delegate().openGroupConsumer(stream, group, member));
    }

    /**
     * Polls and records a {@code receive <stream>} span (kind CLIENT) when events came back; an
     * empty poll records nothing. The span starts when the poll started and links every event's
     * context. Parent: the current context when it holds a span; else, for a poll of exactly one
     * event, that event's context (the trace continues); else none.
     */
    private List<StreamEvent> receive(StreamName stream, String group, Supplier<List<StreamEvent>> poll) {
        Instant start = Instant.now();
        List<StreamEvent> events = poll.get();
        if (events.isEmpty()) {
            return events;
        }
        Context parent = Context.current();
        if (!Span.fromContext(parent).getSpanContext().isValid() && events.size() == 1) {
            Context producer = tracing.extract(events.get(0));
            if (Span.fromContext(producer).getSpanContext().isValid()) {
                parent = producer;
            }
        }
        SpanBuilder sb = tracing.spanBuilder(RECEIVE, backend(), stream.value(), group, SpanKind.CLIENT)
                .setParent(parent)
                .setStartTimestamp(start);
        if (events.size() == 1) {
            sb.setAttribute(MESSAGE_ID, events.get(0).id().toString());
        } else {
            sb.setAttribute(BATCH_MESSAGE_COUNT, (long) events.size());
        }
        Span span = sb.startSpan();
        if (span.isRecording()) {
            // links are added after the sampling decision: extracting every event's context costs
            // about as much as the poll itself, and an unsampled span would throw them away
            for (StreamEvent e : events) {
                var sc = Span.fromContext(tracing.extract(e)).getSpanContext();
                if (sc.isValid()) {
                    span.addLink(sc);
                }
            }
        }
        span.end();
        return events;
    }

    private final class Reader extends ForwardingStreamReader {
        Reader(StreamReader delegate) {
            super(delegate);
        }

        @Override
        public List<StreamEvent> poll(int maxCount, Duration wait) {
            return receive(stream(), null, () -> delegate().poll(maxCount, wait));
        }
    }

    private final class Consumer extends ForwardingGroupConsumer {
        Consumer(GroupConsumer delegate) {
            super(delegate);
        }

        @Override
        public List<StreamEvent> poll(int maxCount, Duration wait) {
            return receive(stream(), group(), () -> delegate().poll(maxCount, wait));
        }
    }
}
