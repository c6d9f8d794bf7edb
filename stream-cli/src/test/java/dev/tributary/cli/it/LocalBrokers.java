package dev.tributary.cli.it;

import dev.tributary.tck.fixture.Brokers;
import dev.tributary.tck.fixture.KafkaKraftBroker;
import dev.tributary.tck.fixture.LocalProcessBroker;
import dev.tributary.tck.fixture.ThrowawayBroker;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Assumptions;

/**
 * The brokers of the command line's integration tests, one per backend per JVM: a URI from the
 * environment ({@code TRIBUTARY_REDIS_URI}, {@code TRIBUTARY_NATS_URL}, {@code TRIBUTARY_KAFKA_BOOTSTRAP},
 * as the backends' own fixtures read them), else a local process on a free loopback port
 * ({@code redis-server} or {@code nats-server -js} as the kit's {@link ThrowawayBroker}, a KRaft broker from
 * the {@code kafka_2.13} jars), else skipped loudly (or failed where {@code tributary.require.brokers=true}).
 * Processes die with the JVM. The local Kafka broker also has a SASL/PLAIN listener with one user
 * ({@link #kafkaSaslUri}).
 */
final class LocalBrokers {
    private static final Map<String, String> URIS = new ConcurrentHashMap<>();

    private LocalBrokers() {}

    /** The URI of the backend's broker, starting one on first use. */
    static synchronized String uri(String backend) {
        String known = URIS.get(backend);
        if (known != null) {
            return known;
        }
        String uri;
        switch (backend) {
            case "redis":
                uri = env("TRIBUTARY_REDIS_URI").orElseGet(() -> throwaway("redis", "TRIBUTARY_REDIS_URI"));
                break;
            case "nats":
                uri = env("TRIBUTARY_NATS_URL").orElseGet(() -> throwaway("nats", "TRIBUTARY_NATS_URL"));
                break;
            case "kafka":
                uri = env("TRIBUTARY_KAFKA_BOOTSTRAP").map(b -> "kafka://" + b).orElseGet(LocalBrokers::kafka);
                break;
            default:
                throw new IllegalArgumentException(backend);
        }
        URIS.put(backend, uri);
        return uri;
    }

    private static Optional<String> env(String name) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    /** The URI of the kit's {@link ThrowawayBroker} of {@code backend}, started here and closed with the JVM. */
    private static String throwaway(String backend, String envVariable) {
        String binary = backend + "-server";
        if (LocalProcessBroker.onPath(binary).isEmpty()) {
            throw Brokers.unavailable(backend, envVariable + " is not set and " + binary + " is not on the PATH");
        }
        ThrowawayBroker broker;
        try {
            broker = ThrowawayBroker.start(backend);
        } catch (RuntimeException e) {
            throw Brokers.unavailable(backend, e.getMessage());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "cli-it-broker-close"));
        return broker.uri();
    }

    private static <B extends LocalProcessBroker> B start(B broker) {
        try {
            broker.start();
        } catch (RuntimeException e) {
            broker.close();
            throw Brokers.unavailable(broker.getClass().getSimpleName().toLowerCase(), e.getMessage());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "cli-it-broker-close"));
        return broker;
    }

    private static String kafka() {
        String cp = System.getProperty("tributary.kafka.classpath");
        if (cp == null || cp.isBlank() || cp.startsWith("${")) {
            throw Brokers.unavailable(
                    "kafka",
                    "no TRIBUTARY_KAFKA_BOOTSTRAP and no broker classpath in "
                            + "-Dtributary.kafka.classpath (run through Maven: mvn -f stream-cli/pom.xml verify)");
        }
        KafkaKraftBroker k = new KafkaKraftBroker(cp);
        // a SASL/PLAIN listener beside the plain one, for the failed-login tests of the command line
        int sasl = k.withListener(
                "SASL",
                "SASL_PLAINTEXT",
                Map.of(
                        "sasl.enabled.mechanisms",
                        "PLAIN",
                        "plain.sasl.jaas.config",
                        "org.apache.kafka.common.security.plain.PlainLoginModule required user_" + KAFKA_USER + "=\""
                                + KAFKA_PASSWORD + "\";"));
        try {
            k.format();
        } catch (RuntimeException e) {
            k.close();
            throw Brokers.unavailable("kafka", e.getMessage());
        }
        String uri = "kafka://127.0.0.1:" + start(k).port();
        kafkaSaslPort = sasl;
        return uri;
    }

    /** The user of the local Kafka broker's SASL/PLAIN listener. */
    static final String KAFKA_USER = "tributary";
    /** That user's password. */
    static final String KAFKA_PASSWORD = "cli-it-secret";

    private static volatile int kafkaSaslPort;

    /**
     * {@code kafka://user:password@host:port} of the local Kafka broker's SASL/PLAIN listener (user
     * {@value #KAFKA_USER}); aborts the test when the broker is not ours ({@code TRIBUTARY_KAFKA_BOOTSTRAP}).
     */
    static String kafkaSaslUri(String user, String password) {
        uri("kafka");
        Assumptions.assumeTrue(
                kafkaSaslPort > 0,
                "the Kafka broker comes from TRIBUTARY_KAFKA_BOOTSTRAP: " + "no SASL listener of ours to log in to");
        return "kafka://" + user + ":" + password + "@127.0.0.1:" + kafkaSaslPort;
    }
}
