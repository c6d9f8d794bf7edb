package dev.tributary.benchmarks;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Spring Kafka's {@link KafkaTemplate}: {@code send(topic, payload)} per event (no key), at most
 * {@link Window#LIMIT} unanswered, on a {@link DefaultKafkaProducerFactory} with {@code batch.size=65536} and
 * otherwise the client's defaults, as a Spring Boot application gets them: {@code linger.ms} unset, so
 * kafka-clients 4.x's default of 5 ms; {@code acks=all} and idempotence on (the defaults since Kafka 3.0).
 */
final class KafkaTemplateSide implements Side {
    private final DefaultKafkaProducerFactory<byte[], byte[]> factory;
    private final KafkaTemplate<byte[], byte[]> template;
    private final byte[] payload = Window.payload();
    private String topic;

    KafkaTemplateSide(KafkaBackend kafka) {
        factory = new DefaultKafkaProducerFactory<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrap(),
                        ProducerConfig.BATCH_SIZE_CONFIG,
                        64 * 1024),
                new ByteArraySerializer(),
                new ByteArraySerializer());
        template = new KafkaTemplate<>(factory);
    }

    @Override
    public void prepare(String stream, int records) {
        topic = stream;
        // the producer is created and learns the topic's leader before the timed part, as Tributary's is
        var unused = template.partitionsFor(topic);
    }

    @Override
    public void run(int records) throws Exception {
        Window window = new Window();
        for (int i = 0; i < records; i++) {
            window.acquire();
            var unused = template.send(topic, payload).whenComplete((r, e) -> window.complete(e));
        }
        template.flush();
        window.awaitAll();
    }

    @Override
    public void close() {
        factory.destroy();
    }
}
