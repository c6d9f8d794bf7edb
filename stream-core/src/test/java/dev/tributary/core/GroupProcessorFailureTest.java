package dev.tributary.core;

import static dev.tributary.core.TailProcessorTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.AckResult;
import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.GroupConsumer;
import dev.tributary.GroupInfo;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import dev.tributary.spi.ForwardingGroupConsumer;
import dev.tributary.spi.ForwardingStreamClient;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How a group processor ends or recovers when its consumer, its acks or its handler fail. */
class GroupProcessorFailureTest extends GroupProcessorHarness {
    private final CountDownLatch release = new CountDownLatch(1);

    GroupProcessorFailureTest() {
        super("grpfail");
    }

    /** Lets go of handlers and loops a test held, before the harness stops the processors. */
    @AfterEach
    void releaseHeldThreads() {
        release.countDown();
    }

    /** The memory client with every group consumer it opens wrapped by {@code wrap}. */
    private StreamClient consumers(UnaryOperator<GroupConsumer> wrap) {
        return new ForwardingStreamClient(client) {
            @Override
            public GroupConsumer openGroupConsumer(StreamName s, String group, String member) {
                return wrap.apply(super.openGroupConsumer(s, group, member));
            }
        };
    }

    /** The memory client whose group consumers run {@code check} before each ack; it refuses one by throwing. */
    private StreamClient acksChecked(Consumer<Collection<EventId>> check) {
        return consumers(c -> new ForwardingGroupConsumer(c) {
            @Override
            public AckResult ack(Collection<EventId> ids) {
                check.accept(ids);
                return super.ack(ids);
            }
        });
    }

    private void append(String... payloads) {
        for (String p : payloads) {
            client.append(stream, StreamRecord.of(p));
        }
    }

    private long pending() {
        return client.groupInfo(stream, "workers").pending();
    }

    private static ErrorKind kindOf(Processor p) {
        return assertInstanceOf(StreamException.class, p.failure().orElseThrow())
                .kind();
    }

    /**
     * {@code b} without retries, failing the processor at the event {@code bad}; the events handled
     * before it are added to {@code handled}.
     */
    private static GroupProcessor<String> failingAtBad(GroupProcessor.Builder<String> b, List<String> handled) {
        return b.retry(RetryPolicy.noRetry())
                .deadLetters(DeadLetterPolicy.failProcessor())
                .handler(m -> {
                    if (m.value().equals("bad")) {
                        throw new IllegalStateException("cannot handle");
                    }
                    handled.add(m.value());
                })
                .build();
    }

    /** Waits until {@code p} ended FAILED by the handler's own ({@code INTERNAL}) failure. */
    private static void assertFailedByTheHandler(Processor p, String message) throws InterruptedException {
        assertTrue(p.awaitTermination(Duration.ofSeconds(30)));
        assertEquals(ProcessorState.FAILED, p.state());
        assertEquals(ErrorKind.INTERNAL, kindOf(p), message);
    }

    @Test
    void aGroupLostDuringAPollIsAGapAfterWhichTheGroupIsRecreatedAndReadingGoesOn() throws Exception {
        append("a", "b", "c");
        AtomicBoolean lostOnce = new AtomicBoolean();
        AtomicInteger opened = new AtomicInteger();
        StreamClient losing = consumers(c -> {
            opened.incrementAndGet();
            return new ForwardingGroupConsumer(c) {
                @Override
                public List<StreamEvent> poll(int maxCount, Duration wait) {
                    if (lostOnce.compareAndSet(false, true)) {
                        throw new StreamException(ErrorKind.DATA_LOSS, "the broker lost the group");
                    }
                    return super.poll(maxCount, wait);
                }
            };
        });
        List<String> seen = new CopyOnWriteArrayList<>();
        GroupProcessor<String> p = start(builder(losing)
                .gapPolicy(GapPolicy.CONTINUE_FROM_EARLIEST)
                .handler(m -> seen.add(m.value()))
                .build());
        await("every event after the gap", () -> seen.size() == 3);
        assertEquals(List.of("a", "b", "c"), seen);
        assertEquals(1, recorder.gaps.size(), "onGap heard once");
        assertEquals(1, recorder.skipped.size(), "onGapSkipped heard once");
        assertEquals(2, opened.get(), "a fresh consumer was opened");
        assertEquals(ProcessorState.RUNNING, p.state());
        await("acked", () -> pending() == 0);
    }

