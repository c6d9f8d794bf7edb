package dev.tributary.cli.bench;

import dev.tributary.StreamClient;
import dev.tributary.micrometer.TributaryMetrics;
import dev.tributary.opentelemetry.TributaryTracing;
import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The observed side of {@code bench --observe}: the bench's client with Tributary's Micrometer meters
 * in a Prometheus registry and OpenTelemetry tracing through the SDK, every span sampled and handed
 * to a batch span processor whose exporter counts the spans and drops them — the work an application
 * pays for in-process; sending spans over the network is the collector's cost, not Tributary's.
 */
final class Observed implements AutoCloseable {
    /** Which instruments the observed side carries. */
    enum What {
        metrics, tracing, both
    }

    private final What what;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicLong exported = new AtomicLong();
    private final SdkTracerProvider tracerProvider;
    private final StreamClient client;

    Observed(StreamClient plain, What what) {
        this.what = what;
        tracerProvider = SdkTracerProvider.builder().setSampler(Sampler.alwaysOn())
                .addSpanProcessor(BatchSpanProcessor.builder(new CountingExporter(exported)).build()).build();
        OpenTelemetrySdk otel = OpenTelemetrySdk.builder().setTracerProvider(tracerProvider).build();
        StreamClient traced = what == What.metrics ? plain : TributaryTracing.create(otel).instrument(plain);
        client = what == What.tracing ? traced : TributaryMetrics.instrument(traced, registry);
    }

    /** The observed side's column: {@code Tributary+metrics}, {@code +tracing} or {@code +obs} (both). */
    String label() {
        return "Tributary+" + (what == What.both ? "obs" : what.name());
    }

    /** The instrumented client; closing it is the bench's business (it closes the plain one). */
    StreamClient client() {
        return client;
    }

    /** What the instruments recorded, to show they were on. */
    String summary() {
        tracerProvider.forceFlush().join(10, TimeUnit.SECONDS);
        long meters = registry.getMeters().size();
        long samples = registry.getMeters().stream().mapToLong(Observed::measurements).sum();
        return "observability on the " + label() + " side: " + meters + " meters (" + samples + " samples in the "
                + "Prometheus registry), " + exported.get() + " spans sampled and exported";
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

    /** Counts and drops the spans. */
    private record CountingExporter(AtomicLong exported) implements SpanExporter {
        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            exported.addAndGet(spans.size());
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
