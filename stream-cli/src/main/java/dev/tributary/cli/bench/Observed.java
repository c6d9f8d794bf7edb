package dev.tributary.cli.bench;

import dev.tributary.EventId;
import dev.tributary.StreamClient;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import dev.tributary.micrometer.TributaryMetrics;
import dev.tributary.opentelemetry.TributaryTracing;
import dev.tributary.spi.ForwardingStreamClient;
import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The observed side of {@code bench --observe}: the bench's client with Tributary's Micrometer meters
 * in a Prometheus registry and OpenTelemetry tracing through the SDK — W3C trace context and baggage
 * propagators, the sampler of {@code otel.traces.sampler} (default: every span), a batch span
 * processor whose exporter counts the spans and drops them. That is the work an application pays
 * for in-process; sending spans over the network is the collector's cost, not Tributary's. Spans the
 * batch processor's queue had no room for are reported as dropped.
 */
final class Observed implements AutoCloseable {
    /** Which instruments the observed side carries. */
    enum What {
        metrics,
        tracing,
        both,
        /**
         * No instruments: every record carries one fixed {@code traceparent} header (55 bytes), as
         * when a dropped trace's context is propagated. The price of carrying the header through the
         * broker and its client, which any W3C-propagating producer pays, apart from tracing's own.
         */
        header
    }

    private final What what;
    private final String samplerName;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final DroppingExporter exporter = new DroppingExporter();
    private final LongAdder ended = new LongAdder();
    private final SdkTracerProvider tracerProvider;
    private final StreamClient client;
    private final Context[] parents;
    private final boolean propagateDropped;

    Observed(StreamClient plain, What what, String sampler, boolean traceParents, boolean propagateDropped) {
        this.propagateDropped = propagateDropped;
        this.what = what;
        Sampler s = sampler(sampler);
        this.samplerName = s.getDescription();
        tracerProvider = SdkTracerProvider.builder()
                .setSampler(s)
                .addSpanProcessor(new EndCounter(ended))
                .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
                .build();
        OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
                .setTracerProvider(tracerProvider)
                .setPropagators(ContextPropagators.create(TextMapPropagator.composite(
                        W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())))
                .build();
        StreamClient observed;
        if (what == What.header) {
            observed = new FixedTraceparent(plain);
        } else {
            StreamClient traced = what == What.metrics
                    ? plain
                    : TributaryTracing.builder(otel)
                            .propagateDroppedTraces(propagateDropped)
                            .build()
                            .instrument(plain);
            observed = what == What.tracing ? traced : TributaryMetrics.instrument(traced, registry);
        }
        this.parents = traceParents ? parents(s) : null;
        client = parents == null ? observed : new InParents(observed, parents);
    }

    /** How many upstream contexts the appends take in turn with {@code --trace-parents}. */
    static final int PARENTS = 1024;

    /**
     * Contexts as an upstream service would hand them over: a remote span of a random trace, its
     * sampled flag set where {@code sampler} samples that trace as a root (so a ratio sampler marks
     * about that ratio of them).
     */
    static Context[] parents(Sampler sampler) {
        Context[] out = new Context[PARENTS];
        Random random = new Random(42);
        for (int i = 0; i < out.length; i++) {
            String traceId = TraceId.fromLongs(random.nextLong() | 1, random.nextLong());
            String spanId = SpanId.fromLong(random.nextLong() | 1);
            boolean sampled = sampler.shouldSample(
                                    Context.root(), traceId, "request", SpanKind.SERVER, Attributes.empty(), List.of())
                            .getDecision()
                    == SamplingDecision.RECORD_AND_SAMPLE;
            out[i] = Context.root()
                    .with(Span.wrap(SpanContext.createFromRemoteParent(
                            traceId,
                            spanId,
                            sampled ? TraceFlags.getSampled() : TraceFlags.getDefault(),
                            TraceState.getDefault())));
        }
        return out;
    }

    /** Makes one of the upstream contexts current around each append, in turn. */
    private static final class InParents extends ForwardingStreamClient {
        private final Context[] parents;
        private final AtomicInteger next = new AtomicInteger();

        InParents(StreamClient delegate, Context[] parents) {
            super(delegate);
            this.parents = parents;
        }

        private Context parent() {
            return parents[(next.getAndIncrement() & Integer.MAX_VALUE) % parents.length];
        }

        @Override
        @SuppressWarnings("try") // the try closes the Scope
        public CompletableFuture<EventId> appendAsync(StreamName stream, StreamRecord record) {
            try (Scope ignored = parent().makeCurrent()) {
                return super.appendAsync(stream, record);
            }
        }

        @Override
        @SuppressWarnings("try") // the try closes the Scope
        public CompletableFuture<List<EventId>> appendBatchAsync(StreamName stream, List<StreamRecord> records) {
            try (Scope ignored = parent().makeCurrent()) {
                return super.appendBatchAsync(stream, records);
            }
        }
    }

    /** Whether records of dropped traces carry their context (not {@code --no-dropped-context}). */
    boolean propagatesDropped() {
        return propagateDropped;
    }

