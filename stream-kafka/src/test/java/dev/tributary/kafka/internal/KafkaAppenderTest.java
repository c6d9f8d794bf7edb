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
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.MockProducer;
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
}
