package dev.tributary.kafka;

import dev.tributary.ClientConfig;
import dev.tributary.StreamName;
import dev.tributary.tck.FaultProxyFixture;
import dev.tributary.tck.cluster.ClusterFixture;
import dev.tributary.tck.fixture.KafkaKraftCluster;
import dev.tributary.tck.fixture.LocalClusterFixture;
import dev.tributary.tck.fixture.Polling;
import dev.tributary.tck.fixture.StartedOnce;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * A three-node KRaft Kafka cluster ({@link KafkaKraftCluster}: three broker+controller JVMs from the
 * {@code kafka_2.13} class path the build hands over in {@code -Dtributary.kafka.classpath}), shared by
 * every test class of one JVM and started on first use. Clients name all three brokers
 * ({@code kafka://127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3}) with the durable settings the README documents
 * for clusters: {@code acks=all} (the default, with the idempotent producer), {@code replicationFactor=3}
 * and {@code minInsyncReplicas=2}. The leader of a stream is its partition 0's leader as the Admin client
 * describes the topic. Every node also opens a SASL_PLAINTEXT (PLAIN) listener with the single-node
 * fixture's user, so rule E5 meets a real authentication failure. Without the class path the tests are skipped loudly, or fail where brokers are
 * required.
 *
 * <p>For F8–F10, {@link #proxy()} names the fault proxies in front of every node's {@code PROXIED}
 * listener, which advertises its proxy, so every connection of a proxied client passes a proxy. For F7,
 * {@link #wipe()} kills every node, deletes every log directory, formats them with a new cluster id and
 * starts them all again.
 */
public final class KafkaClusterFixture extends LocalClusterFixture {
    static final int SIZE = 3;
    private static final StartedOnce<KafkaClusterFixture> SHARED = new StartedOnce<>(
            "kafka", "KRaft cluster of " + SIZE, KafkaClusterFixture::missingClasspath, KafkaClusterFixture::start);

    private final KafkaKraftCluster cluster;
    private final Admin admin;

    private KafkaClusterFixture(KafkaKraftCluster cluster) {
        super(cluster.nodes());
        this.cluster = cluster;
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "tributary-cluster-fixture");
        this.admin = Admin.create(p);
    }

    /** The cluster of this JVM, started on first use. */
    public static KafkaClusterFixture shared() {
        return SHARED.get();
    }

    private static String missingClasspath() {
        String cp = System.getProperty(KafkaFixture.CLASSPATH_PROPERTY);
        return cp == null || cp.isBlank() || cp.startsWith("${")
                ? "no broker classpath in -D" + KafkaFixture.CLASSPATH_PROPERTY
                        + " (run the tests through Maven: mvn -pl stream-kafka verify)"
                : null;
    }

    private static KafkaClusterFixture start() {
        KafkaClusterFixture f = new KafkaClusterFixture(KafkaKraftCluster.start(
                System.getProperty(KafkaFixture.CLASSPATH_PROPERTY),
                SIZE,
                Map.of(),
                new KafkaKraftCluster.PlainLogin(KafkaFixture.SASL_USER, KafkaFixture.SASL_PASSWORD)));
        Runtime.getRuntime().addShutdownHook(new Thread(f.admin::close, "kafka-cluster-admin-close"));
        return f;
    }

    @Override
    public ClientConfig config() {
        return config(cluster.bootstrap());
    }

    private static ClientConfig config(String bootstrap) {
        return clientConfig("kafka://" + bootstrap + "?acks=all&replicationFactor=3&minInsyncReplicas=2")
                .closeTimeout(Duration.ofSeconds(3))
                .option("sessionTimeout", "3s")
                .option("heartbeatInterval", "500ms")
                .build();
    }

    /**
     * {@link #config()} through the fault proxies of every node's {@code PROXIED} listener, all controlled
     * as one: the brokers hand a client that came through a proxy only the proxies' addresses. The
     * proxies forward to the {@code PROXIED} listeners, not to the ports {@link #config()} names, so the
     * configuration is built for their bootstrap list rather than routed.
     */
    @Override
    public Optional<FaultProxyFixture> proxy() {
        return Optional.of(FaultProxyFixture.of(config(cluster.proxies().addresses()), cluster.proxies()));
    }

    /** Every node killed, its log directory deleted and formatted with a new cluster id, all started again. */
    @Override
    public void wipe() {
        cluster.wipe();
    }

    /**
     * The user of every node's SASL_PLAINTEXT listener with a wrong password, for rule E5: each node
     * answers with an authentication failure.
     */
    public Optional<ClientConfig> wrongCredentials() {
        return Optional.of(
                clientConfig("kafka://" + KafkaFixture.SASL_USER + ":wrong-password@" + cluster.saslBootstrap())
                        .build());
    }

    @Override
    public int leaderOf(StreamName stream, Duration bound) {
        return ClusterFixture.awaitNode(bound, "leads topic " + stream.value(), () -> {
            Node leader = describe(List.of(stream.value()))
                    .get(stream.value())
                    .partitions()
                    .get(0)
                    .leader();
            return leader == null || leader.isEmpty() ? -1 : cluster.indexOf(leader.id());
        });
    }

    /** Every node runs, the cluster has every broker, and every partition of every topic has its full ISR. */
    @Override
    public void awaitHealthy(Duration bound) {
        Polling.awaitHealthy("KRaft cluster", bound, 250, () -> {
            try {
                return unhealthy();
            } catch (Exception e) {
                return e.toString();
            }
        });
    }

    private String unhealthy() throws Exception {
        for (KafkaKraftCluster.Node n : cluster.nodes()) {
            if (n.process().isEmpty()) {
                return n + " is down";
            }
        }
        Collection<Node> brokers = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
        if (brokers.size() < SIZE) {
            return "the cluster has " + brokers.size() + " of " + SIZE + " brokers";
        }
        var topics = admin.listTopics(new ListTopicsOptions().listInternal(true))
                .names()
                .get(5, TimeUnit.SECONDS);
        for (TopicDescription d : describe(topics).values()) {
            for (TopicPartitionInfo p : d.partitions()) {
                if (p.leader() == null
                        || p.leader().isEmpty()
                        || p.isr().size() < p.replicas().size()) {
                    return d.name() + "-" + p.partition() + " has leader " + p.leader() + ", ISR " + p.isr() + " of "
                            + p.replicas();
                }
            }
        }
        return null;
    }

    private Map<String, TopicDescription> describe(Collection<String> topics) throws Exception {
        return admin.describeTopics(topics).allTopicNames().get(5, TimeUnit.SECONDS);
    }

    @Override
    public String describe() {
        return SIZE + " KRaft nodes (broker+controller) on " + cluster.bootstrap();
    }
}
