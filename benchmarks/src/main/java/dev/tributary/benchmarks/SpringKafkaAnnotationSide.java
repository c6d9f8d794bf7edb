package dev.tributary.benchmarks;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.kafka.annotation.EnableKafka;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.ConsumerFactory;

/**
 * A {@code @KafkaListener} batch method ({@code List<ConsumerRecord>}) in a minimal Spring context
 * ({@link AnnotationConfigApplicationContext}, {@code @EnableKafka}, a
 * {@link ConcurrentKafkaListenerContainerFactory} with {@code batchListener=true}), the consumer settings
 * of {@link SpringKafkaBatchSide} and the default {@code AckMode.BATCH} with {@code commitSync}: at least
 * once. The context is built before the timed part; the timed part starts the listener's container.
 */
final class SpringKafkaAnnotationSide implements Side {
    static final String LISTENER_ID = "peers";

    private final KafkaBackend kafka;
    private int round;
    private Progress progress;
    private AnnotationConfigApplicationContext context;

    SpringKafkaAnnotationSide(KafkaBackend kafka) {
        this.kafka = kafka;
    }

    @Override
    public void prepare(String topic, int records) {
        Progress p = new Progress(records);
        progress = p;
        AnnotationConfigApplicationContext c = new AnnotationConfigApplicationContext();
        c.getEnvironment()
                .getPropertySources()
                .addFirst(new MapPropertySource(
                        "peers",
                        Map.of(
                                "peers.topic",
                                topic,
                                "peers.group",
                                "peers-" + ++round + "-" + topic,
                                "peers.bootstrap",
                                kafka.bootstrap())));
        c.registerBean(Progress.class, () -> p);
        c.register(ListenerConfig.class);
        c.refresh();
        context = c;
    }

    @Override
    public void run(int records) throws Exception {
        var container = context.getBean(KafkaListenerEndpointRegistry.class).getListenerContainer(LISTENER_ID);
        if (container == null) {
            throw new IllegalStateException("no @KafkaListener container '" + LISTENER_ID + "' in the context");
        }
        container.start();
        progress.await(() -> null);
    }

    @Override
    public void finish() {
        if (context != null) {
            context.close();
            context = null;
        }
    }

    @Override
    public void close() {
        finish();
    }

    /** The application's configuration: a consumer factory and a batch listener container factory. */
    @Configuration(proxyBeanMethods = false)
    @EnableKafka
    static class ListenerConfig {
        @Bean
        ConsumerFactory<byte[], byte[]> consumerFactory(Environment env) {
            return SpringKafkaBatchSide.consumers(env.getRequiredProperty("peers.bootstrap"));
        }

        @Bean
        ConcurrentKafkaListenerContainerFactory<byte[], byte[]> kafkaListenerContainerFactory(
                ConsumerFactory<byte[], byte[]> consumers) {
            ConcurrentKafkaListenerContainerFactory<byte[], byte[]> f = new ConcurrentKafkaListenerContainerFactory<>();
            f.setConsumerFactory(consumers);
            f.setBatchListener(true);
            f.setConcurrency(1);
            return f;
        }

        @Bean
        BatchListener batchListener(Progress progress) {
            return new BatchListener(progress);
        }
    }

    /** The listener bean: counts each batch. */
    static class BatchListener {
        private final Progress progress;

        BatchListener(Progress progress) {
            this.progress = progress;
        }

        @KafkaListener(id = LISTENER_ID, topics = "${peers.topic}", groupId = "${peers.group}", autoStartup = "false")
        public void onBatch(List<ConsumerRecord<byte[], byte[]>> batch) {
            progress.add(batch.size());
        }
    }
}