    @Test
    void aGroupLostBetweenPollAndAckWithContinuePolicyReopensAndKeepsHandling() throws Exception {
        append("m0");
        AtomicBoolean lostOnce = new AtomicBoolean();
        StreamClient losing = acksChecked(ids -> {
            if (lostOnce.compareAndSet(false, true)) {
                throw new StreamException(ErrorKind.DATA_LOSS, "the broker lost the group");
            }
        });
        List<String> seen = new CopyOnWriteArrayList<>();
        GroupProcessor<String> p = start(builder(losing)
                .gapPolicy(GapPolicy.CONTINUE_FROM_EARLIEST)
                .handler(m -> seen.add(m.value()))
                .build());
        await("the gap is skipped", () -> recorder.skipped.size() == 1);
        append("m1");
        await("an event after the gap", () -> seen.contains("m1"));
        assertEquals(1, recorder.gaps.size());
        assertEquals(ProcessorState.RUNNING, p.state());
    }

    @Test
    void anAckRefusedWithANonRetryableErrorFailsTheProcessorWithThatError() throws Exception {
        append("m0");
        StreamClient refusing = acksChecked(ids -> {
            throw new StreamException(ErrorKind.CONFIGURATION, "no acks for you");
        });
        GroupProcessor<String> p = start(builder(refusing).handler(m -> {}).build());
        assertTrue(p.awaitTermination(Duration.ofSeconds(30)));
        assertEquals(ProcessorState.FAILED, p.state());
        assertEquals(ErrorKind.CONFIGURATION, kindOf(p));
        assertTrue(recorder.gaps.isEmpty(), "not a gap");
        assertEquals(1, pending(), "the event stays pending for redelivery");
    }

    @Test
    void anAckTheBrokerNeverConfirmsIsGivenUpAndTheProcessorReadsOnWithTheEventStillPending() throws Exception {
        EventId m0 = client.append(stream, StreamRecord.of("m0"));
        AtomicInteger refused = new AtomicInteger();
        StreamClient unconfirmed = acksChecked(ids -> {
            if (ids.size() == 1 && ids.contains(m0)) {
                refused.incrementAndGet();
                throw new StreamException(ErrorKind.RETRYABLE, "ack got no confirmation in time");
            }
        });
        List<String> seen = new CopyOnWriteArrayList<>();
        GroupProcessor<String> p =
                start(builder(unconfirmed).handler(m -> seen.add(m.value())).build());
        await("m0 handled", () -> seen.contains("m0"));
        append("m1");
        await("an event after the unconfirmed ack is handled", () -> seen.contains("m1"));
        assertTrue(refused.get() > 1, "the ack was retried before it was given up: " + refused.get());
        assertEquals(ProcessorState.RUNNING, p.state());
        // m1's ack follows its handler: wait for it, then m0 alone is pending (not acked with m1)
        await("m1 acked", () -> pending() <= 1);
        assertEquals(1, pending(), "m0 stays pending for redelivery, nothing is lost");
    }

    @Test
    void aConsumerClosedUnderARunningProcessorFailsItWithClosed() throws Exception {
        StreamClient closing = consumers(c -> new ForwardingGroupConsumer(c) {
            @Override
            public List<StreamEvent> poll(int maxCount, Duration wait) {
                throw new StreamException(ErrorKind.CLOSED, "closed by someone else");
            }
        });
        GroupProcessor<String> p = start(builder(closing).handler(m -> {}).build());
        assertTrue(p.awaitTermination(Duration.ofSeconds(30)));
        assertEquals(ProcessorState.FAILED, p.state());
        assertEquals(ErrorKind.CLOSED, kindOf(p));
    }

    @Test
    void aConsumerClosedWhileTheProcessorStopsEndsItStoppedNotFailed() throws Exception {
        AtomicBoolean stopping = new AtomicBoolean();
        AtomicInteger polls = new AtomicInteger();
        AtomicInteger closedPolls = new AtomicInteger();
        StreamClient closing = consumers(c -> new ForwardingGroupConsumer(c) {
            @Override
            public List<StreamEvent> poll(int maxCount, Duration wait) {
                polls.incrementAndGet();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!stopping.get() && System.nanoTime() < deadline) {
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
                if (stopping.get()) {
                    closedPolls.incrementAndGet();
                    throw new StreamException(ErrorKind.CLOSED, "closed by the stop");
                }
                return super.poll(maxCount, wait);
            }
        });
        GroupProcessor<String> p = start(builder(closing)
                .listener(new ProcessorListener() {
                    @Override
                    public void onStateChange(String n, ProcessorState from, ProcessorState to, Throwable cause) {
                        recorder.onStateChange(n, from, to, cause);
                        if (to == ProcessorState.STOPPING) {
                            stopping.set(true);
                        }
                    }

                    @Override
                    public void onError(String n, Throwable error, boolean willRetry) {
                        recorder.onError(n, error, willRetry);
                    }
                })
                .handler(m -> {})
                .build());
        await("polling", () -> polls.get() >= 1);
        assertTrue(p.stop(Duration.ofSeconds(30)));
        assertEquals(1, closedPolls.get(), "the poll after the stop request found the consumer closed");
        assertEquals(ProcessorState.STOPPED, p.state());
        assertTrue(p.failure().isEmpty());
        assertTrue(recorder.errors.isEmpty(), "no error reported: " + recorder.errors);
    }

