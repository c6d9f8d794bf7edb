package dev.tributary.kafka.internal;

import dev.tributary.ErrorKind;
import dev.tributary.StreamException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka clients of one Tributary client and their lifecycle: one admin client, one shared
 * idempotent producer, a bounded pool of reader consumers, and the factory of group members'
 * consumers. {@link #open} checks the settings, asks the bootstrap servers whether they are listeners of
 * the URI's kind, creates the admin client, checks that the cluster answers and then creates the
 * producer; {@link #shutdown} closes them within a time bound, even with the broker frozen.
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

    private KafkaConnector(
            KafkaSettings settings, String clientId, Admin adminClient, KafkaProducer<byte[], byte[]> producer) {
        this.settings = settings;
        this.clientId = clientId;
        this.adminClient = adminClient;
        this.admin = new AdminOps(adminClient, settings.requestTimeout());
        this.producer = producer;
        this.pool = new ConsumerPool(
                () -> new KafkaConsumer<>(
                        settings.readerProps(nextConsumerId("reader")),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer()),
                settings.readerConsumers(),
                settings.readerMaxPollRecords(),
                settings.closeTimeout());
    }

    /**
     * Creates the Kafka clients and checks that the cluster answers, all within the connect timeout:
     * settings Kafka refuses fail CONFIGURATION before any I/O; a port that is not a Kafka listener of
     * the URI's kind (not Kafka, TLS against plain text or plain text against TLS) fails CONFIGURATION
     * naming what answered, before any Kafka client is made; wrong credentials fail AUTHENTICATION; an
     * unreachable or silent cluster fails RETRYABLE after the connect timeout — once, not once per
     * step. The producer is made only after the cluster answered, so a failed connect is tried (and
     * logged by kafka-clients) by the admin client alone. Nothing stays open when it fails.
     */
    static KafkaConnector open(KafkaSettings settings, String safeUri) {
        long deadline = System.nanoTime() + settings.connectTimeout().toNanos();
        String id = "tributary-" + CLIENTS.incrementAndGet();
        checkClientSettings(settings, id, safeUri);
        probe(settings, deadline);
        Admin a;
        try {
            a = Admin.create(settings.adminProps(id + "-admin"));
        } catch (KafkaException e) {
            throw cannotCreate(settings, safeUri, e);
        }
        KafkaProducer<byte[], byte[]> p;
        try {
            verify(a, settings, deadline);
            p = new KafkaProducer<>(
                    settings.producerProps(id + "-producer"), new ByteArraySerializer(), new ByteArraySerializer());
        } catch (KafkaException e) {
            closeQuietly(a);
            throw cannotCreate(settings, safeUri, e);
        } catch (RuntimeException e) {
            closeQuietly(a);
            throw e;
        }
        return new KafkaConnector(settings, id, a, p);
    }

    /**
     * Parses the settings of every kind of Kafka client with kafka-clients' own definitions, without
     * making one: a value Kafka refuses (a {@code kafka.*} property of the wrong type or out of range)
     * fails CONFIGURATION here, before any connection is tried.
     */
    private static void checkClientSettings(KafkaSettings settings, String id, String safeUri) {
        try {
            AdminClientConfig.configDef().parse(settings.adminProps(id + "-admin"));
            Map<String, Object> producer = new HashMap<>(settings.producerProps(id + "-producer"));
            producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
            producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
            ProducerConfig.configDef().parse(producer);
            for (Map<String, Object> props : List.of(
                    settings.readerProps(id + "-reader"),
                    settings.groupProps(id + "-member", "check", Duration.ofMinutes(1)))) {
                Map<String, Object> consumer = new HashMap<>(props);
                consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
                consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
                ConsumerConfig.configDef().parse(consumer);
            }
        } catch (KafkaException e) {
            throw cannotCreate(settings, safeUri, e);
        }
    }

    private static StreamException cannotCreate(KafkaSettings settings, String safeUri, KafkaException e) {
        return new StreamException(
                ErrorKind.CONFIGURATION,
                "cannot create Kafka clients for " + safeUri + ": " + settings.scrub(e.getMessage()));
    }

    /**
     * Asks each bootstrap server, before any Kafka client is made, whether it is a listener of the URI's
     * kind: Kafka in plain text ({@link KafkaProbe}) for {@code kafka://}, TLS ({@link TlsProbe}) for
     * {@code kafka+ssl://}. One that answers as expected ends the probe. When none did: CONFIGURATION
     * naming what answered, if any answered otherwise; RETRYABLE after the connect timeout if every one
     * accepted the connection and stayed silent (a broker answers at once: this is another protocol's
     * port, or a broker that does not respond); else (some refused) the Kafka clients try, in the time
     * left. The servers share the connect timeout.
     */
    private static void probe(KafkaSettings settings, long deadline) {
        String protocol = settings.securityProtocol();
        boolean tls = protocol.equals("SSL") || protocol.equals("SASL_SSL");
        String[] servers = settings.bootstrap().split(",");
        List<String> wrong = new ArrayList<>();
        int silent = 0;
        for (int i = 0; i < servers.length; i++) {
            String server = servers[i];
            int colon = server.lastIndexOf(':');
            String host = server.substring(0, colon).replace("[", "").replace("]", "");
            int port = Integer.parseInt(server.substring(colon + 1));
            Duration share =
                    Duration.ofNanos(Math.max(1_000_000, (deadline - System.nanoTime()) / (servers.length - i)));
            ProbeAnswer answer = tls ? TlsProbe.ask(host, port, share) : KafkaProbe.ask(host, port, share);
            switch (answer.verdict()) {
                case FINE:
                    return;
                case WRONG:
                    wrong.add(answer.why());
                    break;
                case SILENT:
                    silent++;
                    break;
                default:
                    break; // unreachable: the Kafka clients report it
            }
        }
        if (!wrong.isEmpty()) {
            throw new StreamException(ErrorKind.CONFIGURATION, String.join("; ", wrong));
        }
        if (silent == servers.length) {
            throw new StreamException(
                    ErrorKind.RETRYABLE,
                    "Kafka at " + settings.bootstrap() + " did not answer within "
                            + settings.connectTimeout() + " (connectTimeout): "
                            + (servers.length == 1 ? "the server" : "each server")
                            + " accepted the connection but did not answer "
                            + (tls ? "the TLS ClientHello" : "Kafka's ApiVersions " + "request")
                            + ", which a Kafka broker answers at once; check that the port is a Kafka "
                            + (tls ? "TLS " : "") + "listener, or retry when the broker responds again");
        }
    }

    /** Waits, until the deadline of the connect timeout, for the cluster to list its brokers. */
    private static void verify(Admin admin, KafkaSettings settings, long deadline) {
        long ms = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) Math.min(Integer.MAX_VALUE, ms)))
                    .nodes()
                    .get(ms + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StreamException(ErrorKind.RETRYABLE, "interrupted while connecting to Kafka", e);
        } catch (ExecutionException e) {
            if (KafkaErrors.cause(e) instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw notAnswered(settings, e.getCause());
            }
            throw KafkaErrors.map("connecting to Kafka at " + settings.bootstrap(), e.getCause());
        } catch (TimeoutException e) {
            throw notAnswered(settings, e);
        }
    }

    private static StreamException notAnswered(KafkaSettings settings, Throwable cause) {
        return new StreamException(
                ErrorKind.RETRYABLE,
                "Kafka at " + settings.bootstrap() + " did not answer within " + settings.connectTimeout()
                        + " (connectTimeout); check the address, or retry when the broker is up",
                cause);
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
        return new KafkaConsumer<>(
                settings.groupProps(nextConsumerId("member") + "#" + member, groupId, maxPollInterval),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
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

    private static void closeQuietly(Admin a) {
        try {
            a.close(Duration.ZERO);
        } catch (RuntimeException ignored) {
            // best effort: the client was never handed out
        }
    }
}
