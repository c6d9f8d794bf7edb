package dev.tributary.cli.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Raw kafka-clients: one {@code KafkaProducer} ({@code acks=all}, idempotent, linger 5 ms, 64 KiB batches) with
 * {@code send} per record into a one-partition topic, and {@code KafkaConsumer} members polling
 * {@code max.poll.records = batch} with {@code commitAsync} per poll and a final {@code commitSync}
 * (what an expert writes), and for tails a consumer without a group: {@code assign} + {@code seek} + {@code poll}.
 */
final class KafkaRawTarget extends RawTarget {
    private final String bootstrap;
    private final Admin admin;
    private final Properties producerProps;
    /** The round's producer: made in prepare, outside the timed phases, and closed in cleanup. */
    private KafkaProducer<byte[], byte[]> producer;

    private final int partitions;
    private String topic;

    KafkaRawTarget(String uri, int partitions) {
        this.partitions = partitions;
        this.bootstrap = RawUris.authority(uri);
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        this.admin = Admin.create(p);
        Properties pp = new Properties();
        pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        pp.put(ProducerConfig.ACKS_CONFIG, "all");
        pp.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // the producer tuning stream-kafka applies (linger 5 ms, 64 KiB batches, no compression), so the
        // ratio measures the abstraction, not a difference in tuning
        pp.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        pp.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        pp.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        pp.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        pp.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        this.producerProps = pp;
    }

    @Override
    public String label() {
        return "raw kafka-clients";
    }

    @Override
    public String method() {
        return "KafkaProducer.send (acks=all, idempotent, linger.ms=5, batch.size=65536) to a " + partitions
                + "-partition topic; KafkaConsumer poll "
                + "(max.poll.records=batch) + commitAsync per poll, commitSync at the end; tail: assign + seekToBeginning + poll";
    }

    @Override
    public void prepare(String streamName) throws Exception {
        topic = streamName;
        // a producer per round: one kept across rounds whose topics were deleted sometimes reset a
        // partition's sequence and was refused OutOfOrderSequence by the broker for the rest of the round
        producer = new KafkaProducer<>(producerProps);
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                .all()
                .get(30, TimeUnit.SECONDS);
    }

    @Override
    public PhaseResult append(Workload w, Progress progress) throws Exception {
        return Drivers.append(w, progress, "append  raw kafka-clients", (index, payload, done) -> {
            var unused = producer.send(new ProducerRecord<>(topic, payload), (md, e) -> done.complete(e));
        });
    }

    /** {@code assign} + {@code seekToBeginning} + {@code poll} in a loop, a consumer without a group. */
    @Override
    public PhaseResult tail(Workload w, Progress progress) throws Exception {
        return Drivers.process(w, progress, "tail    raw kafka-clients", handled -> {
            KafkaConsumer<byte[], byte[]>[] holder = newHolder();
            AutoCloseable loop = Drivers.loop("bench-raw-tail", handled, () -> {
                Properties p = consumerProperties(w);
                KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p);
                holder[0] = consumer;
                List<TopicPartition> all = new ArrayList<>();
                for (int i = 0; i < partitions; i++) {
                    all.add(new TopicPartition(topic, i));
                }
                consumer.assign(all);
                consumer.seekToBeginning(all);
                return () -> consumer.poll(Duration.ofMillis(500)).count();
            });
            return () -> {
                loop.close();
                if (holder[0] != null) {
                    holder[0].close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
                }
            };
        });
    }

    /** {@code send} to a group consumer ({@code latest}) that polls and {@code commitAsync}s, on a thread of its own. */
    @Override
    public PhaseResult latency(Workload w, Progress progress, int rate) throws Exception {
        String group = "bench-latency-" + UUID.randomUUID();
        KafkaConsumer<byte[], byte[]>[] holder = newHolder();
        return Latency.run(
                w,
                progress,
                "latency raw kafka-clients",
                rate,
                (payload, failed) -> {
                    var unused = producer.send(new ProducerRecord<>(topic, payload), (md, e) -> {
                        if (e != null) {
                            failed.accept(e);
                        }
                    });
                },
                handled -> {
                    AutoCloseable loop = Drivers.loop("bench-raw-latency", n -> {}, () -> {
                        Properties p = consumerProperties(w);
                        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
                        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
                        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p);
                        holder[0] = consumer;
                        consumer.subscribe(List.of(topic));
                        return () -> {
                            ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                            records.forEach(r -> handled.accept(r.value()));
                            if (!records.isEmpty()) {
                                consumer.commitAsync();
                            }
                            return records.count();
                        };
                    });
                    return () -> {
                        loop.close();
                        if (holder[0] != null) {
                            holder[0].close(
                                    org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
                        }
                    };
                });
    }

    @SuppressWarnings("unchecked") // a one-element holder of a generic type
    private static KafkaConsumer<byte[], byte[]>[] newHolder() {
        return new KafkaConsumer[1];
    }

    private Properties consumerProperties(Workload w) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, w.batch());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    /**
     * Members poll and {@code commitAsync} after each poll, with a final {@code commitSync} when they close;
     * the group is a new one each time ({@code bench-<random>}), whatever {@code groupName} says.
     */
    @Override
    PhaseResult group(Workload w, Progress progress, String groupName, String title) throws Exception {
        String group = "bench-" + UUID.randomUUID();
        return Drivers.consume(w, progress, title, index -> {
            Properties p = consumerProperties(w);
            p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            p.put(ConsumerConfig.CLIENT_ID_CONFIG, group + "-m" + index);
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p);
            consumer.subscribe(List.of(topic));
            return new Drivers.Member() {
                @Override
                public int pollAndAck(int max) {
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                    if (records.isEmpty()) {
                        return 0;
                    }
                    consumer.commitAsync();
                    return records.count();
                }

                @Override
                public void close() {
                    try {
                        consumer.commitSync(Duration.ofSeconds(5));
                    } catch (RuntimeException e) {
                        // the phase is over; a failed final commit only means a redelivery nobody reads
                    }
                    consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
                }
            };
        });
    }

    @Override
    public void cleanup() throws Exception {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
        if (topic != null) {
            admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        admin.close(Duration.ofSeconds(5));
    }
}
