package dev.tributary.core;

import static dev.tributary.core.TailProcessorTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.StreamClient;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import dev.tributary.core.testing.Events;
import dev.tributary.core.testing.FakeTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The hooks that observability modules build on: onCreated and onHandlerCall. */
class ProcessorListenerHooksTest {
    private final StreamClient client = Events.memory();
    private final StreamName stream = Events.fresh("hooks");
    private final FakeTime time = new FakeTime();

    @AfterEach
    void tearDown() {
        client.close();
    }

    /** Records onCreated and onHandlerCall. */
    static final class Hooks implements ProcessorListener {
        final List<String> created = new CopyOnWriteArrayList<>();
        final List<Integer> callSizes = new CopyOnWriteArrayList<>();
        final List<Throwable> callErrors = new CopyOnWriteArrayList<>();
        final List<Duration> callTimes = new CopyOnWriteArrayList<>();

        @Override
        public void onCreated(String processor, String backend, StreamName s, String group) {
            created.add(processor + "|" + backend + "|" + s.value() + "|" + group);
        }

        @Override
        public void onHandlerCall(String processor, int events, Duration elapsed, Throwable error) {
            callSizes.add(events);
            callErrors.add(error);
            callTimes.add(elapsed);
        }
    }

    @Test
    void aGroupProcessorAnnouncesItsSourceWhenBuilt() {
        Hooks hooks = new Hooks();
        GroupProcessor.builder(client, stream, "billing", Codecs.utf8())
                .listener(hooks)
                .handler(m -> {})
                .build();
        assertEquals(List.of("billing|memory|" + stream.value() + "|billing"), hooks.created);
    }

    @Test
    void aTailProcessorAnnouncesItsSourceWithoutAGroup() {
        Hooks hooks = new Hooks();
        TailProcessor.builder(client, stream, Codecs.utf8())
                .name("audit")
                .listener(hooks)
                .handler(m -> {})
                .build();
        assertEquals(List.of("audit|memory|" + stream.value() + "|null"), hooks.created);
    }

    @Test
    void everyHandlerAttemptIsReportedWithItsOutcome() throws Exception {
        client.append(stream, StreamRecord.of("x"));
        Hooks hooks = new Hooks();
        AtomicInteger calls = new AtomicInteger();
        GroupProcessor<String> p = GroupProcessor.builder(client, stream, "g", Codecs.utf8())
                .listener(hooks)
                .clock(time)
                .sleeper(time)
                .pollWait(Duration.ofMillis(20))
                .handler(m -> {
                    if (calls.incrementAndGet() <= 2) {
                        throw new IllegalStateException("boom");
                    }
                })
                .build();
        assertTrue(p.start());
        try {
            await("three handler calls", () -> hooks.callSizes.size() == 3);
        } finally {
            p.stop(Duration.ofSeconds(5));
        }
        assertEquals(List.of(1, 1, 1), hooks.callSizes);
        assertNotNull(hooks.callErrors.get(0));
        assertNotNull(hooks.callErrors.get(1));
        assertNull(hooks.callErrors.get(2));
        hooks.callTimes.forEach(d -> assertTrue(!d.isNegative()));
    }

    @Test
    void aBatchHandlerCallReportsTheBatchSize() throws Exception {
        for (int i = 0; i < 5; i++) {
            client.append(stream, StreamRecord.of("v" + i));
        }
        Hooks hooks = new Hooks();
        TailProcessor<String> p = TailProcessor.builder(client, stream, Codecs.utf8())
                .listener(hooks)
                .clock(time)
                .sleeper(time)
                .pollWait(Duration.ofMillis(20))
                .batchHandler(batch -> {})
                .build();
        assertTrue(p.start());
        try {
            await("one batch call", () -> !hooks.callSizes.isEmpty());
        } finally {
            p.stop(Duration.ofSeconds(5));
        }
        assertEquals(5, hooks.callSizes.get(0));
        assertNull(hooks.callErrors.get(0));
    }
}
