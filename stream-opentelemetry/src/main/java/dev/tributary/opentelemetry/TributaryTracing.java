package dev.tributary.opentelemetry;

import static dev.tributary.opentelemetry.MessagingConventions.BATCH_MESSAGE_COUNT;
import static dev.tributary.opentelemetry.MessagingConventions.CONSUMER_GROUP_NAME;
import static dev.tributary.opentelemetry.MessagingConventions.DESTINATION_NAME;
import static dev.tributary.opentelemetry.MessagingConventions.ERROR_TYPE;
import static dev.tributary.opentelemetry.MessagingConventions.MESSAGE_ID;
import static dev.tributary.opentelemetry.MessagingConventions.OPERATION_NAME;
import static dev.tributary.opentelemetry.MessagingConventions.OPERATION_TYPE;
import static dev.tributary.opentelemetry.MessagingConventions.PROCESS;
import static dev.tributary.opentelemetry.MessagingConventions.SYSTEM;

import dev.tributary.Headers;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.core.BatchHandler;
import dev.tributary.core.GroupProcessor;
import dev.tributary.core.Handler;
import dev.tributary.core.Message;
import dev.tributary.opentelemetry.internal.HeaderCarrier;
import dev.tributary.opentelemetry.internal.TracedStreamClient;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.List;
import java.util.Objects;

/**
 * OpenTelemetry tracing for Tributary: W3C trace context ({@code traceparent}, {@code tracestate},
 * {@code baggage} where set) travels in record headers, so it works on every backend, and spans are
 * named and attributed by the messaging semantic conventions ({@link MessagingConventions}).
 *
 * <pre>{@code
 * TributaryTracing tracing = TributaryTracing.create(openTelemetry);
 * StreamClient client = tracing.instrument(StreamClients.open("kafka://broker:9092"));
 * client.append(orders, record);                 // span "send orders"; headers carry its context
 * GroupProcessor.builder(client, orders, "billing", codec)
 *         .handler(tracing.handler(client, m -> bill(m.value())))   // span "process orders", child of "send orders"
 *         .build();
 * }</pre>
 *
 * <h2>Headers the application already set</h2>
 * Existing headers are always kept, in their order; trace headers are appended after them. A record
 * that already carries {@code traceparent} is sent with its trace headers unchanged: the application
 * set them on purpose (for example to forward an upstream context), so nothing is added or replaced,
 * and the send span links to that context instead. Otherwise only the fields the record does not
 * have are added (never a second value for a key). If adding them would exceed the backend's
 * {@code maxHeaderBytes}, the record is sent without them rather than failing {@code TOO_LARGE}.
 *
 * <p>The propagator is the {@link OpenTelemetry} instance's text-map propagator (configure W3C trace
 * context and baggage there) unless {@link Builder#propagator} sets another. Thread-safe.
 */
public final class TributaryTracing {
    /** The instrumentation scope name of every span. */
    public static final String INSTRUMENTATION_NAME = "dev.tributary";

    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final boolean spansUnderUnsampledParents;
    private final boolean propagateDroppedTraces;

    private TributaryTracing(Builder b) {
        this.tracer = b.openTelemetry.getTracer(INSTRUMENTATION_NAME);
        this.spansUnderUnsampledParents = b.spansUnderUnsampledParents;
        this.propagateDroppedTraces = b.propagateDroppedTraces;
        this.propagator = b.propagator != null
                ? b.propagator
                : b.openTelemetry.getPropagators().getTextMapPropagator();
    }

    /** Tracing with the tracer and propagators of {@code openTelemetry}. */
    public static TributaryTracing create(OpenTelemetry openTelemetry) {
        return builder(openTelemetry).build();
    }

    /**
     * A builder of tracing with the application's OpenTelemetry.
     *
     * @param openTelemetry the tracer provider and propagators to use
     * @return the builder
     */
    public static Builder builder(OpenTelemetry openTelemetry) {
        return new Builder(openTelemetry);
    }

    /**
     * A client that injects trace context into every appended record and records send spans, and
     * whose readers and group consumers record receive spans. Closing it closes {@code client}.
     */
    public StreamClient instrument(StreamClient client) {
        return new TracedStreamClient(Objects.requireNonNull(client, "client"), this);
    }

    /** The tracer spans are recorded with. */
    public Tracer tracer() {
        return tracer;
    }

    /**
     * Whether {@code parent} holds a span of a trace the sampler dropped (valid, not sampled) and
     * spans under such parents are skipped ({@link Builder#spansUnderUnsampledParents}): the work then
     * runs in {@code parent} as it is, and its context travels on with the sampled flag off.
     */
    public boolean dropped(Context parent) {
        if (spansUnderUnsampledParents) {
            return false;
        }
        SpanContext sc = Span.fromContext(parent).getSpanContext();
        return sc.isValid() && !sc.isSampled();
    }

