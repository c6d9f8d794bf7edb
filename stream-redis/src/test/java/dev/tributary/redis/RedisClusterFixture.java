package dev.tributary.redis;

import dev.tributary.ClientConfig;
import dev.tributary.StreamName;
import dev.tributary.redis.internal.RedisSettings;
import dev.tributary.tck.BrokerControl;
import dev.tributary.tck.FaultProxyFixture;
import dev.tributary.tck.fixture.LocalClusterFixture;
import dev.tributary.tck.fixture.Polling;
import dev.tributary.tck.fixture.RedisServerCluster;
import dev.tributary.tck.fixture.StartedOnce;
import java.time.Duration;
import java.util.Optional;

/**
 * A Redis Cluster of nine local {@code redis-server} processes — three primaries with two replicas
 * each ({@link RedisServerCluster}) — shared by every test class of one JVM and started on first use.
 * Clients name every node ({@code redis://127.0.0.1:p1,…,127.0.0.1:p9?cluster=true}) with the durable
 * setting the README recommends for a cluster: {@code waitReplicas=1} (an append is acknowledged once a
 * replica has it, so a failover cannot lose it). Two replicas per primary, because with one the
 * promoted replica has none left and every append would fail INDETERMINATE until the old primary is
 * back. The leader of a stream is the primary of its key's slot. Without {@code redis-server} on the
 * PATH the tests are skipped loudly, or fail where brokers are required.
 *
 * <p>{@code -Dtributary.redis.waitReplicas=0} runs the same fixture without the replica wait, to
 * measure the loss window of asynchronous replication (R1 then reports the acknowledged appends lost).
 *
 * <p>{@link #wipe()} kills every node, deletes its append-only files and starts it again with its
 * {@code nodes.conf}: the cluster comes back with the same slots, empty. {@link #proxy()} is a second
 * cluster of the same layout behind fault proxies ({@link ProxiedTwin}), started on first use, whose nodes
 * announce their proxies' ports.
 */
public final class RedisClusterFixture extends LocalClusterFixture {
    static final int REPLICAS_PER_PRIMARY = 2;
    private static final StartedOnce<RedisClusterFixture> SHARED = new StartedOnce<>(
            "redis",
            "Redis Cluster",
            () -> RedisServerCluster.available()
                    ? null
                    : "redis-server is not on the PATH; the cluster rules start nine of them",
            () -> {
                RedisServerCluster c = RedisServerCluster.start(REPLICAS_PER_PRIMARY);
                Runtime.getRuntime().addShutdownHook(new Thread(c::close, "redis-cluster-cleanup"));
                return new RedisClusterFixture(c, true);
            });

    private final RedisServerCluster cluster;
    /** The proxied twin of this cluster; null for a twin itself. */
    private final ProxiedTwin<RedisClusterFixture> twin;

    private RedisClusterFixture(RedisServerCluster cluster, boolean withTwin) {
        super(cluster.nodes());
        this.cluster = cluster;
        this.twin = withTwin
                ? new ProxiedTwin<>(
                        "Redis Cluster",
                        () -> {
                            RedisServerCluster c = RedisServerCluster.startThroughProxies(REPLICAS_PER_PRIMARY);
                            Runtime.getRuntime().addShutdownHook(new Thread(c::close, "redis-cluster-twin-cleanup"));
                            return new RedisClusterFixture(c, false);
                        },
                        t -> t.cluster.proxies().orElseThrow().fixture(t.config()))
                : null;
    }

    /** The cluster of this JVM, started on first use. */
    public static RedisClusterFixture shared() {
        return SHARED.get();
    }

    @Override
    public ClientConfig config() {
        String wait = System.getProperty("tributary.redis.waitReplicas", "1");
        return clientConfig("redis://" + cluster.addresses() + "?cluster=true&waitReplicas=" + wait)
                .closeTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** The underlying processes. */
    RedisServerCluster servers() {
        return cluster;
    }

    @Override
    public int leaderOf(StreamName stream, Duration bound) {
        String key = RedisSettings.from(config()).streamKey(stream.value());
        long deadline = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Integer> primary = cluster.primaryOf(key);
            if (primary.isPresent()) {
                return primary.get();
            }
            Polling.sleep(100);
        }
        throw new AssertionError("no running primary serves the slot of " + key + " within " + bound);
    }

    @Override
    public void awaitHealthy(Duration bound) {
        cluster.awaitHealthy(bound);
    }

    /** Every node killed, its append-only files deleted, all started again with their {@code nodes.conf}. */
    @Override
    public void wipe() {
        cluster.wipe();
    }

    /**
     * The whole cluster as one broker; once the {@linkplain #proxy() proxied twin} runs, it acts on the
     * twin as well (see {@link ProxiedTwin}).
     */
    @Override
    public Optional<BrokerControl> control() {
        BrokerControl whole = super.control().orElseThrow();
        return Optional.of(twin == null ? whole : twin.follow(whole));
    }

    /**
     * A twin of this cluster behind one fault proxy per node, its nodes announcing their proxies' ports
     * ({@code --cluster-announce-port}; the bus port announced as it is, so the cluster bus stays direct),
     * started on first use; the configuration names the proxies with the options of {@link #config()}.
     */
    @Override
    public Optional<FaultProxyFixture> proxy() {
        return Optional.ofNullable(twin).map(ProxiedTwin::proxy);
    }

    @Override
    public String describe() {
        return "Redis Cluster of " + size() + " redis-server (3 primaries, " + REPLICAS_PER_PRIMARY
                + " replicas each) on " + cluster.addresses()
                + cluster.proxies().map(p -> ", announcing the " + p).orElse("");
    }
}
