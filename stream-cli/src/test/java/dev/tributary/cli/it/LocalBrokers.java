package dev.tributary.cli.it;

import dev.tributary.tck.fixture.Brokers;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;

/**
 * The brokers of the command line's integration tests, one per backend per JVM: a URI from the
 * environment ({@code TRIBUTARY_REDIS_URI}, {@code TRIBUTARY_NATS_URL}, {@code TRIBUTARY_KAFKA_BOOTSTRAP},
 * as the backends' own fixtures read them), else a local process on a free loopback port
 * ({@code redis-server}, {@code nats-server -js}, a KRaft broker from the {@code kafka_2.13} jars), else
 * skipped loudly (or failed where {@code tributary.require.brokers=true}). Processes die with the JVM.
 */
final class LocalBrokers {
    private static final Map<String, String> URIS = new ConcurrentHashMap<>();

    private LocalBrokers() {
    }

    /** The URI of the backend's broker, starting one on first use. */
    static synchronized String uri(String backend) {
        String known = URIS.get(backend);
        if (known != null) {
            return known;
        }
        String uri;
        switch (backend) {
            case "redis":
                uri = env("TRIBUTARY_REDIS_URI").orElseGet(() -> "redis://127.0.0.1:" + start(new Redis()).port());
                break;
            case "nats":
                uri = env("TRIBUTARY_NATS_URL").orElseGet(() -> "nats://127.0.0.1:" + start(new Nats()).port());
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
            throw Brokers.unavailable("kafka", "no TRIBUTARY_KAFKA_BOOTSTRAP and no broker classpath in "
                    + "-Dtributary.kafka.classpath (run through Maven: mvn -f stream-cli/pom.xml verify)");
        }
        Kafka k = new Kafka(cp);
        try {
            k.format();
        } catch (RuntimeException e) {
            k.close();
            throw Brokers.unavailable("kafka", e.getMessage());
        }
        return "kafka://127.0.0.1:" + start(k).port();
    }

    static final class Redis extends LocalProcessBroker {
        private final Path binary;

        Redis() {
            super("redis", Duration.ofSeconds(30));
            this.binary = onPath("redis-server").orElseThrow(() -> Brokers.unavailable("redis",
                    "TRIBUTARY_REDIS_URI is not set and redis-server is not on the PATH"));
        }

        @Override
        protected List<String> command() {
            return List.of(binary.toString(), "--port", Integer.toString(port()), "--bind", "127.0.0.1", "--dir",
                    dir().toString(), "--save", "", "--appendonly", "no", "--protected-mode", "no", "--daemonize", "no");
        }
    }

    static final class Nats extends LocalProcessBroker {
        private final Path binary;

        Nats() {
            super("nats", Duration.ofSeconds(30));
            this.binary = onPath("nats-server").orElseThrow(() -> Brokers.unavailable("nats",
                    "TRIBUTARY_NATS_URL is not set and nats-server is not on the PATH"));
        }

        @Override
        protected List<String> command() {
            return List.of(binary.toString(), "-a", "127.0.0.1", "-p", Integer.toString(port()), "-js", "-sd",
                    dir().resolve("store").toString());
        }
    }

    /** A single-node KRaft broker in its own JVM. */
    static final class Kafka extends LocalProcessBroker {
        private final String classpath;
        private final int controllerPort = freePort();

        Kafka(String classpath) {
            super("kafka", Duration.ofSeconds(90));
            this.classpath = classpath;
        }

        private Path properties() {
            return dir().resolve("server.properties");
        }

        void format() {
            String props = String.join("\n",
                    "process.roles=broker,controller", "node.id=1",
                    "listeners=PLAINTEXT://127.0.0.1:" + port() + ",CONTROLLER://127.0.0.1:" + controllerPort,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + port() + ",CONTROLLER://127.0.0.1:" + controllerPort,
                    "controller.listener.names=CONTROLLER", "inter.broker.listener.name=PLAINTEXT",
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                    "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
                    "log.dirs=" + dir().resolve("data"), "num.partitions=1", "auto.create.topics.enable=false",
                    "offsets.topic.replication.factor=1", "offsets.topic.num.partitions=1",
                    "transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1",
                    "share.coordinator.state.topic.replication.factor=1", "share.coordinator.state.topic.min.isr=1",
                    "group.initial.rebalance.delay.ms=0", "group.coordinator.append.linger.ms=0",
                    "group.min.session.timeout.ms=1000", "num.network.threads=2", "num.io.threads=2",
                    "log.cleaner.enable=false", "delete.topic.enable=true") + "\n";
            try {
                Files.writeString(properties(), props, StandardCharsets.UTF_8);
                List<String> cmd = java(List.of("kafka.tools.StorageTool", "format", "--standalone", "--cluster-id",
                        org.apache.kafka.common.Uuid.randomUuid().toString(), "--config", properties().toString()));
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
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xms128m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true",
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", classpath));
            cmd.addAll(mainAndArgs);
            return cmd;
        }

        @Override
        protected List<String> command() {
            return java(List.of("kafka.Kafka", properties().toString()));
        }

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
