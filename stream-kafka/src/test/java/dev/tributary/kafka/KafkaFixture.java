package dev.tributary.kafka;

import dev.tributary.ClientConfig;
import dev.tributary.tck.BrokerControl;
import dev.tributary.tck.FaultProxyFixture;
import dev.tributary.tck.fixture.Brokers;
import dev.tributary.tck.fixture.DockerBroker;
import dev.tributary.tck.fixture.KafkaKraftBroker;
import dev.tributary.tck.fixture.LocalProcessBroker;
import dev.tributary.tck.fixture.SharedBrokerFixture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Kafka broker of the integration tests, shared by every test class of one JVM run, reached in
 * the order of DESIGN.md:
 * <ol>
 *   <li>{@code TRIBUTARY_KAFKA_BOOTSTRAP} (host:port[,…]) if set — then the broker cannot be
 *       controlled and the F rules skip;</li>
 *   <li>else, where a Docker engine answers, an {@code apache/kafka} container configured as a
 *       single KRaft node advertising a fixed loopback port ({@link DockerBroker}, controlled with
 *       docker stop/start/kill/pause; no SASL listener, so E5 is skipped there);</li>
 *   <li>else a single-node KRaft broker ({@code process.roles=broker,controller}) started in its own
 *       JVM from the {@code kafka_2.13} jars that Maven resolved (their classpath comes from the build
 *       in the system property {@code tributary.kafka.classpath}), with loopback listeners on free
 *       ports, a temporary log directory and a small heap. As its own process it can be stopped,
 *       killed, paused and restarted for the fault rules. It also opens a SASL_PLAINTEXT (PLAIN)
 *       listener with one user, so the wrong-credentials rule (E5) runs against a real
 *       authentication failure, and a {@code PROXIED} listener behind a fault proxy for the network
 *       fault rules (F8–F10).</li>
 * </ol>
 */
public final class KafkaFixture extends SharedBrokerFixture {
    static final String ENV = "TRIBUTARY_KAFKA_BOOTSTRAP";
    static final String CLASSPATH_PROPERTY = "tributary.kafka.classpath";
    static final String SASL_USER = "tributary";
    static final String SASL_PASSWORD = "tributary-secret";

    private static KafkaFixture shared;

    static final String DOCKER_IMAGE = "apache/kafka:4.4.0";

    private final LocalBroker broker;
    private final FaultProxyFixture proxy;

    private KafkaFixture(ClientConfig config, LocalBroker broker, BrokerControl control, String description) {
        super(config, control, description);
        this.broker = broker;
        // the local broker's PROXIED listener advertises the proxy, so clients stay behind it; a
        // container advertises one fixed address, and a URI broker is not ours: no proxy there
        this.proxy = broker == null ? null : broker.withFaultProxy().fixture(config);
    }

