package dev.tributary.benchmarks;

import dev.tributary.benchmarks.Row.Contender;
import java.util.List;

/** The rows of the comparison, per backend (docs/benchmarks.md, Peers, says what each does). */
final class Rows {
    static final String PUBLISHED =
            "acknowledged by the broker; retried with its idempotency id, stored once;" + " per-key order";
    static final String PUBLISHED_PLAIN =
            "acknowledged by the broker; retried on retryable errors, an unknown outcome reported (no dedup);"
                    + " per-key order";
    static final String ACKED_REPLY = "acknowledged by the broker (XADD reply); no retry, no dedup";
    static final String GROUP = "at least once: each event acked after its handler returned";
    static final String GROUP_BATCH = "at least once: each batch acked after its handler returned";

    private Rows() {}

    /**
     * Tributary's side of a consume row: one GroupProcessor member with a batch handler, as every peer hands
     * the application a batch; {@code acked} says how the backend acks.
     */
    private static Contender groupProcessor(String uri, String acked) {
        return new Contender(
                "Tributary GroupProcessor",
                "GroupProcessor, one member, batchSize 1000, batch handler, " + acked,
                GROUP_BATCH,
                () -> new TributaryGroupSide(uri, false));
    }

    /** As {@link #groupProcessor}, with a handler called per event: what the per-event API costs. */
    private static Contender perEventProcessor(String uri, String acked) {
        return new Contender(
                "Tributary GroupProcessor, per-event handler",
                "GroupProcessor, one member, batchSize 1000, per-event handler, " + acked,
                GROUP,
                () -> new TributaryGroupSide(uri, true));
    }

    static List<Row> redis(RedisBackend redis) {
        String uri = redis.uri();
        Contender publisher = new Contender(
                "Tributary Publisher",
                "Publisher.publish(payload, key of 1024, no headers), default settings, whenFull 1 min",
                PUBLISHED,
                () -> new TributaryPublisherSide(uri, true));
        Contender plainPublisher = new Contender(
                "Tributary Publisher, idempotence(false)",
                "Publisher.publish(payload, key of 1024, no headers), idempotence(false), whenFull 1 min",
                PUBLISHED_PLAIN,
                () -> new TributaryPublisherSide(uri, false));
        Contender processor = groupProcessor(uri, "ack after the handler");
        Contender lettuceGroup = new Contender(
                "raw Lettuce XREADGROUP + XACK",
                "XREADGROUP COUNT 1000 BLOCK 500, then one XACK of the batch's ids",
                "at least once: each batch acked after it was read",
                () -> new LettuceGroupSide(uri));
        Contender lettucePublish = new Contender(
                "raw Lettuce pipelined XADD",
                "XADD with auto-flush off, flushCommands() every 1000, at most 5000 unanswered",
                ACKED_REPLY,
                () -> new LettucePipelinedSide(uri));
        return List.of(
                new Row(
                        "1",
                        "redis",
                        "publish",
                        "Publisher vs Spring Data Redis executePipelined",
                        publisher,
                        new Contender(
                                "Spring RedisTemplate.executePipelined",
                                "executePipelined(RedisCallback) with 1000 xAdd per call, pooled Lettuce factory",
                                ACKED_REPLY,
                                () -> new SpringPipelinedSide(redis))),
                new Row("2", "redis", "publish", "Publisher vs raw Lettuce pipelined", publisher, lettucePublish),
                new Row(
                        "3",
                        "redis",
                        "publish",
                        "Publisher vs Spring Data Redis opsForStream().add",
                        publisher,
                        new Contender(
                                "Spring opsForStream().add loop",
                                "opsForStream().add(key, map) per event: one synchronous XADD round trip each",
                                ACKED_REPLY,
                                () -> new SpringStreamAddSide(redis))),
                new Row(
                        "4",
                        "redis",
                        "publish",
                        "Publisher, idempotence off, vs raw Lettuce pipelined",
                        plainPublisher,
                        lettucePublish),
                new Row(
                        "5",
                        "redis",
                        "consume",
                        "GroupProcessor vs Redisson RStream",
                        processor,
                        new Contender(
                                "Redisson RStream readGroup + ack",
                                "readGroup(count 1000, timeout 500 ms) then ack(ids) per batch",
                                "at least once: each batch acked after it was read",
                                () -> new RedissonStreamSide(redis))),
                new Row("6", "redis", "consume", "GroupProcessor vs raw Lettuce", processor, lettuceGroup),
                new Row(
                        "6e",
                        "redis",
                        "consume",
                        "GroupProcessor with a per-event handler vs raw Lettuce",
                        perEventProcessor(uri, "ack after the handler"),
                        lettuceGroup),
                new Row(
                        "7a",
                        "redis",
                        "consume",
                        "GroupProcessor vs Spring StreamMessageListenerContainer, explicit ack",
                        processor,
                        new Contender(
                                "Spring listener container, explicit ack",
                                "receive(...) batchSize 1000, listener then opsForStream().acknowledge per message",
                                "at least once: XACK per message after the listener",
                                () -> new SpringContainerSide(redis, false))),
                new Row(
                        "7b",
                        "redis",
                        "consume",
                        "GroupProcessor (at least once) vs Spring receiveAutoAck (at most once): NOT the same"
                                + " guarantee",
                        processor,
                        new Contender(
                                "Spring listener container, receiveAutoAck",
                                "receiveAutoAck(...) batchSize 1000: XREADGROUP ... NOACK",
                                "AT MOST ONCE: NOACK, acknowledged when read, before the listener",
                                () -> new SpringContainerSide(redis, true))));
    }

