package dev.tributary.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.GroupConsumer;
import dev.tributary.GroupInfo;
import dev.tributary.GroupOptions;
import dev.tributary.StreamClient;
import dev.tributary.StreamClients;
import dev.tributary.StreamEvent;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Adopting what other Kafka applications made: a consumer group that a plain kafka-clients consumer
 * created and committed is joined by its own id ({@code groupIdPrefix=}, empty), continues from its
 * committed offsets, and commits where that consumer will find them.
 */
class KafkaAdoptionIT {
    private static final String RUN = Long.toString(System.currentTimeMillis() % 1_000_000, 36);

    private static String bootstrap() {
        return KafkaFixture.shared().config().uri().getRawAuthority();
    }

    @Test
    void anExistingGroupIsJoinedByItsOwnIdAndContinuesFromItsCommittedOffsets() throws Exception {
        StreamName s = StreamName.of("adopt-" + RUN + "-orders");
        String legacyGroup = "legacy-billing-" + RUN;
        try (StreamClient plain = StreamClients.open(KafkaFixture.shared().config().toBuilder()
                .option("groupIdPrefix", "")
                .build())) {
            plain.createStream(s);
            for (int i = 0; i < 10; i++) {
                plain.append(s, StreamRecord.of("e" + i));
            }
            TopicPartition tp = new TopicPartition(s.value(), 0);
            try (KafkaConsumer<byte[], byte[]> legacy = new KafkaConsumer<>(
                    Map.of(
                            "bootstrap.servers",
                            bootstrap(),
                            "group.id",
                            legacyGroup,
                            "enable.auto.commit",
                            "false",
                            "auto.offset.reset",
                            "earliest"),
                    new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                legacy.subscribe(List.of(s.value()));
                int seen = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (seen < 10 && System.nanoTime() < deadline) {
                    seen += legacy.poll(Duration.ofMillis(200)).count();
                }
                assertEquals(10, seen, "the legacy consumer read the stream");
                legacy.commitSync(Map.of(tp, new OffsetAndMetadata(4))); // it handled e0..e3
            }

            plain.createGroup(s, legacyGroup, GroupOptions.defaults()); // idempotent: keeps the committed offsets
            List<StreamEvent> got = new ArrayList<>();
            try (GroupConsumer m = plain.openGroupConsumer(s, legacyGroup, "m1")) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (got.size() < 6 && System.nanoTime() < deadline) {
                    List<StreamEvent> batch = m.poll(10, Duration.ofMillis(200));
                    got.addAll(batch);
                    if (!batch.isEmpty()) {
                        m.ack(batch.stream().map(StreamEvent::id).toList());
                    }
                }
                assertEquals(
                        List.of("e4", "e5", "e6", "e7", "e8", "e9"),
                        got.stream().map(StreamEvent::payloadAsString).toList(),
                        "from the group's committed offset on");
                assertTrue(got.stream().allMatch(e -> e.deliveryCount() == 1), "first deliveries");
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                GroupInfo info = plain.groupInfo(s, legacyGroup);
                while (info.lag() != 0 && System.nanoTime() < until) {
                    Thread.sleep(200);
                    info = plain.groupInfo(s, legacyGroup);
                }
                assertEquals(0, info.lag(), "acks committed to the group: " + info);
            }
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap()))) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(legacyGroup)
                        .partitionsToOffsetAndMetadata()
                        .get(20, TimeUnit.SECONDS);
                assertEquals(10, committed.get(tp).offset(), "the legacy application finds Tributary's commits");
                assertTrue(
                        admin.listConsumerGroupOffsets(s.value() + "." + legacyGroup)
                                .partitionsToOffsetAndMetadata()
                                .get(20, TimeUnit.SECONDS)
                                .isEmpty(),
                        "no topic-scoped group was made");
            }
        }
    }
}
