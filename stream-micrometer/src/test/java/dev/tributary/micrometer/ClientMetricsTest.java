package dev.tributary.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.GroupConsumer;
import dev.tributary.GroupOptions;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamReader;
import dev.tributary.StreamRecord;
import dev.tributary.spi.ForwardingStreamClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClientMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final StreamClient raw = Testing.memory();
    private final StreamClient client = TributaryMetrics.instrument(raw, registry);
    private final StreamName stream = Testing.fresh("orders");

    @AfterEach
    void tearDown() {
        client.close();
    }

    private Counter counter(String name, String... tags) {
        return registry.get(name).tags(tags).counter();
    }

    private Timer timer(String name, String... tags) {
        return registry.get(name).tags(tags).timer();
    }

    @Test
    void aThousandAppendsCountAThousandRecordsAndAThousandTimerSamples() {
        List<CompletableFuture<EventId>> futures = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            futures.add(client.appendAsync(stream, StreamRecord.of("r" + i)));
        }
        futures.forEach(CompletableFuture::join);
        String s = stream.value();
        assertEquals(
                1000,
                counter(TributaryMeters.APPEND_RECORDS, "backend", "memory", "stream", s)
                        .count());
        Timer t = timer(TributaryMeters.APPEND, "backend", "memory", "stream", s, "outcome", "success");
        assertEquals(1000, t.count());
        assertEquals(0, t.takeSnapshot().percentileValues().length, "percentiles are opt-in");
        Gauge inFlight = registry.get(TributaryMeters.APPEND_IN_FLIGHT)
                .tags("backend", "memory")
                .gauge();
        assertEquals(0, inFlight.value());
        assertNull(registry.find(TributaryMeters.APPEND_FAILURES).counter());
    }

    @Test
    void aBatchCountsEachRecordAndOneTimerSample() {
        client.appendBatch(stream, List.of(StreamRecord.of("a"), StreamRecord.of("b"), StreamRecord.of("c")));
        assertEquals(
                3,
                counter(TributaryMeters.APPEND_RECORDS, "stream", stream.value())
                        .count());
        assertEquals(
                1,
                timer(TributaryMeters.APPEND, "stream", stream.value(), "outcome", "success")
                        .count());
    }

    @Test
    void aRecordBeyondTheLimitsIsCountedAsTooLargeAndNotTimed() {
        byte[] big = new byte[client.limits().maxPayloadBytes() + 1];
        StreamException e = assertThrows(StreamException.class, () -> client.appendAsync(stream, StreamRecord.of(big)));
        assertEquals(ErrorKind.TOO_LARGE, e.kind());
        assertEquals(
                1,
                counter(TributaryMeters.APPEND_FAILURES, "stream", stream.value(), "kind", "TOO_LARGE")
                        .count());
        assertNull(registry.find(TributaryMeters.APPEND).tags("outcome", "failure").timers().stream()
                .filter(t -> t.count() > 0)
                .findAny()
                .orElse(null));
    }

    @Test
    void anAppendAfterCloseIsCountedAsClosed() {
        client.close();
        StreamException e = assertThrows(StreamException.class, () -> client.append(stream, StreamRecord.of("x")));
        assertEquals(ErrorKind.CLOSED, e.kind());
        assertEquals(
                1, counter(TributaryMeters.APPEND_FAILURES, "kind", "CLOSED").count());
    }

    @Test
    void anIoFailureIsTimedAndCountedByKindAndKeepsItsException() {
        StreamException boom = new StreamException(ErrorKind.RETRYABLE, "connection reset");
        StreamClient failing = new ForwardingStreamClient(Testing.memory()) {
            @Override
            public CompletableFuture<EventId> appendAsync(StreamName s, StreamRecord r) {
                return CompletableFuture.failedFuture(boom);
            }
        };
        StreamClient metered = TributaryMetrics.builder(registry).build().instrument(failing);
        try {
            CompletableFuture<EventId> f = metered.appendAsync(stream, StreamRecord.of("x"));
            CompletionException ce = assertThrows(CompletionException.class, f::join);
            assertSame(boom, ce.getCause());
            assertSame(boom, f.handle((v, t) -> t).join(), "the future fails with the backend's exception itself");
            assertEquals(
                    1,
                    counter(TributaryMeters.APPEND_FAILURES, "kind", "RETRYABLE")
                            .count());
            assertEquals(1, timer(TributaryMeters.APPEND, "outcome", "failure").count());
        } finally {
            metered.close();
        }
    }

    @Test
    void eventsReadByAReaderAreCountedWithoutAGroup() {
        for (int i = 0; i < 7; i++) {
            client.append(stream, StreamRecord.of("e" + i));
        }
        try (StreamReader r = client.openReader(stream, Position.earliest())) {
            assertEquals(5, r.poll(5, Duration.ZERO).size());
            assertEquals(2, r.poll(5, Duration.ZERO).size());
        }
        assertEquals(
                7,
                counter(TributaryMeters.READ_EVENTS, "stream", stream.value(), "group", TributaryMeters.NONE)
                        .count());
    }

    @Test
    void groupReadsAcksAndNacksAreCountedPerGroup() {
        client.createStream(stream);
        client.createGroup(stream, "billing", GroupOptions.defaults());
        for (int i = 0; i < 6; i++) {
            client.append(stream, StreamRecord.of("e" + i));
        }
        try (GroupConsumer c = client.openGroupConsumer(stream, "billing", "m1")) {
            List<StreamEvent> events = c.poll(6, Duration.ZERO);
            assertEquals(6, events.size());
            c.ack(events.get(0).id(), events.get(1).id(), events.get(2).id());
            c.ack(events.get(0).id()); // again: unknown
            c.nack(List.of(events.get(3).id()));
        }
        String[] tags = {"stream", stream.value(), "group", "billing"};
        assertEquals(6, counter(TributaryMeters.READ_EVENTS, tags).count());
        assertEquals(3, counter(TributaryMeters.ACKS, tags).count());
        assertEquals(1, counter(TributaryMeters.ACKS_UNKNOWN, tags).count());
        assertEquals(1, counter(TributaryMeters.NACKS, tags).count());
    }

    @Test
    void aPollOfAMissingGroupIsCountedAsAReadFailure() {
        client.createStream(stream);
        StreamException e = assertThrows(StreamException.class, () -> {
            try (GroupConsumer c = client.openGroupConsumer(stream, "nobody", "m1")) {
                c.poll(1, Duration.ZERO);
            }
        });
        assertEquals(ErrorKind.NOT_FOUND, e.kind());
        // openGroupConsumer may already fail on some backends; the memory backend fails the poll
        Counter failures = registry.find(TributaryMeters.READ_FAILURES)
                .tags("kind", "NOT_FOUND")
                .counter();
        if (failures != null) {
            assertEquals(1, failures.count());
        }
    }

    @Test
    void percentilesArePublishedWhenConfigured() {
        StreamClient withPercentiles = TributaryMetrics.builder(registry)
                .percentiles(0.5, 0.99)
                .build()
                .instrument(Testing.memory());
        try {
            StreamName s = Testing.fresh("pct");
            withPercentiles.append(s, StreamRecord.of("x"));
            Timer t = timer(TributaryMeters.APPEND, "stream", s.value(), "outcome", "success");
            assertEquals(2, t.takeSnapshot().percentileValues().length);
        } finally {
            withPercentiles.close();
        }
    }

    @Test
    void anAppendStillPendingIsInFlightUntilItCompletes() {
        CompletableFuture<EventId> pending = new CompletableFuture<>();
        SimpleMeterRegistry own = new SimpleMeterRegistry();
        StreamClient slow = TributaryMetrics.instrument(
                new ForwardingStreamClient(Testing.memory()) {
                    @Override
                    public CompletableFuture<EventId> appendAsync(StreamName s, StreamRecord r) {
                        return pending;
                    }
                },
                own);
        try {
            CompletableFuture<EventId> f = slow.appendAsync(stream, StreamRecord.of("x"));
            Gauge inFlight = own.get(TributaryMeters.APPEND_IN_FLIGHT)
                    .tags("backend", "memory")
                    .gauge();
            assertEquals(1, inFlight.value());
            EventId id = raw.append(stream, StreamRecord.of("y"));
            pending.complete(id);
            assertSame(id, f.join());
            assertEquals(0, inFlight.value());
        } finally {
            slow.close();
        }
    }

    @Test
    void streamsBeyondTheCapAreTaggedOther() {
        StreamClient capped =
                TributaryMetrics.builder(registry).maxStreams(2).build().instrument(Testing.memory());
        try {
            for (int i = 0; i < 5; i++) {
                capped.append(StreamName.of("cap-" + i), StreamRecord.of("x"));
                capped.append(StreamName.of("cap-" + i), StreamRecord.of("y"));
            }
            assertEquals(
                    2,
                    counter(TributaryMeters.APPEND_RECORDS, "stream", "cap-0").count());
            assertEquals(
                    2,
                    counter(TributaryMeters.APPEND_RECORDS, "stream", "cap-1").count());
            assertNull(registry.find(TributaryMeters.APPEND_RECORDS)
                    .tags("stream", "cap-2")
                    .counter());
            assertEquals(
                    6,
                    counter(TributaryMeters.APPEND_RECORDS, "stream", TributaryMeters.OTHER)
                            .count());
            long streamTags = registry.find(TributaryMeters.APPEND_RECORDS).counters().stream()
                    .map(c -> c.getId().getTag("stream"))
                    .filter(s -> s.startsWith("cap-") || s.equals("(other)"))
                    .distinct()
                    .count();
            assertEquals(3, streamTags, "two names and (other)");
        } finally {
            capped.close();
        }
    }

    @Test
    void theInFlightGaugeCountsAppendsNotYetCompleted() {
        CompletableFuture<EventId> pending = new CompletableFuture<>();
        StreamClient slow = new ForwardingStreamClient(Testing.memory()) {
            @Override
            public String backend() {
                return "slow";
            }

            @Override
            public CompletableFuture<EventId> appendAsync(StreamName s, StreamRecord r) {
                return pending;
            }
        };
        StreamClient metered = TributaryMetrics.builder(registry).build().instrument(slow);
        try {
            CompletableFuture<EventId> a = metered.appendAsync(stream, StreamRecord.of("1"));
            CompletableFuture<EventId> b = metered.appendAsync(stream, StreamRecord.of("2"));
            Gauge g = registry.get(TributaryMeters.APPEND_IN_FLIGHT)
                    .tags("backend", "slow")
                    .gauge();
            assertEquals(2, g.value());
            pending.complete(EventId.ofSequence(1));
            assertNotNull(a.join());
            assertNotNull(b.join());
            assertEquals(0, g.value());
            assertTrue(timer(TributaryMeters.APPEND, "backend", "slow", "outcome", "success")
                            .count()
                    == 2);
        } finally {
            metered.close();
        }
    }

    @Test
    void closingTheInstrumentedClientClosesTheBackend() {
        client.close();
        StreamException e = assertThrows(StreamException.class, () -> raw.info(stream));
        assertInstanceOf(StreamException.class, e);
        assertEquals(ErrorKind.CLOSED, e.kind());
    }
}
