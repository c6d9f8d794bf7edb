package dev.tributary.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ClientConfig;
import dev.tributary.ErrorKind;
import dev.tributary.StreamException;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Cluster and Sentinel URIs, the replica wait options and the slot of every key of a stream — no server. */
class RedisDeploymentTest {

    private static RedisSettings settings(String uri) {
        return RedisSettings.from(ClientConfig.parse(uri));
    }

    private static StreamException invalid(String uri) {
        StreamException e = assertThrows(StreamException.class, () -> settings(uri));
        assertEquals(ErrorKind.CONFIGURATION, e.kind(), e.getMessage());
        return e;
    }

    /**
     * Every client — standalone, Sentinel and cluster alike, shared connection or blocking — never replays
     * an XADD or a WAIT that a lost connection cut off (an XADD may be stored already), and replays reads.
     */
    @Test
    void noClientReplaysAnAppendOrAWaitAfterALostConnection() {
        ClientResources resources = DefaultClientResources.create();
        try {
            for (String uri :
                    List.of("redis://h:6379", "redis-sentinel://s1:26379#m", "redis://a:1,b:2?cluster=true")) {
                for (boolean shared : new boolean[] {true, false}) {
                    AbstractRedisClient c = LettuceClients.create(resources, settings(uri), shared);
                    try {
                        ClientOptions o = c instanceof RedisClusterClient cluster
                                ? cluster.getOptions()
                                : ((RedisClient) c).getOptions();
                        String what = uri + (shared ? " (shared)" : " (blocking)");
                        assertTrue(o.getReplayFilter().test(new Command<>(CommandType.XADD, null)), what);
                        assertTrue(o.getReplayFilter().test(new Command<>(CommandType.WAIT, null)), what);
                        assertFalse(o.getReplayFilter().test(new Command<>(CommandType.XREAD, null)), what);
                    } finally {
                        c.shutdown(Duration.ZERO, Duration.ofSeconds(2));
                    }
                }
            }
        } finally {
            resources.shutdown(0, 2, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    void clusterSeedsAreEveryListedNode() {
        RedisSettings s = settings("redis://:pw@10.0.0.1:7000,10.0.0.2,node-3:7002?cluster=true");
        assertEquals(RedisSettings.Mode.CLUSTER, s.mode);
        assertEquals(
                List.of(
                        new RedisAddress.Node("10.0.0.1", 7000),
                        new RedisAddress.Node("10.0.0.2", 6379),
                        new RedisAddress.Node("node-3", 7002)),
                s.nodes);
        List<RedisURI> uris = LettuceClients.uris(s);
        assertEquals(3, uris.size());
        assertEquals(7002, uris.get(2).getPort());
        assertEquals(Duration.ofSeconds(30), s.topologyRefreshPeriod);
        assertTrue(s.describe().endsWith("?cluster=true"), s.describe());
        assertFalse(s.describe().contains("pw"), s.describe());
    }

    @Test
    void aSingleNodeUriIsUnchanged() {
        RedisSettings s = settings("redis://h:6380/2");
        assertEquals(RedisSettings.Mode.STANDALONE, s.mode);
        assertEquals(List.of(new RedisAddress.Node("h", 6380)), s.nodes);
        assertEquals("redis://h:6380/2", s.describe());
    }

    @Test
    void sentinelUrisNameTheSentinelsAndThePrimary() {
        RedisSettings s = settings("redis-sentinel://s1,s2:26380,s3:26381/1#mymaster");
        assertEquals(RedisSettings.Mode.SENTINEL, s.mode);
        assertEquals("mymaster", s.sentinelMaster);
        assertEquals(new RedisAddress.Node("s1", 26379), s.nodes.get(0));
        RedisURI uri = LettuceClients.uris(s).get(0);
        assertEquals("mymaster", uri.getSentinelMasterId());
        assertEquals(3, uri.getSentinels().size());
        assertEquals(1, uri.getDatabase());
        RedisSettings byOption = settings("rediss-sentinel://s1:26379?sentinelMaster=m2");
        assertEquals("m2", byOption.sentinelMaster);
        assertTrue(byOption.tls);
    }

    @Test
    void deploymentMistakesAreConfigurationErrors() {
        assertTrue(invalid("redis://h1:7000,h2:7001").getMessage().contains("cluster=true"));
        assertTrue(invalid("redis-sentinel://s1,s2").getMessage().contains("#mymaster"));
        invalid("redis-sentinel://s1?cluster=true#m");
        invalid("redis://h1:7000,h2:7001/3?cluster=true");
        invalid("redis://h1?sentinelMaster=m");
        invalid("redis://h1?topologyRefreshPeriod=5s");
        invalid("redis://h1:99999,h2?cluster=true");
        invalid("redis://h1,,h2?cluster=true");
    }

    @Test
    void waitOptions() {
        RedisSettings s = settings("redis://h?waitReplicas=1&waitTimeout=250ms");
        assertEquals(1, s.waitReplicas);
        assertEquals(Duration.ofMillis(250), s.waitTimeout);
        assertEquals(0, settings("redis://h").waitReplicas);
        assertEquals(Duration.ofSeconds(1), settings("redis://h?waitReplicas=2").waitTimeout);
        invalid("redis://h?waitReplicas=-1");
        invalid("redis://h?waitTimeout=1s"); // without waitReplicas
        invalid("redis://h?waitReplicas=1&waitTimeout=10s"); // not below requestTimeout (10 s)
    }

    @Test
    void everyKeyOfAStreamHashesToTheStreamKeysSlot() {
        for (String uri : List.of("redis://h", "redis://h?namespace=shop")) {
            RedisSettings s = settings(uri);
            Set<Integer> slots = new HashSet<>();
            for (String stream : List.of("orders", "a", "payments-eu_1", "x".repeat(200))) {
                int slot = SlotHash.getSlot(s.streamKey(stream));
                assertEquals(slot, SlotHash.getSlot(s.groupsKey(stream)), s.groupsKey(stream));
                assertEquals(slot, SlotHash.getSlot(s.dedupIdsKey(stream)), s.dedupIdsKey(stream));
                assertEquals(slot, SlotHash.getSlot(s.dedupTimesKey(stream)), s.dedupTimesKey(stream));
                slots.add(slot);
            }
            assertTrue(slots.size() > 1, "different streams spread over slots: " + slots);
        }
        assertEquals("orders", settings("redis://h").streamKey("orders")); // the stream key is never renamed
        assertNotEquals(SlotHash.getSlot("orders"), SlotHash.getSlot("shop:orders"));
    }

    @Test
    void aStreamKeyWithABraceIsRefused() {
        // StreamName and namespaces allow no braces; the key layout still refuses one rather than split slots
        StreamException e =
                assertThrows(StreamException.class, () -> settings("redis://h").sideKeyPrefix("bad{tag}"));
        assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
    }
}
