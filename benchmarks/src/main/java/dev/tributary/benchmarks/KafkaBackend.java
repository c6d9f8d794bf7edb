package dev.tributary.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** One-partition topics on a Kafka broker, created with the admin client and filled with a KafkaProducer. */
final class KafkaBackend implements Backend {
    private final String bootstrap;
    private final String tributaryOptions;
    private final Admin admin;
    private final KafkaProducer<byte[], byte[]> producer;

    /** {@code tributaryOptions}: the query of Tributary's URI, or null. */
    KafkaBackend(String bootstrap, String tributaryOptions) {
        this.bootstrap = bootstrap;
        this.tributaryOptions = tributaryOptions;
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                30_000));
        this.producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ProducerConfig.LINGER_MS_CONFIG,
                        5,
                        ProducerConfig.BATCH_SIZE_CONFIG,
                        64 * 1024),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public String uri() {
        return "kafka://" + bootstrap + (tributaryOptions == null ? "" : "?" + tributaryOptions);
    }

    /** host:port of the broker. */
    String bootstrap() {
        return bootstrap;
    }

    @Override
    public void create(String stream) throws Exception {
        admin.createTopics(List.of(new NewTopic(stream, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }

    @Override
    public void fill(String stream, int records, byte[] payload) throws Exception {
        Window window = new Window();
        for (int i = 0; i < records; i++) {
            window.acquire();
            var unused = producer.send(new ProducerRecord<>(stream, payload), (md, e) -> window.complete(e));
        }
        producer.flush();
        window.awaitAll();
    }

    @Override
    public void delete(String stream) {
        try {
            admin.deleteTopics(List.of(stream)).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("peers: could not delete topic " + stream + ": " + e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }
}
