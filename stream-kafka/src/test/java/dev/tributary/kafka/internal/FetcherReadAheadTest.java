package dev.tributary.kafka.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ClientConfig;
import dev.tributary.StreamEvent;
import dev.tributary.StreamName;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The reader path's read-ahead: records a poll fetched beyond the caller's batch are served to the
 * next read from where it ended — no seek back, no second fetch of the same records — and a read
 * from anywhere else still seeks and gets exactly the records at its offsets.
 */
class FetcherReadAheadTest {
    private static final StreamName STREAM = StreamName.of("orders");
    private static final int POLL = 1_000;

    /** A consumer over a fixed log of one partition that counts its polls and the seeks made on it. */
    static final class LogConsumer extends MockConsumer<byte[], byte[]> {
        final List<ConsumerRecord<byte[], byte[]>> log = new ArrayList<>();
        final TopicPartition tp;
        final int maxPoll;
        int polls;
        int seeks;

        LogConsumer(TopicPartition tp, int events, int maxPoll) {
            super("none");
            this.tp = tp;
            this.maxPoll = maxPoll;
            for (int i = 0; i < events; i++) {
                log.add(new ConsumerRecord<>(tp.topic(), 0, i, null, ("e" + i).getBytes(StandardCharsets.UTF_8)));
            }
        }

        @Override
        public synchronized void seek(TopicPartition partition, long offset) {
            seeks++;
            super.seek(partition, offset);
        }

        @Override
        public synchronized ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
            polls++;
            long from = position(tp);
            int to = (int) Math.min(log.size(), from + maxPoll);
            if (from >= to) {
                return ConsumerRecords.empty();
            }
            super.seek(tp, to);
            return new ConsumerRecords<>(Map.of(tp, new ArrayList<>(log.subList((int) from, to))), Map.of());
        }
    }

    private final KafkaSettings settings = KafkaSettings.from(ClientConfig.parse("kafka://127.0.0.1:1"));
    private final TopicPartition tp = new TopicPartition(settings.topic(STREAM), 0);

    private Fetcher fetcher(ConsumerPool pool) {
        StreamOps ops = new StreamOps(settings, new AdminOps(null, Duration.ofSeconds(1)), Clock.systemUTC());
        return new Fetcher(ops, pool, () -> false);
    }

    private static List<Long> offsets(List<StreamEvent> events) {
        return events.stream().map(e -> Long.parseLong(e.id().toString())).toList();
    }

    /** Reads the whole log in batches of {@code batch} from offset 0, the way a tail reader does. */
    private static List<Long> readAll(Fetcher f, int batch, int events) {
        List<Long> got = new ArrayList<>();
        long next = 0;
        while (next < events) {
            Fetcher.Fetch r = f.fetch(STREAM, 0, next, Long.MAX_VALUE, batch, Duration.ZERO, ActiveLease.none());
            assertTrue(!r.events().isEmpty(), "events at " + next + " are served");
            got.addAll(offsets(r.events()));
            next = r.next();
        }
        return got;
    }

    private static List<Long> range(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long i = from; i < to; i++) {
            out.add(i);
        }
        return out;
    }

    @Test
    void batchesSmallerThanAPollAreServedFromTheReadAheadWithoutSeekingBack() {
        LogConsumer c = new LogConsumer(tp, 5_000, POLL);
        try (ConsumerPool pool = new ConsumerPool(() -> c, 1, POLL, Duration.ofMillis(10))) {
            List<Long> got = readAll(fetcher(pool), 500, 5_000);
            assertEquals(range(0, 5_000), got, "every offset once, in order");
            assertEquals(1, c.seeks, "one seek to the start, none back");
            assertEquals(5, c.polls, "each record fetched once: 5 000 events in polls of 1 000");
        }
    }

    @Test
    void batchesThatDoNotDivideAPollLoseAndRepeatNothing() {
        LogConsumer c = new LogConsumer(tp, 2_500, POLL);
        try (ConsumerPool pool = new ConsumerPool(() -> c, 1, POLL, Duration.ofMillis(10))) {
            assertEquals(range(0, 2_500), readAll(fetcher(pool), 333, 2_500));
            assertEquals(1, c.seeks);
            assertEquals(3, c.polls);
        }
    }

    @Test
    void aReadFromAnotherOffsetSeeksAndDropsTheReadAhead() {
        LogConsumer c = new LogConsumer(tp, 3_000, POLL);
        try (ConsumerPool pool = new ConsumerPool(() -> c, 1, POLL, Duration.ofMillis(10))) {
            Fetcher f = fetcher(pool);
            Fetcher.Fetch a = f.fetch(STREAM, 0, 0, Long.MAX_VALUE, 100, Duration.ZERO, ActiveLease.none());
            assertEquals(range(0, 100), offsets(a.events()));
            // another reader of the same partition, further on: its offsets, not the read-ahead's
            Fetcher.Fetch b = f.fetch(STREAM, 0, 2_000, Long.MAX_VALUE, 100, Duration.ZERO, ActiveLease.none());
            assertEquals(range(2_000, 2_100), offsets(b.events()));
            // and back: a seek again, exactly its offsets
            Fetcher.Fetch a2 = f.fetch(STREAM, 0, 100, Long.MAX_VALUE, 100, Duration.ZERO, ActiveLease.none());
            assertEquals(range(100, 200), offsets(a2.events()));
            assertEquals(3, c.seeks);
        }
    }

    @Test
    void aRangeLimitKeepsTheRecordsBeyondItForTheNextRead() {
        LogConsumer c = new LogConsumer(tp, 2_000, POLL);
        try (ConsumerPool pool = new ConsumerPool(() -> c, 1, POLL, Duration.ofMillis(10))) {
            Fetcher f = fetcher(pool);
            Fetcher.Fetch a = f.fetch(STREAM, 0, 0, 10, 500, Duration.ZERO, ActiveLease.none());
            assertEquals(range(0, 10), offsets(a.events()));
            assertEquals(10, a.next());
            Fetcher.Fetch b = f.fetch(STREAM, 0, 10, Long.MAX_VALUE, 2_000, Duration.ZERO, ActiveLease.none());
            assertEquals(range(10, 1_000), offsets(b.events()), "the read-ahead first, without waiting for a poll");
            assertEquals(1, c.seeks);
            assertEquals(1, c.polls);
        }
    }

    @Test
    void aPollLargerThanTheBoundIsCutAndTheRestFetchedAgainNotLost() {
        LogConsumer c = new LogConsumer(tp, 1_000, POLL); // polls return 1 000, the bound is 300
        try (ConsumerPool pool = new ConsumerPool(() -> c, 1, 300, Duration.ofMillis(10))) {
            assertEquals(range(0, 1_000), readAll(fetcher(pool), 100, 1_000));
        }
    }
}
