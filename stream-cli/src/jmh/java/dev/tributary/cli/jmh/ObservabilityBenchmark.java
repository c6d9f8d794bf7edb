package dev.tributary.cli.jmh;

import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamClients;
import dev.tributary.StreamEvent;
import dev.tributary.StreamName;
import dev.tributary.StreamReader;
import dev.tributary.StreamRecord;
import dev.tributary.cli.bench.DroppingExporter;
import dev.tributary.cli.bench.FixedTraceparent;
import dev.tributary.core.ProcessorListener;
import dev.tributary.micrometer.TributaryMetrics;
import dev.tributary.opentelemetry.TributaryTracing;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What Tributary's observability costs per event, in-process, on the memory backend (so the broker's
 * own cost is nearly zero and the decorators' cost shows): one {@code appendAsync} of a 100-byte
 * record, one event of a 100-event reader poll, one handler call — plain, with Micrometer meters
 * (Prometheus registry; with and without client-side percentiles), with OpenTelemetry tracing (SDK,
 * W3C propagators, batch span processor, an exporter that drops) sampling every trace or 1 %, and
 * both. Not part of the build: run it with the {@code jmh} profile (see stream-cli/pom.xml and
 * docs/benchmarks.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-XX:+UseParallelGC"})
public class ObservabilityBenchmark {
    private static final int POLL = 100;
    private static final AtomicInteger STORES = new AtomicInteger();

    /** Which instruments the client carries. */
    @Param({"plain", "header", "metrics", "metrics_percentiles", "tracing_all", "tracing_1pct", "tracing_1pct_parents",
        "tracing_1pct_parents_nodrop", "both_all", "both_1pct"})
    public String mode;

    private StreamClient plain;
    private StreamClient client;
    private SdkTracerProvider tracerProvider;
    private PrometheusMeterRegistry registry;
    private TributaryTracing tracing;
    private ProcessorListener listener;
    private StreamName appendStream;
    private StreamName readStream;
    private StreamRecord record;
    private StreamReader reader;
    private List<StreamEvent> sample;
    private Context parent;
    private int next;

    /** Opens a fresh memory store and instruments its client as {@link #mode} says. */
    @Setup(Level.Trial)
    public void open() {
        plain = StreamClients.open("memory:jmh" + STORES.incrementAndGet() + "x" + ProcessHandle.current().pid());
        boolean metrics = mode.startsWith("metrics") || mode.startsWith("both");
        boolean traced = mode.startsWith("tracing") || mode.startsWith("both");
        Sampler sampler = mode.contains("1pct") ? Sampler.parentBased(Sampler.traceIdRatioBased(0.01))
                : Sampler.alwaysOn();
        tracerProvider = SdkTracerProvider.builder().setSampler(sampler)
                .addSpanProcessor(BatchSpanProcessor.builder(new DroppingExporter()).build()).build();
        OpenTelemetrySdk otel = OpenTelemetrySdk.builder().setTracerProvider(tracerProvider)
                .setPropagators(ContextPropagators.create(TextMapPropagator.composite(
                        W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())))
                .build();
        tracing = TributaryTracing.builder(otel).propagateDroppedTraces(!mode.endsWith("_nodrop")).build();
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        TributaryMetrics.Builder mb = TributaryMetrics.builder(registry);
        if (mode.equals("metrics_percentiles")) {
            mb.percentiles(0.5, 0.95, 0.99);
        }
        TributaryMetrics meters = mb.build();
        StreamClient c = traced ? tracing.instrument(plain) : mode.equals("header") ? new FixedTraceparent(plain) : plain;
        parent = mode.contains("_parents") ? Context.root().with(Span.wrap(SpanContext.createFromRemoteParent(
                "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", TraceFlags.getDefault(),
                TraceState.getDefault()))) : null;
        client = metrics ? meters.instrument(c) : c;
        listener = metrics ? meters.processorListener() : null;
        if (listener != null) {
            listener.onCreated("jmh", plain.backend(), StreamName.of("jmh-read"), "g");
        }
        appendStream = StreamName.of("jmh-append");
        readStream = StreamName.of("jmh-read");
        record = StreamRecord.of(new byte[100]);
        // the read stream's events carry a producer's trace context, as they would from a traced producer
        StreamClient producer = TributaryTracing.create(OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build())
                .instrument(plain);
        plain.createStream(readStream);
        List<StreamRecord> batch = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            batch.add(record);
        }
        for (int i = 0; i < 200; i++) {
            producer.appendBatch(readStream, batch);
        }
        sample = plain.openReader(readStream, Position.earliest()).poll(1000, Duration.ZERO);
    }

    /** A new append stream per iteration keeps the memory store's size bounded. */
    @Setup(Level.Iteration)
    public void freshStream() {
        plain.deleteStream(appendStream);
        plain.createStream(appendStream);
        reader = client.openReader(readStream, Position.earliest());
    }

    /** Closes the client, the span processor and the registry. */
    @TearDown(Level.Trial)
    public void close() {
        client.close();
        tracerProvider.close();
        registry.close();
    }

    /** One {@code appendAsync} of a 100-byte record, until its future completes. */
    @Benchmark
    @SuppressWarnings("try")
    public Object append() {
        if (parent == null) {
            return client.appendAsync(appendStream, record).join();
        }
        try (io.opentelemetry.context.Scope ignored = parent.makeCurrent()) { // inside an application's trace the sampler dropped
            return client.appendAsync(appendStream, record).join();
        }
    }

    /** One event of a 100-event reader poll (receive span, read counter). */
    @Benchmark
    @OperationsPerInvocation(POLL)
    public void consume(Blackhole bh) {
        List<StreamEvent> events = reader.poll(POLL, Duration.ZERO);
        if (events.size() < POLL) {
            reader.close();
            reader = client.openReader(readStream, Position.earliest());
        }
        bh.consume(events);
    }

    /**
     * One handler call as the instrumented handler and the processor listener wrap it: a process
     * span (child of the producer's context, current while the handler runs) and the handler meters.
     */
    @Benchmark
    @SuppressWarnings("try")
    public void handle(Blackhole bh) {
        StreamEvent e = sample.get(next++ % sample.size());
        long start = System.nanoTime();
        if (mode.equals("plain") || mode.equals("header") || mode.startsWith("metrics")) {
            bh.consume(e.payload());
        } else {
            Span span = tracing.startProcessSpan(plain.backend(), e, "g");
            try (io.opentelemetry.context.Scope ignored = span.makeCurrent()) {
                bh.consume(e.payload());
            } finally {
                span.end();
            }
        }
        if (listener != null) {
            listener.onHandlerCall("jmh", 1, Duration.ofNanos(System.nanoTime() - start), null);
        }
    }
}
