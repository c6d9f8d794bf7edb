package dev.tributary.kafka.internal;

import dev.tributary.ErrorKind;
import dev.tributary.StreamException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka clients of one Tributary client and their lifecycle: one admin client, one shared
 * idempotent producer, a bounded pool of reader consumers, and the factory of group members'
 * consumers. {@link #open} creates them (the Kafka clients connect lazily) and checks that the
 * cluster answers; {@link #shutdown} closes them within a time bound, even with the broker frozen.
 */
final class KafkaConnector {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaConnector.class);
    private static final AtomicInteger CLIENTS = new AtomicInteger();

    private final KafkaSettings settings;
    private final String clientId;
    private final AtomicInteger consumerSeq = new AtomicInteger();
    private final Admin adminClient;
    private final AdminOps admin;
    private final KafkaProducer<byte[], byte[]> producer;
    private final ConsumerPool pool;

    private KafkaConnector(KafkaSettings settings, String clientId, Admin adminClient,
            KafkaProducer<byte[], byte[]> producer) {
        this.settings = settings;
        this.clientId = clientId;
        this.adminClient = adminClient;
        this.admin = new AdminOps(adminClient, settings.requestTimeout());
        this.producer = producer;
        this.pool = new ConsumerPool(() -> new KafkaConsumer<>(settings.readerProps(nextConsumerId("reader")),
                new ByteArrayDeserializer(), new ByteArrayDeserializer()), settings.readerConsumers(),
                settings.closeTimeout());
    }

    /**
     * Creates the Kafka clients and checks that the cluster answers within the connect timeout:
     * wrong credentials fail with AUTHENTICATION, an unreachable cluster with RETRYABLE, a client
     * Kafka refuses to create with CONFIGURATION. Nothing stays open when it fails.
     */
    static KafkaConnector open(KafkaSettings settings, String safeUri) {
        probe(settings);
        String id = "tributary-" + CLIENTS.incrementAndGet();
        Admin a = null;
        KafkaProducer<byte[], byte[]> p = null;
        try {
            a = Admin.create(settings.adminProps(id + "-admin"));
            p = new KafkaProducer<>(settings.producerProps(id + "-producer"), new ByteArraySerializer(),
                    new ByteArraySerializer());
        } catch (KafkaException e) {
            closeQuietly(a, p);
            throw new StreamException(ErrorKind.CONFIGURATION, "cannot create Kafka clients for " + safeUri + ": "
                    + settings.scrub(e.getMessage()));
        }
        KafkaConnector c = new KafkaConnector(settings, id, a, p);
        try {
            c.verify();
        } catch (RuntimeException e) {
            c.shutdown(Duration.ZERO);
            throw e;
        }
        return c;
    }

    /**
     * On a plain-text listener, asks the bootstrap servers whether they are Kafka before any Kafka client
     * is made ({@link KafkaProbe}); fails CONFIGURATION when every one that answered is something else.
     */
    private static void probe(KafkaSettings settings) {
        String protocol = settings.securityProtocol();
        if (!protocol.equals("PLAINTEXT") && !protocol.equals("SASL_PLAINTEXT")) {
            return; // a TLS handshake with a plain port fails clearly by itself
        }
        String[] servers = settings.bootstrap().split(",");
        Duration each = settings.connectTimeout().dividedBy(servers.length);
        String reason = null;
        for (String server : servers) {
            int colon = server.lastIndexOf(':');
            String host = server.substring(0, colon).replace("[", "").replace("]", "");
            Optional<String> notKafka = KafkaProbe.notKafka(host, Integer.parseInt(server.substring(colon + 1)), each);
            if (notKafka.isEmpty()) {
                return;
            }
            reason = notKafka.get();
        }
        throw new StreamException(ErrorKind.CONFIGURATION, reason + "; check the host and port of the kafka:// URI");
    }

    private void verify() {
        try {
            adminClient.describeCluster().nodes().get(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StreamException(ErrorKind.RETRYABLE, "interrupted while connecting to Kafka", e);
        } catch (ExecutionException e) {
            throw KafkaErrors.map("connecting to Kafka at " + settings.bootstrap(), e.getCause());
        } catch (TimeoutException e) {
            throw new StreamException(ErrorKind.RETRYABLE, "Kafka at " + settings.bootstrap() + " did not answer within "
                    + settings.connectTimeout() + " (connectTimeout); check the address, or retry when the broker is up", e);
        }
    }

    /** A unique client id for a consumer of this client, e.g. {@code tributary-3-reader-7}. */
    String nextConsumerId(String kind) {
        return clientId + "-" + kind + "-" + consumerSeq.incrementAndGet();
    }

    KafkaSettings settings() {
        return settings;
    }

    AdminOps admin() {
        return admin;
    }

    KafkaProducer<byte[], byte[]> producer() {
        return producer;
    }

    ConsumerPool pool() {
        return pool;
    }

    /** A new consumer for a group member (its client id ends with {@code #member}, read back by groupInfo). */
    KafkaConsumer<byte[], byte[]> memberConsumer(String member, String groupId, Duration maxPollInterval) {
        return new KafkaConsumer<>(settings.groupProps(nextConsumerId("member") + "#" + member, groupId, maxPollInterval),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Closes the reader pool, the producer and the admin client within {@code budget}. Runs after the
     * append window settled every pending append, so the producer may drop what it still holds
     * (a forced close fails those sends, whose futures are already complete).
     */
    void shutdown(Duration budget) {
        long end = System.nanoTime() + budget.toNanos();
        pool.close();
        try {
            producer.close(Duration.ofNanos(Math.max(0, (end - System.nanoTime()) / 2)));
        } catch (RuntimeException e) {
            LOG.debug("closing the producer failed", e);
        }
        try {
            adminClient.close(Duration.ofNanos(Math.max(0, end - System.nanoTime())));
        } catch (RuntimeException e) {
            LOG.debug("closing the admin client failed", e);
        }
    }

    private static void closeQuietly(Admin a, KafkaProducer<byte[], byte[]> p) {
        if (p != null) {
            try {
                p.close(Duration.ZERO);
            } catch (RuntimeException ignored) {
                // best effort: the client was never handed out
            }
        }
        if (a != null) {
            try {
                a.close(Duration.ZERO);
            } catch (RuntimeException ignored) {
                // best effort
            }
        }
    }
}
