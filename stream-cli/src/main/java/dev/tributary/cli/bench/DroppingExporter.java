package dev.tributary.cli.bench;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.concurrent.atomic.LongAdder;

/**
 * Takes every span, counts it and drops it: the in-process cost of tracing without a collector's, as
 * {@code bench --observe} and the JMH observability benchmark measure it.
 */
public final class DroppingExporter implements SpanExporter {
    private final LongAdder exported = new LongAdder();

    /** {@return how many spans were handed to this exporter so far} */
    public long exported() {
        return exported.sum();
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        exported.add(spans.size());
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
