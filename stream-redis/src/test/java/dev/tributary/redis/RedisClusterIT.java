package dev.tributary.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tributary.ClientConfig;
import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamClients;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import dev.tributary.tck.BrokerControl;
import dev.tributary.tck.FaultProxyFixture;
import dev.tributary.tck.ProxyControl;
import dev.tributary.tck.cluster.ClusterFixture;
import dev.tributary.tck.cluster.ClusterTck;
import dev.tributary.tck.fixture.Polling;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The cluster rules (R) against nine local redis-server processes in a Redis Cluster (see
 * {@link RedisClusterFixture}): R1 kills the primary of the stream's slot, R2 pauses a replica of it,
 * R3 stops the four nodes after it (one other primary — failed over by the cluster — and three
 * replicas, never every replica of a primary). Plus the minority Redis Cluster does not survive: a
 * primary with all its replicas.
 */
class RedisClusterIT extends ClusterTck {

    @Override
    protected ClusterFixture cluster() {
        return RedisClusterFixture.shared();
    }

    @Test
    @DisplayName("Redis: a primary and all its replicas down — appends to its slot fail retryably (never OK) "
            + "until one of them is back, then succeed without help")
    void aShardWithEveryCopyDownIsUnavailableUntilOneReturns() {
        RedisClusterFixture f = RedisClusterFixture.shared();
        ClientConfig config = f.config().toBuilder()
                .requestTimeout(Duration.ofSeconds(2))
                .connectTimeout(Duration.ofSeconds(2))
                .closeTimeout(Duration.ofSeconds(2))
                .build();
        try (StreamClient c = StreamClients.open(config)) {
            StreamName s =
                    StreamName.of("shard-down-" + UUID.randomUUID().toString().substring(0, 8));
            c.append(s, StreamRecord.of("before"));
            int primary = f.leaderOf(s, Duration.ofSeconds(10));
            List<Integer> shard = new ArrayList<>(List.of(primary));
            shard.addAll(f.servers().replicasOf(primary));
            List<BrokerControl> down = shard.stream().map(f::node).toList();
            int failures = 0;
            try {
                down.forEach(BrokerControl::stop);
                // longer than the node timeout: the cluster has marked them failed and found no replica to promote
                long until = System.nanoTime() + Duration.ofSeconds(8).toNanos();
                while (System.nanoTime() < until) {
                    try {
                        c.append(s, StreamRecord.of("during"));
                        fail("an append succeeded while the primary of its slot and all its replicas were down");
                    } catch (StreamException e) {
                        assertTrue(
                                Set.of(ErrorKind.RETRYABLE, ErrorKind.INDETERMINATE)
                                        .contains(e.kind()),
                                "an append to an unavailable slot fails retryably, not " + e.kind() + ": " + e);
                        failures++;
                    }
                }
            } finally {
                down.forEach(BrokerControl::start);
            }
            long t0 = System.nanoTime();
            appendWithin(c, s, Duration.ofSeconds(30));
            System.out.println("Redis shard down: " + shard + " stopped, " + failures + " appends failed retryably; "
                    + "after the restart the first append succeeded after " + (System.nanoTime() - t0) / 1_000_000
                    + " ms");
            assertTrue(failures > 0, "appends were attempted while the shard was down");
        }
    }

    /**
     * Appends a cluster node ran whose replies a reset connection cut off end INDETERMINATE and are
     * stored once. Lettuce's cluster connection (which queues commands while a node is disconnected)
     * re-sent every command left on the wire but the first when it reconnected, so these appends were
     * stored twice and their callers told the second ids (kit rule F8); {@code NoReplay} stops it.
     */
    @Test
    @DisplayName("Redis Cluster: appends whose replies a connection reset cut off end INDETERMINATE and are "
            + "stored once, never sent again")
    void appendsCutOffByAResetAreStoredOnce() {
        FaultProxyFixture proxied = RedisClusterFixture.shared().proxy().orElseThrow();
        StreamName s = StreamName.of("cut-off-" + UUID.randomUUID().toString().substring(0, 8));
        try (StreamClient c = StreamClients.open(proxied.config())) {
            c.append(s, StreamRecord.of("first"));
            proxied.control().latency(ProxyControl.Direction.TO_CLIENT, Duration.ofSeconds(3)); // late replies
            List<CompletableFuture<EventId>> cut = new ArrayList<>();
            try {
                for (int i = 0; i < 5; i++) {
                    cut.add(c.appendAsync(s, StreamRecord.of("cut-off-" + i)));
                }
                Polling.sleep(500); // the requests are not delayed: the node has run them
                proxied.control().resetAll();
            } finally {
                proxied.control().latency(ProxyControl.Direction.TO_CLIENT, Duration.ZERO);
            }
            for (CompletableFuture<EventId> f : cut) {
                StreamException e = StreamException.unwrap(assertThrows(CompletionException.class, f::join));
                assertEquals(ErrorKind.INDETERMINATE, e.kind(), e.toString());
            }
            appendWithin(c, s, Duration.ofSeconds(30));
            List<String> stored = c.range(s, Position.earliest(), null, 20).stream()
                    .map(StreamEvent::payloadAsString)
                    .filter(p -> p.startsWith("cut-off-"))
                    .toList();
            assertEquals(
                    List.of("cut-off-0", "cut-off-1", "cut-off-2", "cut-off-3", "cut-off-4"),
                    stored,
                    "each stored once, none sent again");
        }
    }

    private static void appendWithin(StreamClient c, StreamName s, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            try {
                c.append(s, StreamRecord.of("after"));
                return;
            } catch (StreamException e) {
                if (System.nanoTime() > deadline || !e.isRetryable() && e.kind() != ErrorKind.INDETERMINATE) {
                    throw new AssertionError(
                            "appends did not succeed within " + bound + " after the shard " + "returned: " + e, e);
                }
                Polling.sleep(200);
            }
        }
    }
}
