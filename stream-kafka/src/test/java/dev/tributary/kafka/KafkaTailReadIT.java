package dev.tributary.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tributary.EventId;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamClients;
import dev.tributary.StreamEvent;
import dev.tributary.StreamName;
import dev.tributary.StreamReader;
import dev.tributary.StreamRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * A tail reader that asks for less than one poll of the pooled consumer (500 of 1 000) reads every
 * event once, in order, and at the pace of a raw {@code assign} + {@code seek} + {@code poll} loop:
 * the records a poll fetched beyond the batch are served to the next poll, never fetched again.
 * Prints the figures of each round (docs/benchmarks.md); {@code -Dtributary.tail.events} and
 * {@code -Dtributary.tail.rounds} scale it (default 100 000 events of 100 B, 3 rounds).
 */
class KafkaTailReadIT {

    @Test
    void aTailReaderInBatchesOf500ReadsEveryEventOnceAtThePaceOfARawLoop() {
        int events = Integer.getInteger("tributary.tail.events", 100_000);
        int rounds = Integer.getInteger("tributary.tail.rounds", 3);
        StreamName s = StreamName.of("tail-read-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36));
        // a loaded machine may answer slowly: the fixture's 5 s timeouts are meant for the kit's fault rules
        try (StreamClient client = StreamClients.open(KafkaFixture.shared().config().toBuilder()
                        .connectTimeout(Duration.ofSeconds(30))
                        .requestTimeout(Duration.ofSeconds(30))
                        .build());
                KafkaConsumer<byte[], byte[]> raw = new KafkaConsumer<>(
                        Map.of(
                                "bootstrap.servers",
                                KafkaFixture.shared().config().uri().getRawAuthority(),
                                "max.poll.records",
                                1_000,
                                "fetch.max.wait.ms",
                                100,
                                "enable.auto.commit",
                                false),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer())) {
            client.createStream(s);
            byte[] payload = new byte[100];
            List<CompletableFuture<EventId>> sent = new ArrayList<>(events);
            for (int i = 0; i < events; i++) {
                sent.add(client.appendAsync(s, StreamRecord.of(payload)));
            }
            sent.forEach(CompletableFuture::join);
            List<Double> ratios = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                long t0 = System.nanoTime();
                long read = 0;
                long expected = 0;
                try (StreamReader r = client.openReader(s, Position.earliest())) {
                    while (read < events) {
                        List<StreamEvent> batch = r.poll(500, Duration.ofSeconds(5));
                        for (StreamEvent e : batch) {
                            assertEquals(EventId.ofSequence(expected), e.id(), "every event once, in order");
                            expected++;
                        }
                        read += batch.size();
                    }
                }
                double tributary = events / ((System.nanoTime() - t0) / 1e9);
                double rawRate = rawLoop(raw, s.value(), events);
                ratios.add(tributary / rawRate);
                System.out.printf(
                        "tail read round %d: Tributary poll(500) %.0f/s, raw poll %.0f/s, ratio %.2f%n",
                        round, tributary, rawRate, tributary / rawRate);
            }
            Collections.sort(ratios);
            System.out.printf("tail read: median of per-round ratios %.2f%n", ratios.get(ratios.size() / 2));
        }
    }

    /**
     * An expert's raw loop on a consumer kept across rounds (as the client's pool keeps its own):
     * assign, seek to the start, poll until every record is read.
     */
    private static double rawLoop(KafkaConsumer<byte[], byte[]> c, String topic, int events) {
        long t0 = System.nanoTime();
        TopicPartition tp = new TopicPartition(topic, 0);
        c.assign(List.of(tp));
        c.seek(tp, 0);
        long read = 0;
        while (read < events) {
            ConsumerRecords<byte[], byte[]> recs = c.poll(Duration.ofSeconds(5));
            read += recs.count();
        }
        return events / ((System.nanoTime() - t0) / 1e9);
    }
}
