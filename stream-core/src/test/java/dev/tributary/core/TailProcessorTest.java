package dev.tributary.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamReader;
import dev.tributary.StreamRecord;
import dev.tributary.Trim;
import dev.tributary.core.testing.Events;
import dev.tributary.core.testing.FakeTime;
import dev.tributary.spi.ForwardingStreamClient;
import dev.tributary.spi.ForwardingStreamReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TailProcessorTest {
    private final StreamClient client = Events.memory();
    private final StreamName stream = Events.fresh("tail");
    private final FakeTime time = new FakeTime();
    private final Recorder recorder = new Recorder();
    private final List<Processor> started = new ArrayList<>();

    @AfterEach
    void tearDown() {
        for (Processor p : started) {
            p.stop(Duration.ofSeconds(5));
        }
        client.close();
    }

    private List<EventId> append(int n, String prefix) {
        List<EventId> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(client.append(stream, StreamRecord.of(prefix + i)));
        }
        return ids;
    }

    private TailProcessor.Builder<String> builder(StreamClient c) {
        return TailProcessor.builder(c, stream, Codecs.utf8())
                .name("t1")
                .listener(recorder)
                .clock(time)
                .sleeper(time)
                .pollWait(Duration.ofMillis(20))
                .stopTimeout(Duration.ofSeconds(5));
    }

    private <P extends Processor> P start(P p) {
        started.add(p);
        assertTrue(p.start());
        return p;
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void handlesEveryEventInOrderAndCheckpointsTheLastIdRead() throws Exception {
        List<EventId> ids = append(25, "e");
        List<String> seen = new CopyOnWriteArrayList<>();
        InMemoryCheckpointStore store = new InMemoryCheckpointStore();
        TailProcessor<String> p = startCollecting(store, 10, seen);
        await("25 events", () -> seen.size() == 25);
        await("checkpoint", () -> store.load("t1").equals(java.util.Optional.of(ids.get(24))));
        assertEquals("e0", seen.get(0));
        assertEquals("e24", seen.get(24));
        assertTrue(p.stop());
        assertEquals(ProcessorState.STOPPED, p.state());
        assertEquals(List.of(ProcessorState.RUNNING, ProcessorState.STOPPING, ProcessorState.STOPPED), recorder.states);
    }

    @Test
    void restartedItResumesAfterItsCheckpoint() throws Exception {
        append(5, "a");
        InMemoryCheckpointStore store = new InMemoryCheckpointStore();
        List<String> seen = new CopyOnWriteArrayList<>();
        TailProcessor<String> p = start(builder(client)
                .checkpointStore(store)
                .handler(m -> seen.add(m.value()))
                .build());
        await("first five", () -> seen.size() == 5);
        await("checkpoint", () -> store.load("t1").isPresent());
        p.stop();
        append(3, "b");
        TailProcessor<String> again = start(builder(client)
                .checkpointStore(store)
                .handler(m -> seen.add(m.value()))
                .build());
        await("three more", () -> seen.size() == 8);
        Thread.sleep(100);
        assertEquals(List.of("a0", "a1", "a2", "a3", "a4", "b0", "b1", "b2"), seen, "nothing twice, nothing skipped");
        again.stop();
        // the same processor object can be started again too
        append(1, "c");
        assertTrue(p.start());
        await("restart of the first processor", () -> seen.size() == 9);
        p.stop();
    }

    /** A partitioned stream: the checkpoint is the reader's cursor, and a restart resumes every partition. */
    private void resumesAPartitionedStreamFromItsCursor(CheckpointStore store) throws Exception {
        client.createStream(stream, dev.tributary.StreamOptions.partitions(3));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            client.append(
                    stream, StreamRecord.builder().payload("a" + i).key("k" + i).build());
            expected.add("a" + i);
        }
        List<String> seen = new CopyOnWriteArrayList<>();
        TailProcessor<String> p = startCollecting(store, 7, seen);
        await("first thirty", () -> seen.size() == 30);
        await(
                "a cursor over three partitions",
                () -> store.loadCursor("t1")
                        .map(c -> c.partitionCount() == 3
                                && c.positions().stream().allMatch(pos -> pos instanceof Position.After))
                        .orElse(false));
        p.stop();
        for (int i = 0; i < 12; i++) {
            client.append(
                    stream, StreamRecord.builder().payload("b" + i).key("k" + i).build());
            expected.add("b" + i);
        }
        TailProcessor<String> again = start(builder(client)
                .checkpointStore(store)
                .handler(m -> seen.add(m.value()))
                .build());
        await("twelve more", () -> seen.size() >= 42);
        Thread.sleep(100);
        again.stop();
        assertEquals(
                new java.util.TreeSet<>(expected),
                new java.util.TreeSet<>(seen),
                "every event of every partition is handled");
        assertEquals(expected.size(), seen.size(), "nothing twice after the restart: " + seen);
    }

    @Test
    void aPartitionedStreamResumesFromTheCursorInMemory() throws Exception {
        resumesAPartitionedStreamFromItsCursor(new InMemoryCheckpointStore());
    }

    @Test
    void aPartitionedStreamResumesFromTheCursorInAFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        resumesAPartitionedStreamFromItsCursor(new FileCheckpointStore(dir));
    }

    @Test
    void aStoreThatKeepsOnlyIdsFailsTheProcessorOnAPartitionedStreamRatherThanResumeWrongly() throws Exception {
        client.createStream(stream, dev.tributary.StreamOptions.partitions(2));
        client.append(stream, StreamRecord.builder().payload("x").key("k").build());
        java.util.Map<String, EventId> ids = new java.util.concurrent.ConcurrentHashMap<>();
        CheckpointStore idsOnly = new CheckpointStore() {
            @Override
            public java.util.Optional<EventId> load(String key) {
                return java.util.Optional.ofNullable(ids.get(key));
            }

            @Override
            public void save(String key, EventId checkpoint) {
                ids.put(key, checkpoint);
            }

            @Override
            public void delete(String key) {
                ids.remove(key);
            }
        };
        TailProcessor<String> p =
                start(builder(client).checkpointStore(idsOnly).handler(m -> {}).build());
        await("failed", () -> p.state() == ProcessorState.FAILED);
        StreamException e = (StreamException) p.failure().orElseThrow();
        assertEquals(ErrorKind.UNSUPPORTED, e.kind());
        assertTrue(e.getMessage().contains("cannot keep the cursor"), e.getMessage());
        assertTrue(ids.isEmpty(), "no partial checkpoint was kept");
    }

    @Test
    void checkpointIsWrittenOnlyAfterTheHandlerSucceeded() throws Exception {
        append(3, "x");
        InMemoryCheckpointStore store = new InMemoryCheckpointStore();
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        start(builder(client)
                .checkpointStore(store)
                .handler(m -> {
                    inHandler.countDown();
                    release.await();
                })
                .build());
        assertTrue(inHandler.await(10, TimeUnit.SECONDS));
        Thread.sleep(50);
        assertTrue(store.load("t1").isEmpty(), "no checkpoint while the handler runs");
        release.countDown();
        await("checkpoint after success", () -> store.load("t1").isPresent());
    }

    @Test
    void aHandlerThatAlwaysFailsWithoutDeadLetteringLeavesTheCheckpointAlone() throws Exception {
        append(3, "x");
        InMemoryCheckpointStore store = new InMemoryCheckpointStore();
        TailProcessor<String> p = start(builder(client)
                .checkpointStore(store)
                .retry(RetryPolicy.of(2, Backoff.exponential(Duration.ofMillis(10), Duration.ofMillis(20))))
                .deadLetters(DeadLetterPolicy.failProcessor())
                .handler(m -> {
                    throw new IllegalStateException("boom");
                })
                .build());
        assertTrue(p.awaitTermination(Duration.ofSeconds(10)));
        assertEquals(ProcessorState.FAILED, p.state());
        assertTrue(p.failure().orElseThrow().getCause() instanceof IllegalStateException);
        assertTrue(store.load("t1").isEmpty(), "a failed event is never checkpointed past");
        assertEquals(List.of("handler#1"), recorder.retryOps);
    }

    @Test
    void aBatchWhoseEveryEventIsFilteredStillAdvancesTheCheckpoint() throws Exception {
        List<EventId> ids = append(7, "skip");
        InMemoryCheckpointStore store = new InMemoryCheckpointStore();
        AtomicInteger handled = new AtomicInteger();
        start(builder(client)
                .checkpointStore(store)
                .filter(e -> false)
                .handler(m -> handled.incrementAndGet())
                .build());
        await("checkpoint at the last filtered id", () -> store.load("t1").equals(java.util.Optional.of(ids.get(6))));
        assertEquals(0, handled.get());
    }

    @Test
    void stopFromInsideTheHandlerReturnsAndTheProcessorStopsAfterThatBatch() throws Exception {
        List<EventId> ids = append(10, "s");
        InMemoryCheckpointStore store = new InMemoryCheckpointStore();
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicInteger stopResults = new AtomicInteger();
        TailProcessor<String> p = start(builder(client)
                .checkpointStore(store)
                .batchSize(100)
                .handler(m -> {
                    seen.add(m.value());
                    if (seen.size() == 1) {
                        long t0 = System.nanoTime();
                        boolean r = m.processor().stop();
                        assertTrue(
                                System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(2),
                                "stop() from the handler returns");
                        stopResults.addAndGet(r ? 1 : 100);
                        assertEquals(ProcessorState.STOPPING, m.processor().state());
                    }
                })
                .build());
        assertTrue(p.awaitTermination(Duration.ofSeconds(10)));
        assertEquals(ProcessorState.STOPPED, p.state());
        assertEquals(1, stopResults.get());
        assertEquals(10, seen.size(), "the batch in hand is finished");
        assertEquals(ids.get(9), store.load("t1").orElseThrow(), "and checkpointed");
        append(1, "later");
        Thread.sleep(100);
        assertEquals(10, seen.size(), "nothing is read after the stop");
    }

    @Test
    void aGapFailsTheProcessorWithPolicyFail() throws Exception {
        List<EventId> ids = append(10, "g");
        InMemoryCheckpointStore store = new InMemoryCheckpointStore();
        store.save("t1", ids.get(1));
        client.trim(stream, Trim.toLength(3));
        TailProcessor<String> p = start(builder(client)
                .checkpointStore(store)
                .gapPolicy(GapPolicy.FAIL)
                .handler(m -> {})
                .build());
        assertTrue(p.awaitTermination(Duration.ofSeconds(10)));
        assertEquals(ProcessorState.FAILED, p.state());
        assertEquals(ErrorKind.DATA_LOSS, ((StreamException) p.failure().orElseThrow()).kind());
        assertEquals(List.of(Position.after(ids.get(1))), recorder.gaps, "the listener hears the gap first");
        assertEquals(ids.get(1), store.load("t1").orElseThrow());
    }

    @Test
    void aGapWithContinueFromEarliestIsReportedAndReadingGoesOn() throws Exception {
        List<EventId> ids = append(10, "g");
        InMemoryCheckpointStore store = new InMemoryCheckpointStore();
        store.save("t1", ids.get(1));
        client.trim(stream, Trim.toLength(3));
        List<String> seen = new CopyOnWriteArrayList<>();
        start(builder(client)
                .checkpointStore(store)
                .gapPolicy(GapPolicy.CONTINUE_FROM_EARLIEST)
                .handler(m -> seen.add(m.value()))
                .build());
        await("the retained events", () -> seen.size() == 3);
        assertEquals(List.of("g7", "g8", "g9"), seen);
        assertEquals(1, recorder.gaps.size());
        assertEquals(1, recorder.skipped.size(), "continuing from the head is said, not silent");
        await("checkpoint", () -> store.load("t1").equals(java.util.Optional.of(ids.get(9))));
    }

    @Test
    void aFailingHandlerIsRetriedThenDeadLetteredWithHeadersAndTheRestContinue() throws Exception {
        List<EventId> ids = append(5, "d");
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        start(builder(client)
                .retry(RetryPolicy.of(3, Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(4))))
                .handler(m -> {
                    if (m.value().equals("d2")) {
                        calls.incrementAndGet();
                        throw new IllegalArgumentException("cannot handle \"d2\": ünïcødé ✓");
                    }
                    seen.add(m.value());
                })
                .build());
        await("the other four", () -> seen.size() == 4);
        assertEquals(3, calls.get());
        assertEquals(List.of("handler#1", "handler#2"), recorder.retryOps);
        assertTrue(recorder.retryDelays.get(0).compareTo(Duration.ofSeconds(1)) <= 0);
        assertTrue(recorder.retryDelays.get(1).compareTo(Duration.ofSeconds(2)) <= 0);
        StreamName dlq = StreamName.of(stream.value() + "-dlq");
        List<StreamEvent> dead = client.range(dlq, Position.earliest(), null, 10);
        assertEquals(1, dead.size());
        StreamEvent d = dead.get(0);
        assertEquals("d2", d.payloadAsString());
        assertEquals(
                stream.value(),
                d.headers().first(DeadLetterPolicy.HEADER_STREAM).orElseThrow());
        assertEquals(
                ids.get(2).toString(),
                d.headers().first(DeadLetterPolicy.HEADER_ID).orElseThrow());
        assertEquals("3", d.headers().first(DeadLetterPolicy.HEADER_ATTEMPTS).orElseThrow());
        assertEquals(
                "handler", d.headers().first(DeadLetterPolicy.HEADER_REASON).orElseThrow());
        String err = d.headers().first(DeadLetterPolicy.HEADER_ERROR).orElseThrow();
        assertTrue(err.contains("IllegalArgumentException") && err.contains("ünïcødé ✓"), err);
        assertTrue(d.headers().first(DeadLetterPolicy.HEADER_GROUP).isEmpty());
        assertEquals(List.of(ids.get(2) + "@3"), recorder.deadLetters);
    }

    @Test
    void anUndecodablePayloadIsDeadLetteredAtOnceToTheConfiguredStream() throws Exception {
        client.append(stream, StreamRecord.of("ok1"));
        EventId bad = client.append(
                stream,
                StreamRecord.builder()
                        .payload(new byte[] {(byte) 0xC3, (byte) 0x28})
                        .key("k")
                        .header("h", "v")
                        .build());
        client.append(stream, StreamRecord.of("ok2"));
        StreamName dlq = Events.fresh("poison");
        List<String> seen = new CopyOnWriteArrayList<>();
        start(builder(client)
                .deadLetters(DeadLetterPolicy.toStream(dlq))
                .handler(m -> seen.add(m.value()))
                .build());
        await("two good events", () -> seen.size() == 2);
        List<StreamEvent> dead = client.range(dlq, Position.earliest(), null, 10);
        assertEquals(1, dead.size());
        assertEquals(
                "0",
                dead.get(0).headers().first(DeadLetterPolicy.HEADER_ATTEMPTS).orElseThrow());
        assertEquals(
                "decode",
                dead.get(0).headers().first(DeadLetterPolicy.HEADER_REASON).orElseThrow());
        assertEquals(
                bad.toString(),
                dead.get(0).headers().first(DeadLetterPolicy.HEADER_ID).orElseThrow());
        assertEquals("v", dead.get(0).headers().first("h").orElseThrow(), "original headers are kept");
        assertEquals("k", dead.get(0).keyAsString());
        assertTrue(recorder.retryOps.isEmpty(), "no retry for an undecodable payload");
    }

    @Test
    void aFatalErrorFailsAtOnceWithoutRetrying() throws Exception {
        AtomicInteger opens = new AtomicInteger();
        StreamClient broken = new ForwardingStreamClient(client) {
            @Override
            public StreamReader openReader(StreamName s, Position from) {
                opens.incrementAndGet();
                throw new StreamException(ErrorKind.AUTHENTICATION, "not permitted");
            }
        };
        TailProcessor<String> p = start(builder(broken).handler(m -> {}).build());
        assertTrue(p.awaitTermination(Duration.ofSeconds(10)));
        assertEquals(ProcessorState.FAILED, p.state());
        assertEquals(ErrorKind.AUTHENTICATION, ((StreamException) p.failure().orElseThrow()).kind());
        assertEquals(1, opens.get());
        assertTrue(recorder.retryOps.isEmpty());
        assertEquals(List.of(ProcessorState.RUNNING, ProcessorState.FAILED), recorder.states);
        assertEquals(List.of("error AUTHENTICATION willRetry=false"), recorder.errors, "the failure is heard once");
    }

    @Test
    void retryableReadFailuresBackOffOpenTheBreakerAndRecover() throws Exception {
        append(3, "r");
        AtomicInteger failuresLeft = new AtomicInteger(12);
        StreamClient flaky = new ForwardingStreamClient(client) {
            @Override
            public StreamReader openReader(StreamName s, Position from) {
                return new ForwardingStreamReader(super.openReader(s, from)) {
                    @Override
                    public List<StreamEvent> poll(int maxCount, Duration wait) {
                        if (failuresLeft.getAndDecrement() > 0) {
                            throw new StreamException(ErrorKind.RETRYABLE, "connection refused");
                        }
                        return super.poll(maxCount, wait);
                    }
                };
            }
        };
        List<String> seen = new CopyOnWriteArrayList<>();
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), 2.0);
        TailProcessor<String> p = start(builder(flaky)
                .sourceBackoff(backoff)
                .random(new java.util.SplittableRandom(1))
                .circuitBreaker(new CircuitBreaker.Settings(5, Duration.ofSeconds(30), 1))
                .handler(m -> seen.add(m.value()))
                .build());
        await("recovery", () -> seen.size() == 3);
        assertEquals(CircuitBreaker.State.CLOSED, p.circuitState());
        assertEquals(12, recorder.retryDelays.size());
        for (int i = 0; i < 12; i++) {
            Duration ceiling = backoff.ceiling(i + 1);
            assertTrue(recorder.retryDelays.get(i).compareTo(ceiling) <= 0, "delay " + i + " within its ceiling");
        }
        assertTrue(recorder.retryDelays.stream().allMatch(d -> d.compareTo(Duration.ofSeconds(2)) <= 0), "capped");
        // 5 failures open it; each trial fails and opens it again, until the 12th failure; then it closes.
        // The open periods follow the backoff (at most 2 s here), not the 30 s open duration, which only caps them.
        assertEquals("CLOSED->OPEN", recorder.circuit.get(0));
        assertTrue(recorder.circuit.contains("OPEN->HALF_OPEN"));
        assertTrue(recorder.circuit.contains("HALF_OPEN->OPEN"));
        assertEquals("HALF_OPEN->CLOSED", recorder.circuit.get(recorder.circuit.size() - 1));
        Duration reported = recorder.retryDelays.stream().reduce(Duration.ZERO, Duration::plus);
        assertTrue(time.totalSlept().compareTo(reported) >= 0, "the open breaker waited (fake) time");
        assertTrue(
                time.totalSlept().compareTo(Duration.ofSeconds(2 * 12)) <= 0,
                "never a 30 s wait: " + time.totalSlept());
    }

    @Test
    void stopIsBoundedWhenTheBrokerHangs() throws Exception {
        CountDownLatch polling = new CountDownLatch(1);
        StreamClient hanging = new ForwardingStreamClient(client) {
            @Override
            public StreamReader openReader(StreamName s, Position from) {
                return new ForwardingStreamReader(super.openReader(s, from)) {
                    private final CountDownLatch closed = new CountDownLatch(1);

                    @Override
                    public List<StreamEvent> poll(int maxCount, Duration wait) {
                        polling.countDown();
                        try {
                            closed.await(); // ignores the wait bound, like a frozen broker
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        throw StreamException.closed("reader");
                    }

                    @Override
                    public void close() {
                        closed.countDown();
                        super.close();
                    }
                };
            }
        };
        TailProcessor<String> p = start(builder(hanging).handler(m -> {}).build());
        assertTrue(polling.await(10, TimeUnit.SECONDS));
        long t0 = System.nanoTime();
        assertTrue(p.stop(Duration.ofMillis(400)), "the loop ends once its reader is closed");
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(ms < 3000, "stop took " + ms + " ms");
        assertEquals(ProcessorState.STOPPED, p.state());
        assertFalse(p.failure().isPresent());
    }

    @Test
    void lagIsReportedThroughTheListener() throws Exception {
        append(5, "l");
        List<Long> lags = new CopyOnWriteArrayList<>();
        List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        ProcessorListener listener = new LagRecorder(lags) {
            @Override
            public void onBatch(String processor, int received, int filtered, int deadLettered, EventId lastId) {
                batchSizes.add(received);
            }
        };
        // the fake clock does not move while nothing sleeps: exactly one report, after the first batch
        startInBatchesOf2ReportingLag(listener);
        await("lag report", () -> !lags.isEmpty());
        await(
                "all batches",
                () -> batchSizes.stream().mapToInt(Integer::intValue).sum() == 5);
        assertEquals(List.of(3L), lags, "after the first batch of 2, 3 of 5 events are unread");
        assertEquals(List.of(2, 2, 1), batchSizes, "full batches are read back to back");
    }

    @Test
    void lagOverPartitionsIsSummedFromTheCursor() throws Exception {
        client.createStream(stream, dev.tributary.StreamOptions.partitions(2));
        for (int i = 0; i < 6; i++) {
            client.append(
                    stream, StreamRecord.builder().payload("l" + i).key("k" + i).build());
        }
        List<Long> lags = new CopyOnWriteArrayList<>();
        ProcessorListener listener = new LagRecorder(lags);
        // one report, after the first batch of 2: 4 of the 6 are unread, whichever partitions they are in
        startInBatchesOf2ReportingLag(listener);
        await("lag report", () -> !lags.isEmpty());
        assertEquals(List.of(4L), lags);
    }

    /** Starts a processor over {@code client} checkpointing to {@code store} that adds every value to {@code seen}. */
    private TailProcessor<String> startCollecting(CheckpointStore store, int batchSize, List<String> seen) {
        return start(builder(client)
                .checkpointStore(store)
                .batchSize(batchSize)
                .handler(m -> seen.add(m.value()))
                .build());
    }

    /** Starts a processor over {@code client} that reads batches of 2 and reports lag every second. */
    private void startInBatchesOf2ReportingLag(ProcessorListener listener) {
        start(builder(client)
                .listener(listener)
                .batchSize(2)
                .lagInterval(Duration.ofSeconds(1))
                .handler(m -> {})
                .build());
    }

    /** Adds every lag reported to a list. */
    private static class LagRecorder implements ProcessorListener {
        private final List<Long> lags;

        LagRecorder(List<Long> lags) {
            this.lags = lags;
        }

        @Override
        public void onLag(String processor, long lag) {
            lags.add(lag);
        }
    }
}
