package dev.tributary.redis;

import dev.tributary.ClientConfig;
import dev.tributary.StreamName;
import dev.tributary.redis.internal.RedisSettings;
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
                return new RedisClusterFixture(c);
            });

    private final RedisServerCluster cluster;

    private RedisClusterFixture(RedisServerCluster cluster) {
        super(cluster.nodes());
        this.cluster = cluster;
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

    @Override
    public String describe() {
        return "Redis Cluster of " + size() + " redis-server (3 primaries, " + REPLICAS_PER_PRIMARY
                + " replicas each) on " + cluster.addresses();
    }
}
