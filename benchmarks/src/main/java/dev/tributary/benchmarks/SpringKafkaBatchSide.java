package dev.tributary.benchmarks;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.springframework.context.Lifecycle;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;

/**
 * Spring Kafka's {@link ConcurrentMessageListenerContainer} (concurrency 1) with a
 * {@link BatchMessageListener} that counts the batch; {@code max.poll.records=1000}, earliest offsets, a fresh
 * group per round. The container's default {@code AckMode.BATCH} commits the offsets after each batch the
 * listener returned from: with {@code commitSync} by default, or with {@code commitAsync}
 * ({@code ContainerProperties.setSyncCommits(false)}). Both at least once.
 */
final class SpringKafkaBatchSide extends ListenerContainerSide {
    private final KafkaBackend kafka;
    private final boolean asyncCommits;

    SpringKafkaBatchSide(KafkaBackend kafka, boolean asyncCommits) {
        this.kafka = kafka;
        this.asyncCommits = asyncCommits;
    }

    /** The consumer settings every Spring Kafka side uses. */
    static DefaultKafkaConsumerFactory<byte[], byte[]> consumers(String bootstrap) {
        return new DefaultKafkaConsumerFactory<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                        1000),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    @Override
    Lifecycle container(String topic, Progress p) {
        ContainerProperties props = new ContainerProperties(topic);
        props.setGroupId(nextGroup() + "-" + topic);
        props.setSyncCommits(!asyncCommits);
        props.setMessageListener((BatchMessageListener<byte[], byte[]>) batch -> p.add(batch.size()));
        var container = new ConcurrentMessageListenerContainer<>(consumers(kafka.bootstrap()), props);
        container.setConcurrency(1);
        return container;
    }
}
