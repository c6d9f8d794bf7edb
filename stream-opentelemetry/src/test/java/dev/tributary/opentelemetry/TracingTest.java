package dev.tributary.opentelemetry;

import static dev.tributary.opentelemetry.TracingTest.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ErrorKind;
import dev.tributary.GroupOptions;
import dev.tributary.Header;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamClients;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamReader;
import dev.tributary.StreamRecord;
import dev.tributary.core.Codecs;
import dev.tributary.core.GroupProcessor;
import dev.tributary.core.TailProcessor;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TracingTest {
    private static final AtomicInteger SEQ = new AtomicInteger();

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exporter))
            .build();
    private final OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
            .setTracerProvider(tracerProvider)
            .setPropagators(ContextPropagators.create(TextMapPropagator.composite(
                    W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())))
            .build();
    private final TributaryTracing tracing = TributaryTracing.create(otel);
    private final StreamClient raw =
            StreamClients.open("memory:otel-" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet());
    private final StreamClient client = tracing.instrument(raw);
    private final StreamName stream = StreamName.of("orders-" + SEQ.incrementAndGet());

    @AfterEach
    void tearDown() {
        client.close();
        tracerProvider.close();
    }

    static final class Await {
        static void await(String what, BooleanSupplier condition) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("timed out waiting for: " + what);
                }
                Thread.sleep(5);
            }
        }
    }

    private SpanData span(String name) {
        List<SpanData> found = exporter.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals(name))
                .toList();
        assertEquals(1, found.size(), () -> "one span named '" + name + "' in " + exporter.getFinishedSpanItems());
        return found.get(0);
    }

    /** Appends one record inside an application span; returns that span's context. */
    private SpanContext appendInsideAParentSpan(String payload) {
        Span parent = otel.getTracer("app").spanBuilder("checkout").startSpan();
        try (Scope ignored = parent.makeCurrent()) {
            client.append(stream, StreamRecord.of(payload));
        } finally {
            parent.end();
        }
        return parent.getSpanContext();
    }

    /**
     * Runs a group processor with a traced handler over the stream until it handled one event and
     * {@code until} holds; returns the span context that was current in the handler.
     */
    private SpanContext currentInATracedHandler(BooleanSupplier until) throws InterruptedException {
        List<SpanContext> seen = new CopyOnWriteArrayList<>();
        GroupProcessor<String> p = GroupProcessor.builder(client, stream, "billing", Codecs.utf8())
                .pollWait(Duration.ofMillis(20))
                .handler(tracing.handler(client, m -> seen.add(Span.current().getSpanContext())))
                .build();
        p.start();
        try {
            await("handled", () -> seen.size() == 1);
            await("the spans ended", until);
        } finally {
            p.stop(Duration.ofSeconds(5));
        }
        return seen.get(0);
    }

    @Test
    void anUnsampledAppendStillCarriesTheContextMarkedNotSampledAndRecordsNothing() {
        SdkTracerProvider off = SdkTracerProvider.builder()
                .setSampler(io.opentelemetry.sdk.trace.samplers.Sampler.alwaysOff())
                .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                .build();
        TributaryTracing unsampled = TributaryTracing.create(OpenTelemetrySdk.builder()
                .setTracerProvider(off)
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build());
        StreamClient c = unsampled.instrument(raw);
        c.append(
                stream,
                StreamRecord.builder()
                        .payload(new byte[1])
                        .headers(dev.tributary.Headers.of("type", "created"))
                        .build());
        c.appendBatch(stream, List.of(StreamRecord.of("a"), StreamRecord.of("b")));
        List<dev.tributary.StreamEvent> events =
                raw.openReader(stream, dev.tributary.Position.earliest()).poll(10, java.time.Duration.ZERO);
        assertEquals(3, events.size());
        assertEquals("created", events.get(0).headers().first("type").orElseThrow());
        for (dev.tributary.StreamEvent e : events) {
            String tp = e.headers().first("traceparent").orElseThrow();
            assertTrue(tp.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f][02468ace]"), tp); // sampled flag (bit 0) off
        }
        assertEquals(0, exporter.getFinishedSpanItems().size());
        off.close();
    }

    /** A context whose span came from upstream with the sampled flag off (the trace was dropped there). */
    private static io.opentelemetry.context.Context droppedUpstream() {
        return io.opentelemetry.context.Context.root()
                .with(Span.wrap(SpanContext.createFromRemoteParent(
                        "0af7651916cd43dd8448eb211c80319c",
                        "b7ad6b7169203331",
                        io.opentelemetry.api.trace.TraceFlags.getDefault(),
                        io.opentelemetry.api.trace.TraceState.getDefault())));
    }

    @Test
    void anAppendInsideADroppedTraceCarriesTheParentsContextAsItIsWithoutASpan() {
        try (Scope ignored = droppedUpstream().makeCurrent()) {
            client.append(stream, StreamRecord.of("a"));
            client.appendBatch(stream, List.of(StreamRecord.of("b"), StreamRecord.of("c")));
        }
        List<StreamEvent> events = raw.openReader(stream, Position.earliest()).poll(10, Duration.ZERO);
        assertEquals(3, events.size());
        for (StreamEvent e : events) {
            // the parent's own span id: no child span was built (a new one would have a new span id)
            assertEquals(
                    "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00",
                    e.headers().first("traceparent").orElseThrow());
        }
        assertEquals(0, exporter.getFinishedSpanItems().size());
    }

    @Test
    void withSpansUnderUnsampledParentsASamplerThatIgnoresTheParentStillGetsItsSendSpan() {
        SdkTracerProvider alwaysOn = SdkTracerProvider.builder()
                .setSampler(io.opentelemetry.sdk.trace.samplers.Sampler.alwaysOn()) // not parent-based
                .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                .build();
        StreamClient c = TributaryTracing.builder(OpenTelemetrySdk.builder()
                        .setTracerProvider(alwaysOn)
                        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                        .build())
                .spansUnderUnsampledParents(true)
                .build()
                .instrument(raw);
        try (Scope ignored = droppedUpstream().makeCurrent()) {
            c.append(stream, StreamRecord.of("a"));
        }
        SpanData send = span("send " + stream.value());
        assertEquals("b7ad6b7169203331", send.getParentSpanId());
        String tp = raw.openReader(stream, Position.earliest())
                .poll(10, Duration.ZERO)
                .get(0)
                .headers()
                .first("traceparent")
                .orElseThrow();
        assertEquals("00-0af7651916cd43dd8448eb211c80319c-" + send.getSpanId() + "-01", tp);
        alwaysOn.close(); // last: it shuts the shared exporter down, which forgets its spans
    }

    @Test
    void withoutPropagationOfDroppedTracesOnlySampledRecordsCarryTraceHeaders() {
        SdkTracerProvider ratio = SdkTracerProvider.builder()
                .setSampler(io.opentelemetry.sdk.trace.samplers.Sampler.parentBased(
                        io.opentelemetry.sdk.trace.samplers.Sampler.alwaysOff())) // every root dropped
                .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                .build();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(ratio)
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        StreamClient c = TributaryTracing.builder(sdk)
                .propagateDroppedTraces(false)
                .build()
                .instrument(raw);
        c.append(stream, StreamRecord.of("root, dropped"));
        try (Scope ignored = droppedUpstream().makeCurrent()) {
            c.append(stream, StreamRecord.of("in a dropped trace"));
            c.appendBatch(stream, List.of(StreamRecord.of("batch, dropped")));
        }
        Span sampled = Span.wrap(SpanContext.createFromRemoteParent(
                "0af7651916cd43dd8448eb211c80319d",
                "b7ad6b7169203332",
                io.opentelemetry.api.trace.TraceFlags.getSampled(),
                io.opentelemetry.api.trace.TraceState.getDefault()));
        try (Scope ignored =
                io.opentelemetry.context.Context.root().with(sampled).makeCurrent()) {
            c.append(stream, StreamRecord.of("in a sampled trace"));
        }
        c.append(
                stream,
                StreamRecord.builder()
                        .payload(new byte[1])
                        .headers(dev.tributary.Headers.of(
                                "traceparent", "00-" + "1".repeat(32) + "-" + "2".repeat(16) + "-00"))
                        .build());
        List<StreamEvent> events = raw.openReader(stream, Position.earliest()).poll(10, Duration.ZERO);
        assertEquals(5, events.size());
        for (int i = 0; i < 3; i++) {
            assertTrue(events.get(i).headers().isEmpty(), () -> "dropped, no trace headers: " + events);
        }
        String tp = events.get(3).headers().first("traceparent").orElseThrow();
        assertTrue(tp.startsWith("00-0af7651916cd43dd8448eb211c80319d-") && tp.endsWith("-01"), tp);
        assertEquals(
                "00-" + "1".repeat(32) + "-" + "2".repeat(16) + "-00",
                events.get(4).headers().first("traceparent").orElseThrow(),
                "the application's own traceparent is kept");
        ratio.close();
    }

    @Test
    void aHandlerOfAnEventFromADroppedTraceRunsInThatContextWithoutAProcessSpan() throws Exception {
        try (Scope ignored = droppedUpstream().makeCurrent()) {
            client.append(stream, StreamRecord.of("job"));
        }
        SpanContext seen = currentInATracedHandler(() -> true);
        assertEquals("b7ad6b7169203331", seen.getSpanId(), "the producer's context is current");
        assertTrue(!seen.isSampled());
        assertTrue(exporter.getFinishedSpanItems().stream()
                .noneMatch(s -> s.getName().startsWith("process ")));
    }

    @Test
    void theSendSpanIsAChildOfTheApplicationSpanAndItsContextTravelsInTheHeaders() {
        SpanContext parent = appendInsideAParentSpan("a");
        SpanData send = span("send " + stream.value());
        assertEquals(SpanKind.PRODUCER, send.getKind());
        assertEquals(parent.getTraceId(), send.getTraceId());
        assertEquals(parent.getSpanId(), send.getParentSpanId());
        assertEquals("memory", send.getAttributes().get(MessagingConventions.SYSTEM));
        assertEquals(stream.value(), send.getAttributes().get(MessagingConventions.DESTINATION_NAME));
        assertEquals("send", send.getAttributes().get(MessagingConventions.OPERATION_TYPE));
        assertNotNull(send.getAttributes().get(MessagingConventions.MESSAGE_ID));

        StreamEvent stored = raw.range(stream, Position.earliest(), null, 10).get(0);
        String traceparent = stored.headers().first("traceparent").orElseThrow();
        assertTrue(traceparent.startsWith("00-" + send.getTraceId() + "-" + send.getSpanId() + "-"), traceparent);
        assertEquals(
                send.getAttributes().get(MessagingConventions.MESSAGE_ID),
                stored.id().toString());
    }

    @Test
    void aReaderPollContinuesTheProducersTrace() {
        SpanContext parent = appendInsideAParentSpan("a");
        SpanData send = span("send " + stream.value());
        try (StreamReader r = client.openReader(stream, Position.earliest())) {
            assertEquals(1, r.poll(10, Duration.ZERO).size());
            assertEquals(0, r.poll(10, Duration.ZERO).size()); // an empty poll records no span
        }
        SpanData receive = span("receive " + stream.value());
        assertEquals(SpanKind.CLIENT, receive.getKind());
        assertEquals(parent.getTraceId(), receive.getTraceId());
        assertEquals(send.getSpanId(), receive.getParentSpanId());
        assertEquals("receive", receive.getAttributes().get(MessagingConventions.OPERATION_TYPE));
        assertEquals(1, receive.getLinks().size());
        assertEquals(
                send.getSpanId(), receive.getLinks().get(0).getSpanContext().getSpanId());
    }

    @Test
    void aProcessorHandlerRunsInAProcessSpanThatContinuesTheProducersTrace() throws Exception {
        SpanContext parent = appendInsideAParentSpan("job");
        SpanData send = span("send " + stream.value());
        SpanContext seen = currentInATracedHandler(() -> exporter.getFinishedSpanItems().stream()
                .anyMatch(s -> s.getName().equals("process " + stream.value())));
        SpanData process = span("process " + stream.value());
        assertEquals(SpanKind.CONSUMER, process.getKind());
        assertEquals(parent.getTraceId(), process.getTraceId());
        assertEquals(send.getSpanId(), process.getParentSpanId());
        assertEquals(process.getSpanId(), seen.getSpanId(), "the span is current in the handler");
        assertEquals("billing", process.getAttributes().get(MessagingConventions.CONSUMER_GROUP_NAME));
        assertEquals("process", process.getAttributes().get(MessagingConventions.OPERATION_TYPE));
        assertEquals("memory", process.getAttributes().get(MessagingConventions.SYSTEM));
        assertNotNull(process.getAttributes().get(MessagingConventions.MESSAGE_ID));
    }

    @Test
    void aFailingHandlerMarksItsSpanAsError() throws Exception {
        appendInsideAParentSpan("bad");
        AtomicInteger calls = new AtomicInteger();
        TailProcessor<String> p = TailProcessor.builder(raw, stream, Codecs.utf8())
                .pollWait(Duration.ofMillis(20))
                .retry(dev.tributary.core.RetryPolicy.noRetry())
                .handler(tracing.handler(client, m -> {
                    calls.incrementAndGet();
                    throw new IllegalStateException("nope");
                }))
                .build();
        p.start();
        try {
            await(
                    "a failed process span",
                    () -> exporter.getFinishedSpanItems().stream()
                            .anyMatch(s -> s.getName().startsWith("process ")
                                    && s.getStatus().getStatusCode() == StatusCode.ERROR));
        } finally {
            p.stop(Duration.ofSeconds(5));
        }
        SpanData process = exporter.getFinishedSpanItems().stream()
                .filter(s -> s.getName().startsWith("process "))
                .findFirst()
                .orElseThrow();
        assertEquals(
                IllegalStateException.class.getName(), process.getAttributes().get(MessagingConventions.ERROR_TYPE));
        assertTrue(process.getEvents().stream().anyMatch(e -> e.getName().equals("exception")));
    }

    @Test
    void aBatchSpanLinksEveryEventsContext() throws Exception {
        List<String> traces = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            traces.add(appendInsideAParentSpan("b" + i).getTraceId());
        }
        Set<String> sendSpans = exporter.getFinishedSpanItems().stream()
                .filter(s -> s.getName().startsWith("send "))
                .map(SpanData::getSpanId)
                .collect(Collectors.toSet());
        AtomicInteger handled = new AtomicInteger();
        TailProcessor<String> p = TailProcessor.builder(raw, stream, Codecs.utf8())
                .pollWait(Duration.ofMillis(20))
                .batchHandler(tracing.batchHandler(client, batch -> handled.addAndGet(batch.size())))
                .build();
        p.start();
        try {
            await("three handled", () -> handled.get() == 3);
            await(
                    "process span ended",
                    () -> exporter.getFinishedSpanItems().stream()
                            .anyMatch(s -> s.getName().equals("process " + stream.value())));
        } finally {
            p.stop(Duration.ofSeconds(5));
        }
        SpanData batch = span("process " + stream.value());
        assertEquals(3L, batch.getAttributes().get(MessagingConventions.BATCH_MESSAGE_COUNT));
        Set<String> linkedSpans = batch.getLinks().stream()
                .map(LinkData::getSpanContext)
                .map(SpanContext::getSpanId)
                .collect(Collectors.toSet());
        Set<String> linkedTraces = batch.getLinks().stream()
                .map(LinkData::getSpanContext)
                .map(SpanContext::getTraceId)
                .collect(Collectors.toSet());
        assertEquals(sendSpans, linkedSpans);
        assertEquals(Set.copyOf(traces), linkedTraces);
    }

    @Test
    void theApplicationsOwnTraceparentIsKeptAndLinked() {
        String own = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        StreamRecord record = StreamRecord.builder()
                .payload("x")
                .header("traceparent", own)
                .header("origin", "crm")
                .build();
        Span parent = otel.getTracer("app").spanBuilder("forwarder").startSpan();
        try (Scope ignored = parent.makeCurrent()) {
            client.append(stream, record);
        } finally {
            parent.end();
        }
        StreamEvent stored = raw.range(stream, Position.earliest(), null, 10).get(0);
        assertEquals(List.of(own), stored.headers().all("traceparent"), "kept, not replaced, not doubled");
        assertEquals(
                List.of(new Header("traceparent", own), new Header("origin", "crm")),
                stored.headers().asList());
        SpanData send = span("send " + stream.value());
        assertEquals(parent.getSpanContext().getSpanId(), send.getParentSpanId());
        assertEquals(1, send.getLinks().size());
        assertEquals("b7ad6b7169203331", send.getLinks().get(0).getSpanContext().getSpanId());
    }

    @Test
    void existingHeadersComeFirstAndBaggageTravelsWhenSet() {
        StreamRecord record =
                StreamRecord.builder().payload("x").header("type", "created").build();
        Span parent = otel.getTracer("app").spanBuilder("p").startSpan();
        try (Scope a = parent.makeCurrent();
                Scope b = Baggage.builder().put("tenant", "acme").build().makeCurrent()) {
            client.append(stream, record);
        } finally {
            parent.end();
        }
        StreamEvent stored = raw.range(stream, Position.earliest(), null, 10).get(0);
        assertEquals("type", stored.headers().asList().get(0).key());
        assertTrue(stored.headers().first("traceparent").isPresent());
        assertEquals("tenant=acme", stored.headers().first("baggage").orElseThrow());
        assertEquals("acme", Baggage.fromContext(tracing.extract(stored)).getEntryValue("tenant"));
    }

    @Test
    void withoutACurrentSpanTheSendSpanStartsATraceAndNoBaggageHeaderIsWritten() {
        client.append(stream, StreamRecord.of("x"));
        StreamEvent stored = raw.range(stream, Position.earliest(), null, 10).get(0);
        SpanData send = span("send " + stream.value());
        assertTrue(stored.headers().first("traceparent").orElseThrow().contains(send.getSpanId()));
        assertTrue(stored.headers().first("baggage").isEmpty());
    }

    @Test
    void aBatchAppendIsOneSendSpanWhoseContextEveryRecordCarries() {
        client.appendBatch(stream, List.of(StreamRecord.of("1"), StreamRecord.of("2")));
        SpanData send = span("send " + stream.value());
        assertEquals(2L, send.getAttributes().get(MessagingConventions.BATCH_MESSAGE_COUNT));
        for (StreamEvent e : raw.range(stream, Position.earliest(), null, 10)) {
            assertEquals(
                    send.getSpanId(),
                    Span.fromContext(tracing.extract(e)).getSpanContext().getSpanId());
        }
    }

    @Test
    void aFailedAppendEndsItsSpanWithTheErrorKind() {
        client.close();
        StreamException e = assertThrows(StreamException.class, () -> client.append(stream, StreamRecord.of("x")));
        assertEquals(ErrorKind.CLOSED, e.kind());
        SpanData send = span("send " + stream.value());
        assertEquals(StatusCode.ERROR, send.getStatus().getStatusCode());
        assertEquals("CLOSED", send.getAttributes().get(AttributeKey.stringKey("error.type")));
    }

    @Test
    void aGroupPollRecordsTheGroupAndTheBatchSize() {
        client.createStream(stream);
        client.createGroup(stream, "g", GroupOptions.defaults());
        appendInsideAParentSpan("1");
        appendInsideAParentSpan("2");
        try (var c = client.openGroupConsumer(stream, "g", "m")) {
            assertEquals(2, c.poll(10, Duration.ZERO).size());
        }
        SpanData receive = span("receive " + stream.value());
        assertEquals("g", receive.getAttributes().get(MessagingConventions.CONSUMER_GROUP_NAME));
        assertEquals(2L, receive.getAttributes().get(MessagingConventions.BATCH_MESSAGE_COUNT));
        assertEquals(2, receive.getLinks().size());
        assertEquals(SpanContext.getInvalid().getSpanId(), receive.getParentSpanId(), "two traces: no parent");
    }
}
