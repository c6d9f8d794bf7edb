package dev.tributary.kafka;

import dev.tributary.ClientConfig;
import dev.tributary.tck.BrokerControl;
import dev.tributary.tck.BrokerFixture;
import dev.tributary.tck.fixture.Brokers;
import dev.tributary.tck.fixture.DockerBroker;
import dev.tributary.tck.fixture.LocalProcessBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;

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
 *       authentication failure.</li>
 * </ol>
 */
public final class KafkaFixture implements BrokerFixture {
    static final String ENV = "TRIBUTARY_KAFKA_BOOTSTRAP";
    static final String CLASSPATH_PROPERTY = "tributary.kafka.classpath";
    static final String SASL_USER = "tributary";
    static final String SASL_PASSWORD = "tributary-secret";

    private static KafkaFixture shared;

    static final String DOCKER_IMAGE = "apache/kafka:4.1.1";

    private final ClientConfig config;
    private final LocalBroker broker;
    private final BrokerControl control;
    private final String description;

    private KafkaFixture(ClientConfig config, LocalBroker broker, BrokerControl control, String description) {
        this.config = config;
        this.broker = broker;
        this.control = control;
        this.description = description;
    }

    /** The fixture of this JVM, started on first use; skips (or fails where brokers are required) when none can run. */
    public static synchronized KafkaFixture shared() {
        if (shared != null) {
            return shared;
        }
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            shared = new KafkaFixture(config("kafka://" + env.trim()), null, null,
                    "Kafka at " + env.trim() + " (from " + ENV + ")");
            return shared;
        }
        Optional<DockerBroker> docker = startContainer();
        if (docker.isPresent()) {
            int port = docker.get().port();
            shared = new KafkaFixture(config("kafka://127.0.0.1:" + port), null, docker.get(),
                    "Kafka in Docker (" + DOCKER_IMAGE + ") on 127.0.0.1:" + port);
            return shared;
        }
        String cp = System.getProperty(CLASSPATH_PROPERTY);
        if (cp == null || cp.isBlank() || cp.startsWith("${")) {
            throw Brokers.unavailable("kafka", "no " + ENV + " and no broker classpath in -D" + CLASSPATH_PROPERTY
                    + " (run the tests through Maven: mvn -f stream-kafka/pom.xml verify)");
        }
        LocalBroker b = new LocalBroker(cp);
        try {
            b.format();
            b.start();
        } catch (RuntimeException e) {
            b.close();
            throw Brokers.unavailable("kafka", "the local KRaft broker did not start: " + e.getMessage());
        }
        shared = new KafkaFixture(config("kafka://127.0.0.1:" + b.port()), b, b,
                "local KRaft broker (kafka_2.13 4.1.1) on 127.0.0.1:" + b.port());
        Runtime.getRuntime().addShutdownHook(new Thread(b::close, "kafka-fixture-close"));
        return shared;
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

    private static ClientConfig config(String uri) {
        return ClientConfig.builder(uri).requestTimeout(Duration.ofSeconds(5)).connectTimeout(Duration.ofSeconds(5))
                .closeTimeout(Duration.ofSeconds(3)).option("sessionTimeout", "3s").option("heartbeatInterval", "500ms")
                .build();
    }

    @Override
    public ClientConfig config() {
        return config;
    }

    @Override
    public Optional<BrokerControl> control() {
        return Optional.ofNullable(control);
    }

    @Override
    public String describe() {
        return description;
    }

    /** A configuration whose credentials the broker rejects (local broker only). */
    public Optional<ClientConfig> wrongCredentials() {
        if (broker == null) {
            return Optional.empty();
        }
        return Optional.of(ClientConfig.builder("kafka://" + SASL_USER + ":wrong-password@127.0.0.1:" + broker.saslPort)
                .requestTimeout(Duration.ofSeconds(5)).connectTimeout(Duration.ofSeconds(5)).build());
    }

    /** A configuration with the right credentials on the SASL listener (local broker only). */
    public Optional<ClientConfig> saslConfig() {
        if (broker == null) {
            return Optional.empty();
        }
        return Optional.of(ClientConfig.builder("kafka://" + SASL_USER + ":" + SASL_PASSWORD + "@127.0.0.1:" + broker.saslPort)
                .requestTimeout(Duration.ofSeconds(5)).connectTimeout(Duration.ofSeconds(5)).build());
    }

