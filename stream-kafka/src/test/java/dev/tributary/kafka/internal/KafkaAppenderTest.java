package dev.tributary.kafka.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ClientConfig;
import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import dev.tributary.spi.AppendWindow;
import dev.tributary.tck.fixture.LocalProcessBroker;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The appender on the append window, with kafka-clients' in-process MockProducer (no broker). */
class KafkaAppenderTest {
    private static final StreamName S = StreamName.of("s");
    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final AtomicBoolean closed = new AtomicBoolean();
    private AppendWindow window;

    private final CountDownLatch sweeperHeld = new CountDownLatch(1);
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor();

    private KafkaAppender appender(int capacity) {
        return appender(capacity, null);
    }

    /** An appender whose window sweeps on {@code scheduler} (null: a sweeper of its own). */
    private KafkaAppender appender(int capacity, ScheduledExecutorService scheduler) {
        window = scheduler == null
                ? new AppendWindow("test client", capacity, Duration.ofMillis(300), null)
                : new AppendWindow("test client", capacity, Duration.ofMillis(300), null, scheduler);
        StreamOps streams =
                new StreamOps(KafkaSettings.from(ClientConfig.parse("kafka://a:1")), null, Clock.systemUTC());
        return new KafkaAppender(producer, window, streams, closed::get);
    }

    @AfterEach
    void closeWindow() {
        sweeperHeld.countDown();
        if (window != null) {
            window.close(Duration.ZERO);
        }
        sweeper.shutdownNow();
    }

    private static ErrorKind kindOf(CompletableFuture<?> f) {
        Throwable t = f.handle((v, e) -> e).join();
        return StreamException.unwrap(t).kind();
    }

    @Test
    void idsComeFromTheProducersAnswerAndABatchKeepsItsOrder() {
        KafkaAppender a = appender(10);
        CompletableFuture<EventId> one = a.append(S, StreamRecord.of("x"));
        CompletableFuture<List<EventId>> batch = a.appendBatch(S, List.of(StreamRecord.of("y"), StreamRecord.of("z")));
        assertEquals(3, window.inFlight(), "one room per record");
        producer.completeNext();
        assertEquals(EventId.ofSequence(0), one.join());
        producer.completeNext();
        assertTrue(!batch.isDone(), "a batch completes with its last record");
        producer.completeNext();
        assertEquals(List.of(EventId.ofSequence(1), EventId.ofSequence(2)), batch.join());
        assertEquals(0, window.inFlight(), "room given back");
    }