    /** The fixture of this JVM, started on first use; skips (or fails where brokers are required) when none can run. */
    public static synchronized KafkaFixture shared() {
        if (shared != null) {
            return shared;
        }
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            shared = new KafkaFixture(
                    config("kafka://" + env.trim()), null, null, "Kafka at " + env.trim() + " (from " + ENV + ")");
            return shared;
        }
        Optional<DockerBroker> docker = startContainer();
        if (docker.isPresent()) {
            int port = docker.get().port();
            shared = new KafkaFixture(
                    config("kafka://127.0.0.1:" + port),
                    null,
                    docker.get(),
                    "Kafka in Docker (" + DOCKER_IMAGE + ") on 127.0.0.1:" + port);
            return shared;
        }
        String cp = System.getProperty(CLASSPATH_PROPERTY);
        if (cp == null || cp.isBlank() || cp.startsWith("${")) {
            throw Brokers.unavailable(
                    "kafka",
                    "no " + ENV + " and no broker classpath in -D" + CLASSPATH_PROPERTY
                            + " (run the tests through Maven: mvn -f stream-kafka/pom.xml verify)");
        }
        LocalBroker b = new LocalBroker(cp);
        try {
            b.withFaultProxy();
            b.format();
            b.start();
        } catch (RuntimeException e) {
            b.close();
            throw Brokers.unavailable("kafka", "the local KRaft broker did not start: " + e.getMessage());
        }
        shared = new KafkaFixture(
                config("kafka://127.0.0.1:" + b.port()),
                b,
                b,
                "local KRaft broker (" + brokerJar(cp) + ") on 127.0.0.1:" + b.port());
        Runtime.getRuntime().addShutdownHook(new Thread(b::close, "kafka-fixture-close"));
        return shared;
    }

    /** The broker jar's file name on the class path, e.g. {@code kafka_2.13-4.4.0.jar}: the version that runs. */
    static String brokerJar(String classpath) {
        for (String entry : classpath.split(java.io.File.pathSeparator)) {
            String name = java.nio.file.Path.of(entry).getFileName().toString();
            if (name.startsWith("kafka_2.13-") && name.endsWith(".jar")) {
                return name;
            }
        }
        return "kafka_2.13";
    }

    /** A single KRaft node in a container that listens on, and advertises, the same loopback port. */
    private static Optional<DockerBroker> startContainer() {
        if (!DockerBroker.engineAnswers()) {
            return Optional.empty();
        }
        int port = LocalProcessBroker.freePort();
        Map<String, String> env = new java.util.LinkedHashMap<>();
        env.put("KAFKA_NODE_ID", "1");
        env.put("KAFKA_PROCESS_ROLES", "broker,controller");
        env.put("KAFKA_LISTENERS", "PLAINTEXT://:" + port + ",CONTROLLER://:9093");
        env.put("KAFKA_ADVERTISED_LISTENERS", "PLAINTEXT://127.0.0.1:" + port);
        env.put("KAFKA_CONTROLLER_LISTENER_NAMES", "CONTROLLER");
        env.put("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        env.put("KAFKA_CONTROLLER_QUORUM_VOTERS", "1@localhost:9093");
        env.put("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1");
        env.put("KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS", "1");
        env.put("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1");
        env.put("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1");
        env.put("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
        env.put("KAFKA_GROUP_COORDINATOR_APPEND_LINGER_MS", "0");
        env.put("KAFKA_GROUP_MIN_SESSION_TIMEOUT_MS", "1000");
        env.put("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
        env.put("KAFKA_LOG_FLUSH_INTERVAL_MESSAGES", "1");
        return DockerBroker.tryStart("kafka", DOCKER_IMAGE, port, port, env, List.of(), Duration.ofSeconds(120));
    }

    /**
     * Opening a client waits up to 10 s for the broker's first answer: the module's other failsafe JVM
     * starts and restarts the three-node cluster, and on 2 cores that once held this broker's answer
     * past 5 s ({@code KafkaInteropIT}, "did not answer within PT5S").
     */
    private static ClientConfig config(String uri) {
        return ClientConfig.builder(uri)
                .requestTimeout(Duration.ofSeconds(5))
                .connectTimeout(Duration.ofSeconds(10))
                .closeTimeout(Duration.ofSeconds(3))
                .option("sessionTimeout", "3s")
                .option("heartbeatInterval", "500ms")
                .build();
    }

    /** A fault proxy in front of the local broker's {@code PROXIED} listener (local broker only). */
    @Override
    public Optional<FaultProxyFixture> proxy() {
        return Optional.ofNullable(proxy);
    }

    /** A configuration whose credentials the broker rejects (local broker only). */
    public Optional<ClientConfig> wrongCredentials() {
        if (broker == null) {
            return Optional.empty();
        }
        return Optional.of(ClientConfig.builder("kafka://" + SASL_USER + ":wrong-password@127.0.0.1:" + broker.saslPort)
                .requestTimeout(Duration.ofSeconds(5))
                .connectTimeout(Duration.ofSeconds(5))
                .build());
    }

    /** A configuration with the right credentials on the SASL listener (local broker only). */
    public Optional<ClientConfig> saslConfig() {
        if (broker == null) {
            return Optional.empty();
        }
        return Optional.of(
                ClientConfig.builder("kafka://" + SASL_USER + ":" + SASL_PASSWORD + "@127.0.0.1:" + broker.saslPort)
                        .requestTimeout(Duration.ofSeconds(5))
                        .connectTimeout(Duration.ofSeconds(5))
                        .build());
    }

    /** The kit's KRaft broker plus a SASL_PLAINTEXT (PLAIN) listener with one user, for rule E5. */
    static final class LocalBroker extends KafkaKraftBroker {
        final int saslPort;

        LocalBroker(String classpath) {
            super(classpath);
            saslPort = withListener("SASL_PLAINTEXT", "SASL_PLAINTEXT", plainLogin(SASL_USER, SASL_PASSWORD));
        }
    }
}
