package dev.tributary.core;

import static dev.tributary.core.TailProcessorTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.Capability;
import dev.tributary.ErrorKind;
import dev.tributary.GroupConsumer;
import dev.tributary.GroupInfo;
import dev.tributary.GroupOptions;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import dev.tributary.core.testing.Events;
import dev.tributary.spi.ForwardingStreamClient;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GroupProcessorTest extends GroupProcessorHarness {
    GroupProcessorTest() {
        super("grp");
    }

    @Test
    void everyEventIsHandledAndAckedAfterSuccess() throws Exception {
        for (int i = 0; i < 40; i++) {
            client.append(stream, StreamRecord.of("v" + i));
        }
        List<String> seen = new CopyOnWriteArrayList<>();
        GroupProcessor<String> p =
                start(builder(client).handler(m -> seen.add(m.value())).build());
        await("40 events", () -> seen.size() == 40);
        await("all acked", () -> client.groupInfo(stream, "workers").pending() == 0);
        p.stop();
        assertEquals(ProcessorState.STOPPED, p.state());
        assertEquals("v0", seen.get(0));
    }

    @Test
    void aFailingHandlerIsRetriedThenDeadLetteredWithTheGroupAndAcked() throws Exception {
        client.append(stream, StreamRecord.of("good1"));
        client.append(stream, StreamRecord.of("bad"));
        client.append(stream, StreamRecord.of("good2"));
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicInteger badCalls = new AtomicInteger();
        StreamName dlq = Events.fresh("grp-dead");
        start(builder(client)
                .retry(RetryPolicy.of(4, Backoff.exponential(Duration.ofMillis(500), Duration.ofSeconds(1))))
                .deadLetters(DeadLetterPolicy.toStream(dlq))
                .handler(m -> {
                    if (m.value().equals("bad")) {
                        badCalls.incrementAndGet();
                        throw new RuntimeException("nope");
                    }
                    seen.add(m.value());
                })
                .build());
        await("good ones", () -> seen.size() == 2);
        await("dead letter", () -> client.info(dlq).length() == 1);
        await("all acked", () -> client.groupInfo(stream, "workers").pending() == 0);
        assertEquals(4, badCalls.get());
        StreamEvent d = client.range(dlq, Position.earliest(), null, 10).get(0);
        assertEquals("workers", d.headers().first(DeadLetterPolicy.HEADER_GROUP).orElseThrow());
        assertEquals("4", d.headers().first(DeadLetterPolicy.HEADER_ATTEMPTS).orElseThrow());
        assertTrue(
                d.headers().first(DeadLetterPolicy.HEADER_ERROR).orElseThrow().contains("nope"));
        assertEquals(3, recorder.retryOps.size());
    }

    @Test
    void concurrencyKeepsPerKeyOrder() throws Exception {
        int keys = 6;
        int perKey = 60;
        for (int i = 0; i < perKey; i++) {
            for (int k = 0; k < keys; k++) {
                client.append(
                        stream,
                        StreamRecord.builder()
                                .key("k" + k)
                                .payload(Integer.toString(i))
                                .build());
            }
        }
        Map<String, List<Integer>> byKey = new ConcurrentHashMap<>();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        AtomicInteger total = new AtomicInteger();
        start(builder(client)
                .concurrency(4)
                .batchSize(50)
                .handler(m -> {
                    threads.add(Thread.currentThread().getName());
                    byKey.computeIfAbsent(m.key(), k -> new CopyOnWriteArrayList<>())
                            .add(Integer.parseInt(m.value()));
                    Thread.sleep(1);
                    total.incrementAndGet();
                })
                .build());
        await("every event", () -> total.get() == keys * perKey);
        for (Map.Entry<String, List<Integer>> e : byKey.entrySet()) {
            List<Integer> got = e.getValue();
            for (int i = 0; i < got.size(); i++) {
                assertEquals(i, got.get(i), "key " + e.getKey() + " out of order: " + got);
            }
        }
        assertTrue(threads.size() > 1, "handlers ran on several lanes: " + threads);
    }

    @Test
    void readsNoMoreThanMaxInFlightAtOnce() throws Exception {
        for (int i = 0; i < 30; i++) {
            client.append(stream, StreamRecord.of("m" + i));
        }
        AtomicInteger maxAsked = new AtomicInteger();
        StreamClient observing = new ForwardingStreamClient(client) {
            @Override
            public GroupConsumer openGroupConsumer(StreamName s, String group, String member) {
                GroupConsumer c = super.openGroupConsumer(s, group, member);
                return new GroupConsumer() {
                    public StreamName stream() {
                        return c.stream();
                    }

                    public String group() {
                        return c.group();
                    }

                    public String member() {
                        return c.member();
                    }

                    public List<StreamEvent> poll(int maxCount, Duration wait) {
                        maxAsked.accumulateAndGet(maxCount, Math::max);
                        return c.poll(maxCount, wait);
                    }

                    public dev.tributary.AckResult ack(java.util.Collection<dev.tributary.EventId> ids) {
                        return c.ack(ids);
                    }

                    public void nack(java.util.Collection<dev.tributary.EventId> ids) {
                        c.nack(ids);
                    }

                    public void close() {
                        c.close();
                    }
                };
            }
        };
        AtomicInteger total = new AtomicInteger();
        start(builder(observing)
                .maxInFlight(7)
                .handler(m -> total.incrementAndGet())
                .build());
        await("all", () -> total.get() == 30);
        assertEquals(7, maxAsked.get());
    }

    @Test
    void readsTheNextBatchWhileTheHandlerRunsAndNeverMoreThanMaxInFlight() throws Exception {
        for (int i = 0; i < 30; i++) {
            client.append(stream, StreamRecord.of("m" + i));
        }
        client.createGroup(stream, "workers", GroupOptions.defaults()); // asked for before the loop makes it
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger total = new AtomicInteger();
        start(builder(client)
                .batchSize(10)
                .maxInFlight(15)
                .readAhead(true)
                .handler(m -> {
                    if (total.getAndIncrement() == 0) {
                        release.await(10, TimeUnit.SECONDS);
                    }
                })
                .build());
        // the first batch (10) waits in its handler; 5 more are read ahead, what the bound leaves
        await("read ahead", () -> client.groupInfo(stream, "workers").pending() == 15);
        Thread.sleep(200);
        assertEquals(15, client.groupInfo(stream, "workers").pending(), "no more than maxInFlight read");
        release.countDown();
        await("all", () -> total.get() == 30);
        await("all acked", () -> client.groupInfo(stream, "workers").pending() == 0);
    }

    @Test
    void byDefaultTheNextReadWaitsForTheAcks() throws Exception {
        for (int i = 0; i < 30; i++) {
            client.append(stream, StreamRecord.of("m" + i));
        }
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger total = new AtomicInteger();
        start(builder(client)
                .batchSize(10)
                .handler(m -> {
                    if (total.getAndIncrement() == 0) {
                        inHandler.countDown();
                        release.await(10, TimeUnit.SECONDS);
                    }
                })
                .build());
        assertTrue(inHandler.await(10, TimeUnit.SECONDS));
        Thread.sleep(200);
        assertEquals(10, client.groupInfo(stream, "workers").pending(), "one batch read, nothing ahead");
        release.countDown();
        await("all", () -> total.get() == 30);
    }

    @Test
    void aBatchReadAheadWhenTheProcessorStopsIsGivenBackAndDeliveredAgainAtOnce() throws Exception {
        for (int i = 0; i < 30; i++) {
            client.append(stream, StreamRecord.of("m" + i));
        }
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        GroupProcessor<String>[] self = new GroupProcessor[1];
        self[0] = builder(client)
                .batchSize(10)
                .readAhead(true)
                .handler(m -> {
                    seen.add(m.value());
                    if (calls.getAndIncrement() == 0) {
                        await(
                                "read ahead",
                                () -> client.groupInfo(stream, "workers").pending() == 20);
                        self[0].stop(); // from the handler: the loop stops after this batch
                    }
                })
                .build();
        GroupProcessor<String> p = start(self[0]);
        assertTrue(p.awaitTermination(Duration.ofSeconds(10)));
        assertEquals(ProcessorState.STOPPED, p.state());
        assertEquals(10, seen.size(), "only the first batch was handed over");
        // the second batch was nacked, not left to its 30 s ack timeout: another member gets it now
        try (GroupConsumer next = client.openGroupConsumer(stream, "workers", "next")) {
            List<StreamEvent> again = next.poll(10, Duration.ofSeconds(2));
            assertEquals(10, again.size());
            assertEquals("m10", new String(again.get(0).payload(), java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(2, again.get(0).deliveryCount());
        }
    }

    @Test
    void aGroupLostBetweenThePollAndTheAckIsAGapNotAPlainFailure() throws Exception {
        client.append(stream, StreamRecord.of("m0"));
        StreamClient losing = new ForwardingStreamClient(client) {
            @Override
            public GroupConsumer openGroupConsumer(StreamName s, String group, String member) {
                return new dev.tributary.spi.ForwardingGroupConsumer(super.openGroupConsumer(s, group, member)) {
                    @Override
                    public dev.tributary.AckResult ack(java.util.Collection<dev.tributary.EventId> ids) {
                        throw new StreamException(ErrorKind.DATA_LOSS, "the broker lost the group");
                    }
                };
            }
        };
        GroupProcessor<String> p = start(builder(losing).handler(m -> {}).build());
        assertTrue(p.awaitTermination(Duration.ofSeconds(10)));
        assertEquals(ProcessorState.FAILED, p.state());
        assertEquals(ErrorKind.DATA_LOSS, ((StreamException) p.failure().orElseThrow()).kind());
        assertEquals(1, recorder.gaps.size(), "the listener heard onGap before the processor failed");
    }

    @Test
    void aBackendWithoutConsumerGroupsFailsTheProcessorWithUnsupportedAtOnce() throws Exception {
        AtomicInteger creates = new AtomicInteger();
        StreamClient noGroups = new ForwardingStreamClient(client) {
            @Override
            public Set<Capability> capabilities() {
                EnumSet<Capability> caps = EnumSet.copyOf(super.capabilities());
                caps.remove(Capability.CONSUMER_GROUPS);
                return caps;
            }

            @Override
            public void createGroup(StreamName s, String group, GroupOptions options) {
                creates.incrementAndGet();
                throw StreamException.unsupported(Capability.CONSUMER_GROUPS, backend());
            }
        };
        GroupProcessor<String> p = start(builder(noGroups).handler(m -> {}).build());
        assertTrue(p.awaitTermination(Duration.ofSeconds(10)));
        assertEquals(ProcessorState.FAILED, p.state());
        assertEquals(ErrorKind.UNSUPPORTED, ((StreamException) p.failure().orElseThrow()).kind());
        assertEquals(1, creates.get(), "no retry loop");
        assertTrue(recorder.retryOps.isEmpty());
    }

    @Test
    void aBatchHandlerFailureFallsBackToSingleEventsSoOnlyThePoisonIsDeadLettered() throws Exception {
        for (int i = 0; i < 5; i++) {
            client.append(stream, StreamRecord.of(i == 3 ? "poison" : "ok" + i));
        }
        List<String> handled = new CopyOnWriteArrayList<>();
        start(builder(client)
                .retry(RetryPolicy.of(2, Backoff.exponential(Duration.ofMillis(10), Duration.ofMillis(10))))
                .batchHandler(batch -> {
                    for (Message<String> m : batch) {
                        if (m.value().equals("poison")) {
                            throw new IllegalStateException("poison in batch");
                        }
                    }
                    batch.forEach(m -> handled.add(m.value()));
                })
                .build());
        await(
                "dead letter",
                () -> client.info(DeadLetterPolicy.defaultName(stream)).length() == 1);
        await("acked", () -> client.groupInfo(stream, "workers").pending() == 0);
        assertEquals(List.of("ok0", "ok1", "ok2", "ok4"), handled);
    }

    @Test
    void stopFromAHandlerOnALaneReturnsAtOnceAndTheBatchIsAcked() throws Exception {
        for (int i = 0; i < 40; i++) {
            client.append(
                    stream,
                    StreamRecord.builder().key("k" + (i % 8)).payload("v" + i).build());
        }
        AtomicInteger handled = new AtomicInteger();
        List<Long> stopMillis = new CopyOnWriteArrayList<>();
        GroupProcessor<String> p = start(builder(client)
                .concurrency(4)
                .batchSize(100)
                .handler(m -> {
                    if (handled.incrementAndGet() == 1) {
                        long t0 = System.nanoTime();
                        assertTrue(m.processor().stop());
                        stopMillis.add((System.nanoTime() - t0) / 1_000_000);
                    }
                })
                .build());
        assertTrue(p.awaitTermination(Duration.ofSeconds(10)));
        assertEquals(ProcessorState.STOPPED, p.state());
        assertTrue(stopMillis.get(0) < 1000, "stop() from a lane returned at once: " + stopMillis);
        assertEquals(40, handled.get(), "the batch in hand was finished");
        assertEquals(0, client.groupInfo(stream, "workers").pending(), "and acked");
    }

    @Test
    void anUndecodablePayloadIsDeadLetteredAtOnceAndAcked() throws Exception {
        client.append(stream, StreamRecord.of("fine"));
        client.append(stream, StreamRecord.of(new byte[] {(byte) 0xFE, (byte) 0xFF}));
        List<String> seen = new CopyOnWriteArrayList<>();
        start(builder(client).handler(m -> seen.add(m.value())).build());
        StreamName dlq = DeadLetterPolicy.defaultName(stream);
        await("dead letter", () -> client.info(dlq).length() == 1);
        await("acked", () -> client.groupInfo(stream, "workers").pending() == 0);
        assertEquals(List.of("fine"), seen);
        StreamEvent d = client.range(dlq, Position.earliest(), null, 10).get(0);
        assertEquals("decode", d.headers().first(DeadLetterPolicy.HEADER_REASON).orElseThrow());
        assertEquals("0", d.headers().first(DeadLetterPolicy.HEADER_ATTEMPTS).orElseThrow());
        assertTrue(recorder.retryOps.isEmpty(), "no handler retry for bytes no retry can fix");
    }

    @Test
    void stopIsBoundedEvenWhenTheHandlerIgnoresInterrupts() throws Exception {
        client.append(stream, StreamRecord.of("stuck"));
        java.util.concurrent.CountDownLatch inHandler = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        GroupProcessor<String> p = start(builder(client)
                .handler(m -> {
                    inHandler.countDown();
                    while (true) {
                        try {
                            if (release.await(10, java.util.concurrent.TimeUnit.SECONDS)) {
                                return;
                            }
                        } catch (InterruptedException ignored) {
                            // a badly behaved handler
                        }
                    }
                })
                .build());
        assertTrue(inHandler.await(10, java.util.concurrent.TimeUnit.SECONDS));
        long t0 = System.nanoTime();
        assertEquals(false, p.stop(Duration.ofMillis(300)), "the loop could not end: stop says so");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 2000, "stop(300 ms) returned after " + ms + " ms");
        assertEquals(ProcessorState.STOPPING, p.state());
        release.countDown();
        assertTrue(p.awaitTermination(Duration.ofSeconds(10)));
        assertTrue(p.state().isTerminal(), "ended once the handler returned: " + p.state());
    }

    @Test
    void aSlowLagCheckDoesNotHoldTheLoop() throws Exception {
        CountDownLatch asked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        StreamClient slowLag = new ForwardingStreamClient(client) {
            @Override
            public GroupInfo groupInfo(StreamName s, String group) {
                asked.countDown();
                try {
                    release.await(); // a broker slow to describe its groups (Kafka: tens of ms, or a timeout)
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.groupInfo(s, group);
            }
        };
        List<Long> lags = new CopyOnWriteArrayList<>();
        List<String> seen = new CopyOnWriteArrayList<>();
        start(builder(slowLag)
                .lagInterval(Duration.ofMillis(1))
                .listener(new ProcessorListener() {
                    @Override
                    public void onLag(String processor, long lag) {
                        lags.add(lag);
                    }
                })
                .handler(m -> seen.add(m.value()))
                .build());
        assertTrue(asked.await(10, TimeUnit.SECONDS), "the first loop turn asks for the lag");
        for (int i = 0; i < 20; i++) {
            client.append(stream, StreamRecord.of("v" + i));
        }
        await("20 events handled while the lag check hangs", () -> seen.size() == 20);
        assertTrue(lags.isEmpty(), "no report before the check answers");
        release.countDown();
        await("the lag report once the check answers", () -> !lags.isEmpty());
    }
}
