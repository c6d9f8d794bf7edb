package dev.tributary.micrometer;

import static dev.tributary.micrometer.Testing.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.StreamClient;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import dev.tributary.core.Backoff;
import dev.tributary.core.Codecs;
import dev.tributary.core.GroupProcessor;
import dev.tributary.core.ProcessorState;
import dev.tributary.core.RetryPolicy;
import dev.tributary.core.Sleeper;
import dev.tributary.core.TailProcessor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProcessorMetricsTest {
    private static final Sleeper NO_WAIT = d -> {};

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final TributaryMetrics metrics = TributaryMetrics.builder(registry).build();
    private final StreamClient client = metrics.instrument(Testing.memory());
    private final StreamName stream = Testing.fresh("jobs");

    @AfterEach
    void tearDown() {
        client.close();
    }

    /** The sum of every counter of that name carrying those tags (others may differ in further tags). */
    private double count(String name, String... tags) {
        return registry.find(name).tags(tags).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    private double state(String processor, ProcessorState s) {
        return registry.get(TributaryMeters.PROCESSOR_STATE)
                .tags("processor", processor, "state", s.name())
                .gauge()
                .value();
    }

    @Test
    void aHandlerThatFailsTwiceThenSucceedsCountsTwoRetriesAndOneHandled() throws Exception {
        client.append(stream, StreamRecord.of("job"));
        AtomicInteger calls = new AtomicInteger();
        GroupProcessor<String> p = GroupProcessor.builder(client, stream, "workers", Codecs.utf8())
                .listener(metrics.processorListener())
                .sleeper(NO_WAIT)
                .pollWait(Duration.ofMillis(20))
                .handler(m -> {
                    if (calls.incrementAndGet() <= 2) {
                        throw new IllegalStateException("not yet");
                    }
                })
                .build();
        assertEquals(1, state("workers", ProcessorState.NEW));
        p.start();
        try {
            await("handled", () -> count(TributaryMeters.PROCESSOR_HANDLED, "processor", "workers") == 1);
            assertEquals(1, state("workers", ProcessorState.RUNNING));
            assertEquals(0, state("workers", ProcessorState.NEW));
        } finally {
            p.stop(Duration.ofSeconds(5));
        }
        String[] tags = {"processor", "workers", "backend", "memory", "stream", stream.value(), "group", "workers"};
        assertEquals(1, count(TributaryMeters.PROCESSOR_HANDLED, tags));
        assertEquals(2, count(TributaryMeters.PROCESSOR_RETRIED, "processor", "workers", "operation", "handler"));
        assertEquals(2, count(TributaryMeters.PROCESSOR_FAILED, tags));
        assertEquals(0, count(TributaryMeters.PROCESSOR_DEAD_LETTERED, "processor", "workers"));
        assertEquals(
                1,
                registry.get(TributaryMeters.PROCESSOR_HANDLER)
                        .tags("outcome", "success")
                        .timer()
                        .count());
        assertEquals(
                2,
                registry.get(TributaryMeters.PROCESSOR_HANDLER)
                        .tags("outcome", "failure")
                        .timer()
                        .count());
        assertEquals(1, state("workers", ProcessorState.STOPPED));
        assertEquals(0, state("workers", ProcessorState.RUNNING));
        // the consumer inside the processor goes through the instrumented client too
        assertEquals(1, count(TributaryMeters.ACKS, "stream", stream.value(), "group", "workers"));
    }

    @Test
    void deadLettersAreCountedByReason() throws Exception {
        client.append(stream, StreamRecord.of("poison"));
        client.append(stream, StreamRecord.of(new byte[] {(byte) 0xC3, (byte) 0x28})); // not UTF-8
        client.append(stream, StreamRecord.of("fine"));
        GroupProcessor<String> p = GroupProcessor.builder(client, stream, "dl", Codecs.utf8())
                .listener(metrics.processorListener())
                .sleeper(NO_WAIT)
                .retry(RetryPolicy.of(2, Backoff.exponential(Duration.ofMillis(1), Duration.ofMillis(1))))
                .pollWait(Duration.ofMillis(20))
                .handler(m -> {
                    if (m.value().equals("poison")) {
                        throw new IllegalArgumentException("poison");
                    }
                })
                .build();
        p.start();
        try {
            await(
                    "all three done",
                    () -> count(TributaryMeters.PROCESSOR_HANDLED, "processor", "dl") == 1
                            && count(TributaryMeters.PROCESSOR_DEAD_LETTERED, "processor", "dl") == 2);
        } finally {
            p.stop(Duration.ofSeconds(5));
        }
        assertEquals(1, count(TributaryMeters.PROCESSOR_DEAD_LETTERED, "processor", "dl", "reason", "handler"));
        assertEquals(1, count(TributaryMeters.PROCESSOR_DEAD_LETTERED, "processor", "dl", "reason", "decode"));
        assertEquals(1, count(TributaryMeters.PROCESSOR_RETRIED, "processor", "dl", "operation", "handler"));
        assertEquals(2, count(TributaryMeters.PROCESSOR_FAILED, "processor", "dl"));
        // the dead letters themselves are appends through the instrumented client
        assertEquals(2, count(TributaryMeters.APPEND_RECORDS, "stream", stream.value() + "-dlq"));
    }

    @Test
    void aTailProcessorCountsHandledAndFilteredAndReportsItsLag() throws Exception {
        for (int i = 0; i < 10; i++) {
            client.append(stream, StreamRecord.of(i % 2 == 0 ? "keep" : "drop"));
        }
        TailProcessor<String> p = TailProcessor.builder(client, stream, Codecs.utf8())
                .name("audit")
                .listener(metrics.processorListener())
                .filter(e -> e.payloadAsString().equals("keep"))
                .lagInterval(Duration.ofMillis(1))
                .pollWait(Duration.ofMillis(20))
                .handler(m -> {})
                .build();
        p.start();
        try {
            await("handled", () -> count(TributaryMeters.PROCESSOR_HANDLED, "processor", "audit") == 5);
            await(
                    "lag 0",
                    () -> registry.get(TributaryMeters.PROCESSOR_LAG)
                                    .tags("processor", "audit")
                                    .gauge()
                                    .value()
                            == 0);
        } finally {
            p.stop(Duration.ofSeconds(5));
        }
        assertEquals(5, count(TributaryMeters.PROCESSOR_FILTERED, "processor", "audit", "group", TributaryMeters.NONE));
        Search events = registry.find(TributaryMeters.READ_EVENTS).tags("stream", stream.value());
        assertEquals(10, events.counter().count());
        assertTrue(registry.get(TributaryMeters.PROCESSOR_HANDLER)
                        .tags("processor", "audit", "outcome", "success")
                        .timer()
                        .count()
                >= 5);
    }

    @Test
    void processorsBeyondTheStreamCapShareTheOtherTag() {
        TributaryMetrics capped = TributaryMetrics.builder(new SimpleMeterRegistry())
                .maxStreams(1)
                .build();
        var listener = capped.processorListener();
        for (int i = 0; i < 3; i++) {
            TailProcessor.builder(client, StreamName.of("s" + i), Codecs.utf8())
                    .name("p" + i)
                    .listener(listener)
                    .handler(m -> {})
                    .build();
        }
        var r = capped.registry();
        assertEquals(
                1,
                r.get(TributaryMeters.PROCESSOR_STATE)
                        .tags("processor", "p0", "stream", "s0", "state", "NEW")
                        .gauge()
                        .value());
        assertEquals(
                1,
                r.get(TributaryMeters.PROCESSOR_STATE)
                        .tags("processor", "p2", "stream", "(other)", "state", "NEW")
                        .gauge()
                        .value());
    }
}