    @Test
    void aHandlerFailureThatFailsTheProcessorStillAcksTheEventsFinishedBeforeIt() throws Exception {
        append("ok0", "ok1", "bad", "ok3");
        List<String> handled = new CopyOnWriteArrayList<>();
        GroupProcessor<String> p = start(failingAtBad(builder(client), handled));
        assertFailedByTheHandler(p, "the handler's failure");
        assertTrue(p.failure().orElseThrow().getMessage().contains("failProcessor"));
        assertEquals(List.of("ok0", "ok1"), handled);
        assertEquals(2, pending(), "ok0 and ok1 acked; bad and ok3 left for redelivery");
    }

    @Test
    void whenAckingFinishedEventsFailsOnTheWayOutTheHandlerFailureRemainsTheCause() throws Exception {
        append("ok0", "bad");
        AtomicInteger acks = new AtomicInteger();
        StreamClient refusing = acksChecked(ids -> {
            acks.incrementAndGet();
            throw new StreamException(ErrorKind.CONFIGURATION, "no acks for you");
        });
        GroupProcessor<String> p = start(failingAtBad(builder(refusing), new CopyOnWriteArrayList<>()));
        assertFailedByTheHandler(p, "the handler's failure, not the ack's");
        assertEquals(1, acks.get(), "the finished event's ack was tried once");
        assertEquals(2, pending());
    }

    @Test
    void aFailureOnOneLaneFailsTheProcessorAndEveryEventHandledOnAnyLaneIsAcked() throws Exception {
        int total = 24;
        for (int i = 0; i < total; i++) {
            client.append(
                    stream,
                    StreamRecord.builder()
                            .key("k" + (i % 6))
                            .payload(i == 5 ? "bad" : "v" + i)
                            .build());
        }
        List<String> handled = new CopyOnWriteArrayList<>();
        GroupProcessor<String> p =
                start(failingAtBad(builder(client).concurrency(3).batchSize(100), handled));
        assertFailedByTheHandler(p, "the handler's failure");
        assertTrue(handled.size() < total);
        assertEquals(total - handled.size(), pending(), "exactly the handled events were acked");
    }

    @Test
    void aVirtualMachineErrorInALaneHandlerIsNeitherRetriedNorDeadLetteredAndFailsTheProcessor() throws Exception {
        append("boom");
        GroupProcessor<String> p = start(builder(client)
                .concurrency(2)
                .retry(RetryPolicy.of(3, Backoff.exponential(Duration.ofMillis(10), Duration.ofMillis(10))))
                .handler(m -> {
                    throw new StackOverflowError("deep");
                })
                .build());
        assertTrue(p.awaitTermination(Duration.ofSeconds(30)));
        assertEquals(ProcessorState.FAILED, p.state());
        assertInstanceOf(StackOverflowError.class, p.failure().orElseThrow());
        assertTrue(recorder.retryOps.isEmpty(), "no retry: " + recorder.retryOps);
        assertTrue(recorder.deadLetters.isEmpty(), "no dead letter: " + recorder.deadLetters);
        assertEquals(1, pending());
    }

    @Test
    void aVirtualMachineErrorInABatchHandlerIsNotRetriedAndFailsTheProcessor() throws Exception {
        append("a", "b");
        AtomicInteger calls = new AtomicInteger();
        GroupProcessor<String> p = start(builder(client)
                .retry(RetryPolicy.of(3, Backoff.exponential(Duration.ofMillis(10), Duration.ofMillis(10))))
                .batchHandler(batch -> {
                    calls.incrementAndGet();
                    throw new StackOverflowError("deep");
                })
                .build());
        assertTrue(p.awaitTermination(Duration.ofSeconds(30)));
        assertEquals(ProcessorState.FAILED, p.state());
        assertInstanceOf(StackOverflowError.class, p.failure().orElseThrow());
        assertEquals(1, calls.get());
        assertTrue(recorder.retryOps.isEmpty(), "no retry: " + recorder.retryOps);
        assertEquals(2, pending());
    }

