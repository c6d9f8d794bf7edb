package dev.tributary.benchmarks;

import dev.tributary.tck.fixture.KafkaKraftBroker;
import dev.tributary.tck.fixture.LocalProcessBroker;
import dev.tributary.tck.fixture.ThrowawayBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The brokers the run starts itself with the kit's fixtures, on free loopback ports in temporary
 * directories, stopped and deleted at the end: {@code redis-server} from the PATH without persistence
 * (the kit's {@link ThrowawayBroker}), and a single-node KRaft broker in its own JVM from the {@code kafka_2.13} jars Maven resolved, without the
 * kit's flush per message (the settings of docs/benchmarks.md's brokers).
 */
final class LocalBrokers {
    private LocalBrokers() {}

    /** Starts {@code redis-server}; fails with the reason when it is not on the PATH or does not start. */
    static LocalProcessBroker redis() {
        if (LocalProcessBroker.onPath("redis-server").isEmpty()) {
            throw new IllegalStateException(
                    "redis-server is not on the PATH (install the redis-server package) and no --redis-uri was given");
        }
        return ThrowawayBroker.start("redis");
    }

    /** Starts a KRaft broker from the class path listed in {@code classpathFile}. */
    static LocalProcessBroker kafka(Path classpathFile) {
        String classpath;
        try {
            classpath = Files.readString(classpathFile, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot read the Kafka broker's class path from " + classpathFile
                            + " (" + e + "); build the module first (mvn -pl benchmarks -am package -DskipTests),"
                            + " or pass --kafka-classpath FILE or --kafka-bootstrap HOST:PORT",
                    e);
        }
        if (classpath.isEmpty()) {
            throw new IllegalStateException(classpathFile + " is empty: no Kafka broker class path");
        }
        KafkaServer server = new KafkaServer(classpath);
        try {
            server.format();
            server.start();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** {@code kafka-broker.classpath} in the directory of the jar (or of target/classes) this class runs from. */
    static Optional<Path> defaultKafkaClasspath() {
        try {
            Path where = Path.of(LocalBrokers.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            Path parent = where.getParent();
            return parent == null ? Optional.empty() : Optional.of(parent.resolve("kafka-broker.classpath"));
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The kit's KRaft broker without {@code log.flush.interval.messages=1} (the OS flushes, as by default). */
    static final class KafkaServer extends KafkaKraftBroker {
        KafkaServer(String classpath) {
            super(classpath);
        }

        @Override
        protected Map<String, String> properties() {
            Map<String, String> p = super.properties();
            p.remove("log.flush.interval.messages");
            return p;
        }
    }
}
