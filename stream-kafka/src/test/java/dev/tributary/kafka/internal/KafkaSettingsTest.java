package dev.tributary.kafka.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ClientConfig;
import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import dev.tributary.spi.StreamProvider;
import dev.tributary.spi.StreamProviderRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class KafkaSettingsTest {

    private static KafkaSettings settings(String uri) {
        return KafkaSettings.from(ClientConfig.parse(uri));
    }

    private static ErrorKind kindOf(Runnable r) {
        return assertThrows(StreamException.class, r::run).kind();
    }

    @Test
    void providerIsFoundByNameAndScheme() {
        StreamProviderRegistry reg = StreamProviderRegistry.load(getClass().getClassLoader());
        StreamProvider p = reg.select(ClientConfig.parse("kafka://h:9092"), null);
        assertEquals("kafka", p.name());
        assertEquals(
                "kafka",
                reg.select(ClientConfig.parse("kafka+ssl://h:9093"), null).name());
        assertTrue(ServiceLoader.load(StreamProvider.class).stream()
                .anyMatch(x -> x.type().getSimpleName().equals("KafkaStreamProvider")));
    }

    @Test
    void hostListAndSecurityFromTheUri() {
        KafkaSettings s = settings("kafka://a:9092,b:9093");
        assertEquals("a:9092,b:9093", s.bootstrap());
        assertEquals("PLAINTEXT", s.securityProtocol());
        assertEquals("SSL", settings("kafka+ssl://a:9093").securityProtocol());
        KafkaSettings sasl = settings("kafka+ssl://user:p%40ss@a:9093?saslMechanism=SCRAM-SHA-512");
        assertEquals("SASL_SSL", sasl.securityProtocol());
        Map<String, Object> props = sasl.adminProps("x");
        assertEquals("SCRAM-SHA-512", props.get("sasl.mechanism"));
        String jaas = (String) props.get("sasl.jaas.config");
        assertTrue(jaas.startsWith("org.apache.kafka.common.security.scram.ScramLoginModule required"), jaas);
        assertTrue(jaas.contains("password=\"p@ss\""), "password decoded");
        assertEquals("SASL_PLAINTEXT", settings("kafka://u:p@a:9092").securityProtocol());
    }

    @Test
    void groupIdsAreTopicScopedByDefaultAndFollowTheGivenPrefix() {
        StreamName orders = StreamName.of("orders");
        assertEquals("orders.billing", settings("kafka://h:9092").groupId(orders, "billing"));
        assertEquals(
                "billing", settings("kafka://h:9092?groupIdPrefix=").groupId(orders, "billing"), "empty: verbatim");
        assertEquals(
                "com.acme.billing",
                settings("kafka://h:9092?groupIdPrefix=com.acme.").groupId(orders, "billing"));
        assertEquals(
                ErrorKind.CONFIGURATION, kindOf(() -> settings("kafka://h:9092?groupIdPrefix=" + "x".repeat(201))));
        assertEquals(ErrorKind.CONFIGURATION, kindOf(() -> settings("kafka://h:9092?groupIdPrefix=a%0Ab")));
    }

    @Test
    void aMemberCommitsAfterEveryPollUnlessACommitIntervalIsSet() {
        assertEquals(Duration.ZERO, settings("kafka://a:1").commitInterval());
        assertEquals(
                Duration.ofMillis(100),
                settings("kafka://a:1?commitInterval=100ms").commitInterval());
        assertEquals(ErrorKind.CONFIGURATION, kindOf(() -> settings("kafka://a:1?commitInterval=11s")));
        assertEquals(ErrorKind.CONFIGURATION, kindOf(() -> settings("kafka://a:1?commitInterval=soon")));
    }

    @Test
    void badUrisAndOptionsAreConfigurationErrors() {
        assertEquals(ErrorKind.CONFIGURATION, kindOf(() -> settings("kafka://hostonly")));
        assertEquals(ErrorKind.CONFIGURATION, kindOf(() -> settings("kafka://a:99999")));
        assertEquals(ErrorKind.CONFIGURATION, kindOf(() -> settings("kafka://a:1?partitions=0")));
        assertEquals(ErrorKind.CONFIGURATION, kindOf(() -> settings("kafka://a:1?partitionz=2")));
        assertEquals(ErrorKind.CONFIGURATION, kindOf(() -> settings("kafka://a:1?acks=0")));
        assertEquals(ErrorKind.CONFIGURATION, kindOf(() -> settings("kafka://a:1?securityProtocol=SASL_SSL")));
        assertEquals(ErrorKind.CONFIGURATION, kindOf(() -> settings("redis://a:1")));
    }

    @Test
    void extraKafkaPropertiesPassButNeverThoseThatLoadCodeOrFiles() {
        KafkaSettings s = settings(
                "kafka://a:1?kafka.compression.type=lz4&kafka.producer.batch.size=1000&kafka.consumer.fetch.min.bytes=5");
        assertEquals("lz4", s.producerProps("p").get("compression.type"));
        assertEquals("1000", s.producerProps("p").get("batch.size"));
        assertEquals("5", s.readerProps("r").get("fetch.min.bytes"));
        for (String unsafe : new String[] {
            "kafka.sasl.jaas.config=x",
            "kafka.config.providers=file",
            "kafka.interceptor.classes=x.Y",
            "kafka.producer.partitioner.class=x.Y",
            "kafka.sasl.login.callback.handler.class=x",
            "kafka.sasl.oauthbearer.token.endpoint.url=file:/etc/passwd",
            "kafka.metric.reporters=x.Y",
            "kafka.ssl.truststore.location=/etc/shadow",
            "kafka.sasl.kerberos.kinit.cmd=/bin/sh"
        }) {
            assertEquals(ErrorKind.CONFIGURATION, kindOf(() -> settings("kafka://a:1?" + unsafe)), unsafe);
        }
        assertEquals(ErrorKind.CONFIGURATION, kindOf(() -> settings("kafka://a:1?kafka.enable.idempotence=false")));
        assertEquals(ErrorKind.CONFIGURATION, kindOf(() -> settings("kafka://a:1?kafka.bootstrap.servers=evil:1")));
        KafkaSettings opted = settings("kafka://a:1?allowUnsafeKafkaProperties=true&kafka.interceptor.classes=x.Y"
                + "&kafka.ssl.truststore.location=/etc/kafka/ca.p12");
        assertEquals("x.Y", opted.producerProps("p").get("interceptor.classes"));
        assertEquals("/etc/kafka/ca.p12", opted.adminProps("a").get("ssl.truststore.location"));
        // PEM certificates given as content need no opt-in
        assertEquals(
                "PEM",
                settings("kafka+ssl://a:1?kafka.ssl.truststore.type=PEM&kafka.ssl.truststore.certificates=x")
                        .readerProps("r")
                        .get("ssl.truststore.type"));
    }

    @Test
    void messagesAreScrubbedOfSecrets() {
        KafkaSettings s = settings(
                "kafka://u:s3cr3t@a:1?kafka.ssl.key.password=kp4ss&kafka.ssl.keystore.key=PEMKEY&kafka.client.rack=r1");
        String scrubbed = s.scrub("bad s3cr3t, kp4ss and PEMKEY near r1");
        assertEquals("bad ****, **** and **** near r1", scrubbed);
        assertEquals("", s.scrub(null));
    }

    @Test
    void producerIsIdempotentWithBoundedBlocking() {
        Map<String, Object> p =
                settings("kafka://a:1?requestTimeout=5s&linger=2ms").producerProps("p");
        assertEquals("all", p.get("acks"));
        assertEquals(true, p.get("enable.idempotence"));
        assertEquals(2, p.get("linger.ms"));
        assertTrue(((Number) p.get("max.block.ms")).longValue() <= 5_000);
        assertTrue(((Number) p.get("delivery.timeout.ms")).longValue() <= 5_000);
    }

    @Test
    void producerForgetsIdleTopicsAfterTenSecondsUnlessTheUserSetsAnotherTime() {
        assertEquals(10_000, settings("kafka://a:1").producerProps("p").get("metadata.max.idle.ms"));
        assertEquals(
                "300000",
                settings("kafka://a:1?kafka.producer.metadata.max.idle.ms=300000")
                        .producerProps("p")
                        .get("metadata.max.idle.ms"));
    }

    @Test
    void aMembersPollTakesAThousandRecordsUnlessTheUserSetsAnotherFigure() {
        assertEquals(
                1_000,
                settings("kafka://a:1")
                        .groupProps("m", "g", Duration.ofSeconds(30))
                        .get("max.poll.records"));
        assertEquals(
                "200",
                settings("kafka://a:1?kafka.consumer.max.poll.records=200")
                        .groupProps("m", "g", Duration.ofSeconds(30))
                        .get("max.poll.records"));
    }

    @Test
    void topicAndGroupNamesUseTheNamespace() {
        assertEquals("s1", settings("kafka://a:1").topic(StreamName.of("s1")));
        KafkaSettings ns = settings("kafka://a:1?namespace=tenant-a");
        assertEquals("tenant-a.s1", ns.topic(StreamName.of("s1")));
        assertEquals("tenant-a.s1.g", ns.groupId(StreamName.of("s1"), "g"));
        assertEquals("LogAppendTime", ns.topicConfig().get("message.timestamp.type"));
    }

    @Test
    void idsRoundTripInTheClientsForm() {
        assertEquals(EventId.ofSequence(41), Records.parse("41", false));
        assertEquals(EventId.parse("2/41"), Records.parse("2/41", true));
        assertEquals(ErrorKind.INVALID_ARGUMENT, kindOf(() -> Records.parse("2/41", false)));
        assertEquals(ErrorKind.INVALID_ARGUMENT, kindOf(() -> Records.parse("2-41", true)));
        assertEquals(ErrorKind.INVALID_ARGUMENT, kindOf(() -> Records.parse("41", true)));
        assertEquals(ErrorKind.INVALID_ARGUMENT, kindOf(() -> Records.parse("x", false)));
        assertEquals(ErrorKind.INVALID_ARGUMENT, kindOf(() -> Records.parse("99999/1", true)));
        assertEquals(2, Records.partition(EventId.parse("2/41"), true));
        assertEquals(41, Records.offset(EventId.parse("2/41"), true));
        assertEquals(EventId.parse("2/41"), Records.id(2, 41, true));
    }

    @Test
    void emptyPayloadIsNeverATombstoneAndKeysStayDistinct() {
        ProducerRecord<byte[], byte[]> empty = Records.toProducer("t", 0, StreamRecord.of(new byte[0]));
        assertEquals(0, empty.value().length);
        assertNull(empty.key());
        ProducerRecord<byte[], byte[]> emptyKey = Records.toProducer(
                "t",
                0,
                StreamRecord.builder()
                        .payload("x")
                        .key(new byte[0])
                        .header("k", "v")
                        .build());
        assertEquals(0, emptyKey.key().length);
        assertEquals(
                "v", new String(emptyKey.headers().lastHeader("k").value(), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void groupMetadataRoundTripsAndStaysWithinTheBrokerLimit() {
        GroupMeta m = new GroupMeta(1500);
        m.deliveredUpTo = 120;
        m.lastDeliveryMs = 1_700_000_000_000L;
        m.counts.put(101L, 3);
        m.acked.add(105L);
        GroupMeta back = GroupMeta.parse(m.encode());
        assertEquals(1500, back.ackTimeoutMs);
        assertEquals(120, back.deliveredUpTo);
        assertEquals(1_700_000_000_000L, back.lastDeliveryMs);
        assertEquals(Map.of(101L, 3), back.counts);
        assertTrue(back.acked.contains(105L));
        assertNull(GroupMeta.parse("someone else's metadata"));
        assertNull(GroupMeta.parse(null));
        GroupMeta big = new GroupMeta(30_000);
        big.deliveredUpTo = 1_000_000;
        for (long o = 0; o < 10_000; o++) {
            big.counts.put(o, 2);
            big.acked.add(500_000 + o);
        }
        String encoded = big.encode();
        assertTrue(encoded.length() <= GroupMeta.MAX_CHARS, "length " + encoded.length());
        GroupMeta cut = GroupMeta.parse(encoded);
        assertFalse(cut.counts.isEmpty());
        assertFalse(cut.acked.isEmpty());
    }

    @Test
    void severalBadOptionsGiveOneConfigurationErrorNamingEach() {
        StreamException e = assertThrows(
                StreamException.class,
                () -> settings("kafka://a:1?partitions=0&linger=forever"
                        + "&acks=0&partitionz=2&saslMechanism=MD5&kafka.interceptor.classes=x.Y&maxUnacked=many"));
        assertEquals(ErrorKind.CONFIGURATION, e.kind());
        String m = e.getMessage();
        for (String named : new String[] {
            "7 invalid Kafka options",
            "partitions=0",
            "linger=forever",
            "acks=0",
            "'partitionz'",
            "saslMechanism=MD5",
            "interceptor.classes",
            "maxUnacked=many"
        }) {
            assertTrue(m.contains(named), named + " in: " + m);
        }
    }

    @Test
    void theProducerBufferHoldsAFullWindowSoTheWindowIsTheOneBound() {
        KafkaSettings s = settings("kafka://a:1?maxInFlightAppends=50000&maxPayloadBytes=2000000&requestTimeout=5s");
        Map<String, Object> p = s.producerProps("p");
        assertEquals(
                50_000L * (2_000_000 + KafkaStreamClient.MAX_HEADER_BYTES + 512) + 64 * 1024, p.get("buffer.memory"));
        assertEquals(
                32L << 20,
                settings("kafka://a:1?maxInFlightAppends=1").producerProps("p").get("buffer.memory"),
                "never below Kafka's default");
        assertTrue(
                ((Number) p.get("delivery.timeout.ms")).longValue() < 5_000,
                "the producer answers before the window's deadline");
        assertEquals(ErrorKind.CONFIGURATION, kindOf(() -> settings("kafka://a:1?kafka.buffer.memory=1000")));
    }
}
