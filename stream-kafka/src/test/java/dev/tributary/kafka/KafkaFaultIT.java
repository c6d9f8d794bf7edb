package dev.tributary.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.GroupConsumer;
import dev.tributary.GroupOptions;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamClients;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import dev.tributary.tck.BrokerControl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Faults with the fixture's broker process stopped, killed and frozen. Each test leaves the broker
 * running for the tests after it.
 */
class KafkaFaultIT {
    private static KafkaFixture fixture;
    private static BrokerControl control;

    @BeforeAll
    static void setUp() {
        fixture = KafkaFixture.shared();
        Assumptions.assumeTrue(
                fixture.control().isPresent(), "the broker is not controlled by this run (" + fixture.describe() + ")");
        control = fixture.control().orElseThrow();
    }

    @AfterEach
    void brokerRunsAgain() {
        control.resume();
        control.start();
    }

    private static Duration requestTimeout() {
        return fixture.config().requestTimeout();
    }

    @Test
    void stoppedBrokerAppendsFailRetryableWithinTheTimeoutAndRecover() {
        StreamName s = KafkaClientIT.fresh("f1");
        try (StreamClient c = StreamClients.open(fixture.config())) {
            c.createStream(s);
            c.append(s, StreamRecord.of("before"));
            control.stop();
            long t0 = System.nanoTime();
            StreamException e = assertThrowsStream(() -> c.append(s, StreamRecord.of("while down")));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertEquals(ErrorKind.RETRYABLE, e.kind(), "nothing can have been sent to a stopped broker: " + e);
            assertTrue(ms < requestTimeout().toMillis() + 3_000, "failed after " + ms + " ms");
            StreamException info = assertThrowsStream(() -> c.info(s));
            assertTrue(info.isRetryable(), info.toString());
            control.start();
            EventId id = eventually(() -> c.append(s, StreamRecord.of("after")));
            assertEquals(EventId.ofSequence(1), id, "the failed append stored nothing");
            assertEquals(2, c.range(s, Position.earliest(), null, 10).size());
        }
    }

    @Test
    void frozenBrokerCallsFailThenRecoverAndCloseIsBounded() {
        StreamName s = KafkaClientIT.fresh("f3");
        StreamClient other = StreamClients.open(fixture.config());
        try (StreamClient c = StreamClients.open(fixture.config())) {
            c.createStream(s);
            c.append(s, StreamRecord.of("before"));
            other.append(s, StreamRecord.of("other"));
            control.pause();
            long t0 = System.nanoTime();
            StreamException e = assertThrowsStream(() -> c.append(s, StreamRecord.of("while frozen")));
            assertTrue(e.kind() == ErrorKind.INDETERMINATE || e.isRetryable(), e.toString());
            assertTrue(System.nanoTime() - t0
                    < TimeUnit.SECONDS.toNanos(requestTimeout().toSeconds() + 3));
            assertTrue(assertThrowsStream(() -> c.info(s)).isRetryable());
            long c0 = System.nanoTime();
            other.close();
            long closeMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - c0);
            assertTrue(closeMs < 5_000, "close took " + closeMs + " ms with the broker frozen");
            control.resume();
            eventually(() -> c.append(s, StreamRecord.of("after")));
            List<StreamEvent> all = c.range(s, Position.earliest(), null, 10);
            assertTrue(all.size() >= 3, all.toString());
        } finally {
            other.close();
        }
    }

    @Test
    void killedAndRestartedBrokerLosesNoAcknowledgedAppend() throws Exception {
        StreamName s = KafkaClientIT.fresh("f2");
        try (StreamClient c = StreamClients.open(fixture.config())) {
            c.createStream(s);
            c.createGroup(s, "g", GroupOptions.defaults().withAckTimeout(Duration.ofSeconds(2)));
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            Map<String, Integer> delivered = new ConcurrentHashMap<>();
            AtomicBoolean producing = new AtomicBoolean(true);
            AtomicBoolean consuming = new AtomicBoolean(true);
            AtomicInteger indeterminate = new AtomicInteger();
            ExecutorService ex = Executors.newFixedThreadPool(5);
            List<Future<?>> producers = new ArrayList<>();
            for (int p = 0; p < 4; p++) {
                int pp = p;
                producers.add(ex.submit(() -> {
                    int i = 0;
                    while (producing.get()) {
                        String key = "p" + pp + "/" + i;
                        try {
                            c.append(s, StreamRecord.of(key));
                            acknowledged.add(key);
                            i++;
                        } catch (StreamException e) {
                            if (e.kind() == ErrorKind.INDETERMINATE) {
                                indeterminate.incrementAndGet();
                            } else if (!e.isRetryable()) {
                                throw e;
                            }
                            sleep(100);
                        }
                    }
                    return null;
                }));
            }
            Future<?> consumer = ex.submit(() -> {
                try (GroupConsumer m = c.openGroupConsumer(s, "g", "m")) {
                    while (consuming.get()) {
                        try {
                            List<StreamEvent> got = m.poll(500, Duration.ofMillis(300));
                            for (StreamEvent e : got) {
                                delivered.merge(e.payloadAsString(), 1, Integer::sum);
                            }
                            if (!got.isEmpty()) {
                                m.ack(got.stream().map(StreamEvent::id).toList());
                            }
                        } catch (StreamException e) {
                            if (!e.isRetryable()) {
                                throw e;
                            }
                            sleep(100);
                        }
                    }
                }
                return null;
            });
            Thread.sleep(1_500);
            control.kill();
            Thread.sleep(1_000);
            control.start();
            Thread.sleep(2_000);
            producing.set(false);
            for (Future<?> f : producers) {
                f.get(60, TimeUnit.SECONDS);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!delivered.keySet().containsAll(acknowledged) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            consuming.set(false);
            consumer.get(30, TimeUnit.SECONDS);
            ex.shutdown();
            List<String> lost = acknowledged.stream()
                    .filter(k -> !delivered.containsKey(k))
                    .sorted()
                    .toList();
            long duplicates = delivered.values().stream().filter(n -> n > 1).count();
            System.out.println("F2: acknowledged=" + acknowledged.size() + " delivered=" + delivered.size()
                    + " duplicates=" + duplicates + " indeterminate=" + indeterminate.get() + " lost=" + lost.size());
            assertTrue(acknowledged.size() > 100, "producers made progress: " + acknowledged.size());
            assertEquals(List.of(), lost, "every acknowledged append is delivered");
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static StreamException assertThrowsStream(Runnable r) {
        try {
            r.run();
        } catch (StreamException e) {
            return e;
        }
        return fail("expected a StreamException");
    }

    private static <T> T eventually(java.util.function.Supplier<T> call) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        StreamException last = null;
        while (System.nanoTime() < deadline) {
            try {
                return call.get();
            } catch (StreamException e) {
                if (!e.isRetryable() && e.kind() != ErrorKind.INDETERMINATE) {
                    throw e;
                }
                last = e;
                sleep(200);
            }
        }
        throw new AssertionError("no recovery within 60 s", last);
    }
}