    static List<Row> kafka(KafkaBackend kafka) {
        String uri = kafka.uri();
        Contender processor = groupProcessor(uri, "offsets committed after the handler");
        String commitSync = "at least once: offsets committed (commitSync) after the listener returned";
        Contender asyncBatchListener = new Contender(
                "Spring Kafka BatchMessageListener, syncCommits=false",
                "as 8a with ContainerProperties.setSyncCommits(false): commitAsync",
                "at least once: offsets committed (commitAsync) after the listener returned",
                () -> new SpringKafkaBatchSide(kafka, true));
        return List.of(
                new Row(
                        "8a",
                        "kafka",
                        "consume",
                        "GroupProcessor vs Spring Kafka batch listener, default commits",
                        processor,
                        new Contender(
                                "Spring Kafka BatchMessageListener",
                                "ConcurrentMessageListenerContainer, concurrency 1, max.poll.records 1000,"
                                        + " AckMode.BATCH, commitSync",
                                commitSync,
                                () -> new SpringKafkaBatchSide(kafka, false))),
                new Row(
                        "8b",
                        "kafka",
                        "consume",
                        "GroupProcessor vs Spring Kafka batch listener, async commits",
                        processor,
                        asyncBatchListener),
                new Row(
                        "8e",
                        "kafka",
                        "consume",
                        "GroupProcessor with a per-event handler vs Spring Kafka batch listener, async commits",
                        perEventProcessor(uri, "offsets committed after the handler"),
                        asyncBatchListener),
                new Row(
                        "9",
                        "kafka",
                        "consume",
                        "GroupProcessor vs @KafkaListener batch method",
                        processor,
                        new Contender(
                                "Spring @KafkaListener batch",
                                "@KafkaListener(List<ConsumerRecord>) in an @EnableKafka context, batchListener,"
                                        + " max.poll.records 1000, AckMode.BATCH, commitSync",
                                commitSync,
                                () -> new SpringKafkaAnnotationSide(kafka))),
                new Row(
                        "10",
                        "kafka",
                        "publish",
                        "Publisher vs Spring KafkaTemplate",
                        new Contender(
                                "Tributary Publisher",
                                "Publisher.publish(payload, key of 1024, no headers), default settings, whenFull 1 min",
                                "acks=all, idempotent producer; retried until the delivery deadline; per-key order",
                                () -> new TributaryPublisherSide(uri, true)),
                        new Contender(
                                "Spring KafkaTemplate.send",
                                "KafkaTemplate.send(topic, payload), batch.size 65536, linger.ms default (5 ms"
                                        + " in kafka-clients 4.x), at most 5000 unanswered",
                                "acks=all, idempotent producer (the client's defaults); retried inside the client",
                                () -> new KafkaTemplateSide(kafka))));
    }
}