    @Test
    void aForcedStopWhileALaneHandlerIgnoresInterruptsEndsStoppedAndLeavesItsEventPending() throws Exception {
        append("stuck");
        CountDownLatch inHandler = new CountDownLatch(1);
        GroupProcessor<String> p = start(builder(client)
                .concurrency(2)
                .handler(m -> {
                    inHandler.countDown();
                    while (true) {
                        try {
                            if (release.await(10, TimeUnit.SECONDS)) {
                                return;
                            }
                        } catch (InterruptedException ignored) {
                            // a handler that does not answer interrupts
                        }
                    }
                })
                .build());
        assertTrue(inHandler.await(10, TimeUnit.SECONDS));
        p.stop(Duration.ofMillis(200));
        assertTrue(p.awaitTermination(Duration.ofSeconds(30)), "the loop gave up on the lane and ended");
        assertEquals(ProcessorState.STOPPED, p.state());
        assertEquals(1, pending(), "the unfinished event is not acked");
    }

    @Test
    void aFailingLagCheckIsOnlyLoggedAndTheProcessorKeepsHandling() throws Exception {
        AtomicInteger lagChecks = new AtomicInteger();
        StreamClient noLag = new ForwardingStreamClient(client) {
            @Override
            public GroupInfo groupInfo(StreamName s, String group) {
                lagChecks.incrementAndGet();
                throw new StreamException(ErrorKind.RETRYABLE, "lag unavailable");
            }
        };
        List<String> seen = new CopyOnWriteArrayList<>();
        GroupProcessor<String> p = start(builder(noLag)
                .lagInterval(Duration.ofSeconds(1))
                .handler(m -> seen.add(m.value()))
                .build());
        await("a lag check", () -> lagChecks.get() >= 1);
        append("after");
        await("handled", () -> seen.contains("after"));
        assertEquals(ProcessorState.RUNNING, p.state());
        assertTrue(recorder.errors.isEmpty(), "a lag check is not an error of the processor: " + recorder.errors);
    }

    @Test
    void undecodableBytesFailTheProcessorWhenThePolicyIsFailProcessor() throws Exception {
        client.append(stream, StreamRecord.of(new byte[] {(byte) 0xFE, (byte) 0xFF}));
        GroupProcessor<String> p = start(builder(client)
                .deadLetters(DeadLetterPolicy.failProcessor())
                .handler(m -> {})
                .build());
        assertTrue(p.awaitTermination(Duration.ofSeconds(30)));
        assertEquals(ProcessorState.FAILED, p.state());
        assertTrue(p.failure().orElseThrow().getMessage().contains("cannot be decoded"));
        assertEquals(1, pending());
    }

    @Test
    void aBatchHandlerSeesNeitherFilteredNorUndecodableEventsAndAFailingFilterIsRetriedPerEvent() throws Exception {
        append("keep1", "skip", "filter-fails", "keep2");
        client.append(stream, StreamRecord.of(new byte[] {(byte) 0xFE, (byte) 0xFF}));
        List<List<String>> batches = new CopyOnWriteArrayList<>();
        AtomicInteger filterFailures = new AtomicInteger();
        start(builder(client)
                .retry(RetryPolicy.of(2, Backoff.exponential(Duration.ofMillis(10), Duration.ofMillis(10))))
                .filter(e -> {
                    String v = new String(e.payload(), java.nio.charset.StandardCharsets.UTF_8);
                    if (v.equals("filter-fails")) {
                        filterFailures.incrementAndGet();
                        throw new IllegalStateException("filter bug");
                    }
                    return !v.equals("skip");
                })
                .batchHandler(
                        batch -> batches.add(batch.stream().map(Message::value).toList()))
                .build());
        StreamName dlq = DeadLetterPolicy.defaultName(stream);
        await("two dead letters", () -> client.info(dlq).length() == 2);
        await("acked", () -> pending() == 0);
        assertEquals(List.of(List.of("keep1", "keep2")), batches);
        assertEquals(3, filterFailures.get(), "once in the batch pass, then twice one at a time");
        List<String> reasons = client.range(dlq, Position.earliest(), null, 10).stream()
                .map(d -> d.headers().first(DeadLetterPolicy.HEADER_REASON).orElseThrow())
                .toList();
        assertEquals(List.of("decode", "handler"), reasons);
    }
}