    /** How many of the upstream contexts are sampled; -1 without {@code --trace-parents}. */
    int sampledParents() {
        if (parents == null) {
            return -1;
        }
        int n = 0;
        for (Context c : parents) {
            n += Span.fromContext(c).getSpanContext().isSampled() ? 1 : 0;
        }
        return n;
    }

    /**
     * The sampler of a spec in the style of OpenTelemetry's {@code otel.traces.sampler} and
     * {@code otel.traces.sampler.arg}: {@code always_on}, {@code always_off}, {@code traceidratio},
     * {@code parentbased_always_on}, {@code parentbased_always_off}, {@code parentbased_traceidratio},
     * the ratio after {@code =} (for example {@code traceidratio=0.01}). A null spec reads the
     * system properties {@code otel.traces.sampler} and {@code otel.traces.sampler.arg}, then the
     * environment variables {@code OTEL_TRACES_SAMPLER} and {@code OTEL_TRACES_SAMPLER_ARG}; none set
     * means {@code always_on}.
     */
    static Sampler sampler(String spec) {
        return sampler(spec, System.getProperties(), System.getenv());
    }

    static Sampler sampler(String spec, Map<?, ?> props, Map<String, String> env) {
        String name;
        String arg = null;
        if (spec != null) {
            int eq = spec.indexOf('=');
            name = eq < 0 ? spec : spec.substring(0, eq);
            arg = eq < 0 ? null : spec.substring(eq + 1);
        } else {
            name = first((String) props.get("otel.traces.sampler"), env.get("OTEL_TRACES_SAMPLER"), "always_on");
            arg = first((String) props.get("otel.traces.sampler.arg"), env.get("OTEL_TRACES_SAMPLER_ARG"), null);
        }
        double ratio = 1.0;
        if (arg != null && !arg.isBlank()) {
            try {
                ratio = Double.parseDouble(arg.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("sampler argument must be a ratio 0 to 1, got '" + arg + "'");
            }
            if (!(ratio >= 0 && ratio <= 1)) {
                throw new IllegalArgumentException("sampler argument must be a ratio 0 to 1, got '" + arg + "'");
            }
        }
        switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "always_on":
                return Sampler.alwaysOn();
            case "always_off":
                return Sampler.alwaysOff();
            case "traceidratio":
                return Sampler.traceIdRatioBased(ratio);
            case "parentbased_always_on":
                return Sampler.parentBased(Sampler.alwaysOn());
            case "parentbased_always_off":
                return Sampler.parentBased(Sampler.alwaysOff());
            case "parentbased_traceidratio":
                return Sampler.parentBased(Sampler.traceIdRatioBased(ratio));
            default:
                throw new IllegalArgumentException("unknown sampler '" + name + "'; use always_on, always_off, "
                        + "traceidratio, parentbased_always_on, parentbased_always_off or parentbased_traceidratio");
        }
    }

    private static String first(String a, String b, String dflt) {
        return a != null && !a.isBlank() ? a : b != null && !b.isBlank() ? b : dflt;
    }

    /** The observed side's column: {@code Tributary+metrics}, {@code +tracing} or {@code +obs} (both). */
    String label() {
        return "Tributary+" + (what == What.both ? "obs" : what.name());
    }

    /** The instrumented client; closing it is the bench's business (it closes the plain one). */
    StreamClient client() {
        return client;
    }

    /** The sampler's description, for the report. */
    String samplerName() {
        return samplerName;
    }

    /** Spans sampled and ended; spans the exporter received. Flushes the span processor first. */
    long[] spans() {
        tracerProvider.forceFlush().join(10, TimeUnit.SECONDS);
        return new long[] {ended.sum(), exporter.exported()};
    }

    /** What the instruments recorded, to show they were on. */
    String summary() {
        long[] spans = spans();
        long meters = registry.getMeters().size();
        long samples =
                registry.getMeters().stream().mapToLong(Observed::measurements).sum();
        String tracing = what == What.metrics || what == What.header
                ? "no tracing"
                : spans[0] + " spans sampled (" + samplerName + "), " + spans[1] + " exported, " + (spans[0] - spans[1])
                        + " dropped by the batch span processor";
        String parentsNote = (parents == null
                        ? ""
                        : ", appends inside upstream traces (" + sampledParents() + " of " + PARENTS + " sampled)")
                + (propagateDropped ? "" : ", dropped traces not propagated");
        return "observability on the " + label() + " side" + parentsNote + ": " + meters + " meters (" + samples
                + " samples in the " + "Prometheus registry), " + tracing;
    }

    private static long measurements(Meter m) {
        long n = 0;
        for (var ignored : m.measure()) {
            n++;
        }
        return n;
    }

    @Override
    public void close() {
        tracerProvider.close();
        registry.close();
    }

    /** Counts the sampled spans that ended: what the batch processor was offered. */
    private record EndCounter(LongAdder ended) implements SpanProcessor {
        @Override
        public void onStart(Context parentContext, ReadWriteSpan span) {}

        @Override
        public boolean isStartRequired() {
            return false;
        }

        @Override
        public void onEnd(ReadableSpan span) {
            if (span.getSpanContext().isSampled()) {
                ended.increment();
            }
        }

        @Override
        public boolean isEndRequired() {
            return true;
        }
    }
}