    /** Whether records of traces the sampler dropped carry their context ({@link Builder#propagateDroppedTraces}). */
    public boolean propagatesDroppedTraces() {
        return propagateDroppedTraces;
    }

    /** The context carried by {@code headers} (on top of {@link Context#root()}); root when there is none. */
    public Context extract(Headers headers) {
        return propagator.extract(Context.root(), headers, HeaderCarrier.INSTANCE);
    }

    /** The producer's context carried by {@code event}'s headers. */
    public Context extract(StreamEvent event) {
        return extract(event.headers());
    }

    /**
     * {@code headers} plus the fields of {@code context}, by the rules in the class comment: kept as
     * they are when they already carry {@code traceparent}; otherwise only missing fields are added,
     * after the existing headers. Does not check the backend's size limits.
     */
    public Headers inject(Context context, Headers headers) {
        if (headers.first("traceparent").isPresent()) {
            return headers;
        }
        HeaderSink sink = new HeaderSink(headers);
        propagator.inject(context, sink, HeaderSink.SETTER);
        return sink.headers;
    }

    /**
     * Collects what a propagator injects straight into headers, one {@link Headers#with} per field
     * (no intermediate map, no builder copying the list): fields already present are skipped, so a
     * key never gets a second value. Unchanged headers stay the very same instance.
     */
    private static final class HeaderSink {
        static final TextMapSetter<HeaderSink> SETTER = (carrier, key, value) -> {
            if (carrier != null
                    && key != null
                    && value != null
                    && carrier.headers.first(key).isEmpty()) {
                carrier.headers = carrier.headers.with(key, value);
            }
        };

        Headers headers;

        HeaderSink(Headers headers) {
            this.headers = headers;
        }
    }

    /**
     * Starts a {@code process <stream>} span (kind CONSUMER) for one event: a child of the event's
     * producer context when it carries one, else of the current context. The caller ends it (and
     * makes it current if the work should see it). {@code group} may be null.
     */
    public Span startProcessSpan(String backend, StreamEvent event, String group) {
        return startProcessSpan(backend, event, group, processParent(event));
    }

    /** The parent of an event's process span: its producer's context, else the current one. */
    private Context processParent(StreamEvent event) {
        Context parent = extract(event);
        return Span.fromContext(parent).getSpanContext().isValid() ? parent : Context.current();
    }

    private Span startProcessSpan(String backend, StreamEvent event, String group, Context parent) {
        SpanBuilder sb = spanBuilder(PROCESS, backend, event.stream().value(), group, SpanKind.CONSUMER)
                .setParent(parent)
                .setAttribute(MESSAGE_ID, event.id().toString());
        return sb.startSpan();
    }

    /**
     * Wraps a per-event handler: each call runs inside a {@code process <stream>} span that
     * continues the producer's trace ({@link #startProcessSpan}); a throw is recorded on the span
     * (status ERROR) and rethrown. Each retry is a span of its own. When the producer's trace was
     * not sampled, the call runs in the producer's context without a span of its own
     * ({@link Builder#spansUnderUnsampledParents}).
     */
    @SuppressWarnings("try") // the try closes the span's Scope; the body need not name it
    public <T> Handler<T> handler(StreamClient client, Handler<T> handler) {
        Objects.requireNonNull(handler, "handler");
        String backend = client.backend();
        return m -> {
            Context parent = processParent(m.event());
            if (dropped(parent)) {
                try (Scope ignored = parent.makeCurrent()) {
                    handler.handle(m); // appends made here carry the trace on, marked not sampled
                }
                return;
            }
            Span span = startProcessSpan(backend, m.event(), groupOf(m), parent);
            try (Scope ignored = span.makeCurrent()) {
                handler.handle(m);
            } catch (Exception | Error e) {
                fail(span, e);
                throw e;
            } finally {
                span.end();
            }
        };
    }

