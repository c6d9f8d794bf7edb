package dev.tributary.opentelemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.GroupOptions;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamClients;
import dev.tributary.StreamEvent;
import dev.tributary.StreamName;
import dev.tributary.StreamReader;
import dev.tributary.StreamRecord;
import dev.tributary.core.Codecs;
import dev.tributary.core.GroupProcessor;
import dev.tributary.tck.fixture.ItBroker;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * On real brokers (redis-server, nats-server and a KRaft Kafka; see {@link ItBroker}): the W3C trace
 * context the send span injects into the record headers survives the round trip through the broker,
 * so a reader poll's receive span and a group processor's process span continue the producer's trace
 * as children of the send span.
 */
class BrokerTracingIT {
    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exporter))
            .build();
    private final OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
            .setTracerProvider(tracerProvider)
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    private final TributaryTracing tracing = TributaryTracing.create(otel);
    private final StreamName stream =
            StreamName.of("otel-it-" + UUID.randomUUID().toString().substring(0, 8));

    @AfterEach
    void tearDown() {
        tracerProvider.close();
    }

    private SpanData span(String name) {
        List<SpanData> found = exporter.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals(name))
                .toList();
        assertEquals(1, found.size(), () -> "one span named '" + name + "' in " + exporter.getFinishedSpanItems());
        return found.get(0);
    }

    /** Appends one record inside an application span; returns that span's context. */
    private SpanContext appendInsideAParentSpan(StreamClient client, String payload) {
        Span parent = otel.getTracer("app").spanBuilder("checkout").startSpan();
        try (Scope ignored = parent.makeCurrent()) {
            client.append(stream, StreamRecord.of(payload));
        } finally {
            parent.end();
        }
        return parent.getSpanContext();
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(10);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"redis", "nats", "kafka"})
    void aReaderPollContinuesTheProducersTraceThroughTheBroker(String backend) {
        try (ItBroker broker = ItBroker.start(backend);
                StreamClient client = tracing.instrument(StreamClients.open(broker.uri()))) {
            assertEquals(backend, client.backend());
            client.createStream(stream);
            SpanContext parent = appendInsideAParentSpan(client, "a");
            SpanData send = span("send " + stream.value());
            assertEquals(parent.getTraceId(), send.getTraceId());
            assertEquals(parent.getSpanId(), send.getParentSpanId());

            List<StreamEvent> read = new ArrayList<>();
            try (StreamReader r = client.openReader(stream, Position.earliest())) {
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (read.isEmpty() && System.nanoTime() < deadline) {
                    read.addAll(r.poll(10, Duration.ofMillis(500)));
                }
            }
            assertEquals(1, read.size());
            String traceparent = read.get(0).headers().first("traceparent").orElseThrow();
            assertTrue(traceparent.startsWith("00-" + send.getTraceId() + "-" + send.getSpanId() + "-"), traceparent);

            SpanData receive = span("receive " + stream.value());
            assertEquals(SpanKind.CLIENT, receive.getKind());
            assertEquals(parent.getTraceId(), receive.getTraceId());
            assertEquals(send.getSpanId(), receive.getParentSpanId());
            assertEquals(backend, receive.getAttributes().get(MessagingConventions.SYSTEM));
            assertEquals(1, receive.getLinks().size());
            assertEquals(
                    send.getSpanId(), receive.getLinks().get(0).getSpanContext().getSpanId());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"redis", "nats", "kafka"})
    void aGroupProcessorHandlerContinuesTheProducersTraceThroughTheBroker(String backend) throws Exception {
        try (ItBroker broker = ItBroker.start(backend);
                StreamClient client = tracing.instrument(StreamClients.open(broker.uri()))) {
            client.createStream(stream);
            client.createGroup(stream, "billing", GroupOptions.defaults());
            SpanContext parent = appendInsideAParentSpan(client, "job");
            SpanData send = span("send " + stream.value());

            List<SpanContext> seenInHandler = new CopyOnWriteArrayList<>();
            GroupProcessor<String> p = GroupProcessor.builder(client, stream, "billing", Codecs.utf8())
                    .pollWait(Duration.ofMillis(50))
                    .handler(tracing.handler(
                            client, m -> seenInHandler.add(Span.current().getSpanContext())))
                    .build();
            p.start();
            try {
                await("handled", () -> seenInHandler.size() == 1);
                await(
                        "process span ended",
                        () -> exporter.getFinishedSpanItems().stream()
                                .anyMatch(s -> s.getName().equals("process " + stream.value())));
            } finally {
                p.stop(Duration.ofSeconds(5));
            }
            SpanData process = span("process " + stream.value());
            assertEquals(SpanKind.CONSUMER, process.getKind());
            assertEquals(parent.getTraceId(), process.getTraceId());
            assertEquals(send.getSpanId(), process.getParentSpanId());
            assertEquals(process.getSpanId(), seenInHandler.get(0).getSpanId(), "the span is current in the handler");
            assertEquals(backend, process.getAttributes().get(MessagingConventions.SYSTEM));
            assertEquals("billing", process.getAttributes().get(MessagingConventions.CONSUMER_GROUP_NAME));
            assertEquals(1, seenInHandler.size());
        }
    }
}