    /** The broker process. */
    static final class LocalBroker extends LocalProcessBroker {
        private final String classpath;
        final int controllerPort = freePort();
        final int saslPort = freePort();

        LocalBroker(String classpath) {
            super("kafka", Duration.ofSeconds(90));
            this.classpath = classpath;
        }

        private Path properties() {
            return dir().resolve("server.properties");
        }

        /** Writes server.properties and formats the storage (kafka.tools.StorageTool format --standalone). */
        void format() {
            Map<String, String> p = new java.util.LinkedHashMap<>();
            p.put("process.roles", "broker,controller");
            p.put("node.id", "1");
            p.put("listeners", "PLAINTEXT://127.0.0.1:" + port() + ",CONTROLLER://127.0.0.1:" + controllerPort
                    + ",SASL_PLAINTEXT://127.0.0.1:" + saslPort);
            p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port() + ",CONTROLLER://127.0.0.1:" + controllerPort
                    + ",SASL_PLAINTEXT://127.0.0.1:" + saslPort);
            p.put("controller.listener.names", "CONTROLLER");
            p.put("inter.broker.listener.name", "PLAINTEXT");
            p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT");
            p.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
            p.put("sasl.enabled.mechanisms", "PLAIN");
            p.put("listener.name.sasl_plaintext.plain.sasl.jaas.config",
                    "org.apache.kafka.common.security.plain.PlainLoginModule required user_" + SASL_USER + "=\""
                            + SASL_PASSWORD + "\";");
            p.put("log.dirs", dir().resolve("data").toString());
            p.put("num.partitions", "1");
            p.put("auto.create.topics.enable", "false");
            p.put("offsets.topic.replication.factor", "1");
            p.put("offsets.topic.num.partitions", "1");
            p.put("transaction.state.log.replication.factor", "1");
            p.put("transaction.state.log.min.isr", "1");
            p.put("share.coordinator.state.topic.replication.factor", "1");
            p.put("share.coordinator.state.topic.min.isr", "1");
            p.put("group.initial.rebalance.delay.ms", "0");
            p.put("group.coordinator.append.linger.ms", "0");
            p.put("group.min.session.timeout.ms", "1000");
            p.put("log.flush.interval.messages", "1");
            p.put("num.network.threads", "2");
            p.put("num.io.threads", "2");
            p.put("log.cleaner.enable", "false");
            p.put("delete.topic.enable", "true");
            StringBuilder s = new StringBuilder();
            p.forEach((k, v) -> s.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
            try {
                Files.writeString(properties(), s.toString(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            List<String> cmd = java(List.of("kafka.tools.StorageTool", "format", "--standalone", "--cluster-id",
                    org.apache.kafka.common.Uuid.randomUuid().toString(), "--config", properties().toString()));
            try {
                Process f = new ProcessBuilder(cmd).directory(dir().toFile()).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile())).start();
                if (!f.waitFor(60, TimeUnit.SECONDS) || f.exitValue() != 0) {
                    f.destroyForcibly();
                    throw new IllegalStateException("formatting the KRaft storage failed; log:\n" + logTail());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }

        private List<String> java(List<String> mainAndArgs) {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("-Xms128m");
            cmd.add("-Xmx384m");
            cmd.add("-XX:+UseSerialGC");
            cmd.add("-XX:TieredStopAtLevel=1");
            cmd.add("-Djava.awt.headless=true");
            cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
            cmd.add("-cp");
            cmd.add(classpath);
            cmd.addAll(mainAndArgs);
            return cmd;
        }

        @Override
        protected List<String> command() {
            return java(List.of("kafka.Kafka", properties().toString()));
        }

        /** Ready once the port accepts connections and the broker has registered (describeCluster lists it). */
        @Override
        protected boolean isReady() {
            if (!portOpen(port())) {
                return false;
            }
            try (Admin a = Admin.create(Map.of("bootstrap.servers", "127.0.0.1:" + port(), "request.timeout.ms", 2000,
                    "default.api.timeout.ms", 2000))) {
                return !a.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty();
            } catch (Exception e) {
                return false;
            }
        }
    }
}
