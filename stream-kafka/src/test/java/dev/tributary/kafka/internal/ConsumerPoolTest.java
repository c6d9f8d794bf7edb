package dev.tributary.kafka.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ErrorKind;
import dev.tributary.StreamException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/** The reader pool's bounds and lifecycle; its consumers never connect (nothing polls them). */
class ConsumerPoolTest {
    private final AtomicInteger created = new AtomicInteger();

    private ConsumerPool pool(int max) {
        return new ConsumerPool(
                () -> {
                    created.incrementAndGet();
                    return new KafkaConsumer<>(
                            Map.of("bootstrap.servers", "127.0.0.1:1", "client.id", "pool-test-" + created.get()),
                            new ByteArrayDeserializer(),
                            new ByteArrayDeserializer());
                },
                max,
                1_000,
                Duration.ofMillis(100));
    }

    @Test
    void borrowsAreBoundedAndFailWithBackpressureAfterTheirTimeout() {
        try (ConsumerPool p = pool(2)) {
            TopicPartition tp = new TopicPartition("t", 0);
            ConsumerPool.Lease a = p.borrow(tp, Duration.ofMillis(10));
            ConsumerPool.Lease b = p.borrow(tp, Duration.ofMillis(10));
            long t0 = System.nanoTime();
            StreamException e = assertThrows(StreamException.class, () -> p.borrow(tp, Duration.ofMillis(200)));
            assertEquals(ErrorKind.BACKPRESSURE, e.kind());
            assertTrue(System.nanoTime() - t0 >= 150_000_000L, "waited for its timeout");
            p.release(a, true);
            assertSame(a, p.borrow(tp, Duration.ofMillis(10)), "an idle consumer is reused, not a new one created");
            assertEquals(2, created.get());
            p.release(b, false); // broken: closed, a new one may be created
            ConsumerPool.Lease c = p.borrow(tp, Duration.ofMillis(10));
            assertEquals(3, created.get());
            p.release(c, true);
        }
    }

    @Test
    void prefersTheConsumerAlreadyAssignedToThePartition() {
        try (ConsumerPool p = pool(3)) {
            TopicPartition t0 = new TopicPartition("t", 0);
            TopicPartition t1 = new TopicPartition("u", 0);
            ConsumerPool.Lease a = p.borrow(t0, Duration.ofMillis(10));
            a.position(t0, 5);
            ConsumerPool.Lease b = p.borrow(t1, Duration.ofMillis(10));
            b.position(t1, 7);
            p.release(a, true);
            p.release(b, true);
            assertSame(a, p.borrow(t0, Duration.ofMillis(10)));
            assertSame(b, p.borrow(t1, Duration.ofMillis(10)));
        }
    }

    @Test
    void aReaderOfSeveralPartitionsGetsAConsumerPerPartitionUpToTheBoundThenTheOneUsedLongestAgo() {
        try (ConsumerPool p = pool(2)) {
            TopicPartition p0 = new TopicPartition("t", 0);
            TopicPartition p1 = new TopicPartition("t", 1);
            TopicPartition p2 = new TopicPartition("t", 2);
            ConsumerPool.Lease a = p.borrow(p0, Duration.ofMillis(10));
            a.position(p0, 0);
            p.release(a, true);
            ConsumerPool.Lease b = p.borrow(p1, Duration.ofMillis(10)); // one at a time, like a partitioned reader
            assertTrue(a != b, "a new consumer, not partition 0's reassigned");
            b.position(p1, 0);
            p.release(b, true);
            assertSame(a, p.borrow(p0, Duration.ofMillis(10)), "partition 0 keeps its consumer");
            p.release(a, true);
            assertSame(b, p.borrow(p2, Duration.ofMillis(10)), "at the bound: the idle one used longest ago");
            assertEquals(2, created.get());
        }
    }

    @Test
    void closeFailsLaterBorrowsWithClosedAndReleasesBorrowedConsumers() {
        ConsumerPool p = pool(1);
        TopicPartition tp = new TopicPartition("t", 0);
        ConsumerPool.Lease a = p.borrow(tp, Duration.ofMillis(10));
        a.position(tp, 0);
        p.close();
        p.close(); // idempotent
        assertEquals(
                ErrorKind.CLOSED,
                assertThrows(StreamException.class, () -> p.borrow(tp, Duration.ofMillis(10)))
                        .kind());
        // the borrowed consumer was woken: its next blocking call ends with a wakeup
        assertThrows(
                org.apache.kafka.common.errors.WakeupException.class, () -> a.consumer.poll(Duration.ofSeconds(5)));
        p.release(a, true); // closed on return
    }
}