    /**
     * Wraps a batch handler: each call runs inside one {@code process <stream>} span, a child of the
     * current context, with a link to every event's producer context and
     * {@code messaging.batch.message_count}.
     */
    @SuppressWarnings("try") // the try closes the span's Scope; the body need not name it
    public <T> BatchHandler<T> batchHandler(StreamClient client, BatchHandler<T> handler) {
        Objects.requireNonNull(handler, "handler");
        String backend = client.backend();
        return batch -> {
            if (batch.isEmpty()) {
                handler.handle(batch);
                return;
            }
            Message<T> first = batch.get(0);
            SpanBuilder sb = spanBuilder(
                            PROCESS, backend, first.event().stream().value(), groupOf(first), SpanKind.CONSUMER)
                    .setParent(Context.current());
            link(sb, batch.stream().map(Message::event).toList());
            if (batch.size() > 1) {
                sb.setAttribute(BATCH_MESSAGE_COUNT, (long) batch.size());
            } else {
                sb.setAttribute(MESSAGE_ID, first.id().toString());
            }
            Span span = sb.startSpan();
            try (Scope ignored = span.makeCurrent()) {
                handler.handle(batch);
            } catch (Exception | Error e) {
                fail(span, e);
                throw e;
            } finally {
                span.end();
            }
        };
    }

    private static String groupOf(Message<?> m) {
        return m.processor() instanceof GroupProcessor<?> gp ? gp.group() : null;
    }

    /** A span builder with the attributes every span of this module has. */
    public SpanBuilder spanBuilder(String operation, String backend, String stream, String group, SpanKind kind) {
        SpanBuilder sb = tracer.spanBuilder(operation + " " + stream)
                .setSpanKind(kind)
                .setAttribute(SYSTEM, backend)
                .setAttribute(DESTINATION_NAME, stream)
                .setAttribute(OPERATION_TYPE, operation)
                .setAttribute(OPERATION_NAME, operation);
        if (group != null) {
            sb.setAttribute(CONSUMER_GROUP_NAME, group);
        }
        return sb;
    }

    /** Adds a link to the producer context of each event that carries one. */
    public void link(SpanBuilder sb, List<StreamEvent> events) {
        for (StreamEvent e : events) {
            SpanContext sc = Span.fromContext(extract(e)).getSpanContext();
            if (sc.isValid()) {
                sb.addLink(sc);
            }
        }
    }

    /** Marks a span failed: status ERROR, {@code error.type}, the exception as an event. */
    public static void fail(Span span, Throwable error) {
        span.setStatus(StatusCode.ERROR, String.valueOf(error.getMessage()));
        span.setAttribute(
                ERROR_TYPE,
                error instanceof StreamException se
                        ? se.kind().name()
                        : error.getClass().getName());
        span.recordException(error);
    }

    /** Settings of a {@link TributaryTracing}. */
    public static final class Builder {
        private final OpenTelemetry openTelemetry;
        private TextMapPropagator propagator;
        private boolean spansUnderUnsampledParents;
        private boolean propagateDroppedTraces = true;

        private Builder(OpenTelemetry openTelemetry) {
            this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
        }

        /** The propagator of record headers (default: the OpenTelemetry instance's). */
        public Builder propagator(TextMapPropagator propagator) {
            this.propagator = Objects.requireNonNull(propagator, "propagator");
            return this;
        }

        /**
         * Whether appends and per-event handlers start a span under a parent the sampler dropped
         * (a valid span context with the sampled flag off). Default {@code false}: with a parent-based
         * sampler — OpenTelemetry's default, and what {@code parentbased_traceidratio} configures —
         * such a child is never sampled, so building it would only cost time; the work runs in the
         * parent's context instead, and the record carries the parent's {@code traceparent} (same
         * trace id, sampled flag off), so downstream follows the same decision. Set {@code true}
         * with a sampler that may sample the child of an unsampled parent. Appends and handlers
         * with no parent span (a trace's root) always start a span and let the sampler decide.
         *
         * @param enabled true to start those spans anyway
         * @return this builder
         */
        public Builder spansUnderUnsampledParents(boolean enabled) {
            this.spansUnderUnsampledParents = enabled;
            return this;
        }

        /**
         * Whether a record appended in a trace the sampler dropped carries that trace's context.
         * Default {@code true}, as W3C trace context intends: the record's {@code traceparent} has the
         * sampled flag off, so every consumer downstream follows the decision and keeps the trace id.
         * {@code false}: such records carry no trace headers at all, so only sampled traces pay for
         * them — about 70 bytes a record, which through kafka-clients with 100-byte events costs about
         * a quarter of the throughput (docs/benchmarks.md, "Observability overhead"). A consumer then
         * sees no producer context on those events and its own sampler decides anew (a
         * {@code process} span of {@link #handler} becomes a root). Records the application gave a
         * {@code traceparent} of its own keep it either way.
         *
         * @param enabled false to send records of dropped traces without trace headers
         * @return this builder
         */
        public Builder propagateDroppedTraces(boolean enabled) {
            this.propagateDroppedTraces = enabled;
            return this;
        }

        /** {@return the tracing} */
        public TributaryTracing build() {
            return new TributaryTracing(this);
        }
    }
}