    @Test
    void aFullWindowFailsTheFutureWithBackpressureWithoutSending() {
        // the window's sweeper is held, so the append in flight does not expire and make room meanwhile
        sweeper.execute(() -> {
            try {
                sweeperHeld.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        KafkaAppender a = appender(1, sweeper);
        a.append(S, StreamRecord.of("x"));
        CompletableFuture<EventId> second = a.append(S, StreamRecord.of("y")); // waits 300 ms, then fails
        assertEquals(ErrorKind.BACKPRESSURE, kindOf(second));
        assertEquals(1, producer.history().size(), "the refused append never reached the producer");
    }

    @Test
    void aDeliveryTimeoutIsIndeterminateAndABrokerRefusalRetryable() {
        KafkaAppender a = appender(10);
        CompletableFuture<EventId> timedOut = a.append(S, StreamRecord.of("x"));
        CompletableFuture<EventId> refused = a.append(S, StreamRecord.of("y"));
        producer.errorNext(new TimeoutException("Expiring 1 record(s)"));
        producer.errorNext(new NotLeaderOrFollowerException("moved"));
        assertEquals(
                ErrorKind.INDETERMINATE, kindOf(timedOut), "the mock exports no request count: may have been sent");
        assertEquals(ErrorKind.RETRYABLE, kindOf(refused));
    }

    @Test
    void appendsPendingAtCloseAreIndeterminateNotTheProducersForcedCloseError() {
        KafkaAppender a = appender(10);
        CompletableFuture<EventId> pending = a.append(S, StreamRecord.of("x"));
        closed.set(true);
        assertEquals(1, window.close(Duration.ofMillis(20)), "settled by the window");
        producer.errorNext(new KafkaException("Producer is closed forcefully."));
        assertEquals(ErrorKind.INDETERMINATE, kindOf(pending));
        CompletableFuture<EventId> after = a.append(S, StreamRecord.of("y"));
        assertEquals(ErrorKind.CLOSED, kindOf(after), "never handed to the producer: CLOSED");
        assertEquals(1, producer.history().size());
    }

    @Test
    void aSendThatThrowsStoredNothing() {
        KafkaAppender a = appender(10);
        producer.sendException = new KafkaException("boom", new NotLeaderOrFollowerException("x"));
        CompletableFuture<EventId> f = a.append(S, StreamRecord.of("x"));
        assertEquals(ErrorKind.RETRYABLE, kindOf(f));
        assertEquals(0, window.inFlight());
    }

    @Test
    void roomFreedByTheProducerGivingUpOnUnansweredAppendsIsBackpressure() throws Exception {
        KafkaAppender a = appender(1);
        CompletableFuture<EventId> first = a.append(S, StreamRecord.of("x"));
        CompletableFuture<CompletableFuture<EventId>> second =
                CompletableFuture.supplyAsync(() -> a.append(S, StreamRecord.of("y")));
        Thread.sleep(50); // the second append waits for room
        producer.errorNext(new TimeoutException("Expiring 1 record(s): delivery timeout"));
        assertEquals(ErrorKind.INDETERMINATE, kindOf(first));
        assertEquals(ErrorKind.BACKPRESSURE, kindOf(second.join()));
        assertEquals(1, producer.history().size(), "the broker that does not answer got no more appends");
        assertTrue(
                !a.append(S, StreamRecord.of("z")).isDone(), "room free when asked for is taken and the append sent");
        assertEquals(2, producer.history().size());
    }

    /**
     * Kit rule F1 on a cluster: a topic the producer forgot while every broker is down makes send()
     * wait max.block.ms for metadata. After one such wait, appends fail RETRYABLE at once (no caller
     * blocks again) until the backoff ends; then one append probes, and the first that gets the
     * metadata ends the stall.
     */
    @Test
    void afterAFailedMetadataWaitAppendsFailAtOnceUntilTheBackoffThenOneProbes() throws Exception {
        AtomicBoolean down = new AtomicBoolean(true);
        AtomicInteger sends = new AtomicInteger();
        MockProducer<byte[], byte[]> noMetadata =
                new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer()) {
                    @Override
                    public synchronized Future<RecordMetadata> send(
                            ProducerRecord<byte[], byte[]> r, Callback callback) {
                        sends.incrementAndGet();
                        if (!down.get()) {
                            return super.send(r, callback);
                        }
                        // what KafkaProducer.doSend does when waitOnMetadata times out: the callback, inline
                        TimeoutException e = new TimeoutException("Topic s not present in metadata after 60000 ms.");
                        callback.onCompletion(null, e);
                        return CompletableFuture.failedFuture(e);
                    }
                };
        int unused = LocalProcessBroker.freePort(); // nothing listens there
        AtomicLong now = new AtomicLong(-5_000_000_000L); // System.nanoTime may be negative
        window = new AppendWindow("test client", 1000, Duration.ofSeconds(5), null);
        KafkaSettings settings = KafkaSettings.from(ClientConfig.parse("kafka://127.0.0.1:" + unused));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", "127.0.0.1:" + unused))) {
            StreamOps streams = new StreamOps(settings, new AdminOps(admin, Duration.ofSeconds(1)), Clock.systemUTC());
            KafkaAppender a = new KafkaAppender(noMetadata, window, streams, closed::get, now::get);

            assertEquals(ErrorKind.RETRYABLE, kindOf(a.append(S, StreamRecord.of("probe"))));
            assertEquals(1, sends.get());
            for (int i = 0; i < 100; i++) {
                assertEquals(ErrorKind.RETRYABLE, kindOf(a.append(S, StreamRecord.of("w" + i))));
            }
            assertEquals(
                    ErrorKind.RETRYABLE,
                    kindOf(a.appendBatch(S, List.of(StreamRecord.of("b1"), StreamRecord.of("b2")))));
            assertEquals(1, sends.get(), "no append waited for metadata again within the backoff");

            now.addAndGet(KafkaAppender.STALL_BACKOFF.toNanos());
            assertEquals(ErrorKind.RETRYABLE, kindOf(a.append(S, StreamRecord.of("probe 2"))));
            assertEquals(2, sends.get(), "after the backoff one append probes");
            assertEquals(ErrorKind.RETRYABLE, kindOf(a.append(S, StreamRecord.of("w"))));
            assertEquals(2, sends.get(), "the failed probe starts a new backoff");

            down.set(false);
            now.addAndGet(KafkaAppender.STALL_BACKOFF.toNanos());
            CompletableFuture<EventId> probe = a.append(S, StreamRecord.of("probe 3"));
            CompletableFuture<EventId> next = a.append(S, StreamRecord.of("next"));
            assertEquals(4, sends.get(), "the probe got the metadata: the stall is over");
            noMetadata.completeNext();
            noMetadata.completeNext();
            assertEquals(EventId.ofSequence(0), probe.join());
            assertEquals(EventId.ofSequence(1), next.join());
            admin.close(Duration.ZERO);
        }
    }
}
