package dev.tributary.redis;

import dev.tributary.ClientConfig;
import dev.tributary.tck.BrokerFixture;
import dev.tributary.tck.StreamClientTck;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * The whole contract kit against the Redis Cluster of {@link RedisClusterFixture} (nine nodes,
 * {@code waitReplicas=1}). The F rules stop, kill and pause every node at once (the kit's whole-cluster
 * control); the cluster's own fault rules (R1–R3) run in {@link RedisClusterIT}.
 */
@DisabledIfSystemProperty(
        named = "tributary.clusterKits",
        matches = "false",
        disabledReason = "-Dtributary.clusterKits=false leaves out the whole kits on clusters")
class RedisClusterTckIT extends StreamClientTck {

    @Override
    protected BrokerFixture fixture() {
        return RedisClusterFixture.shared();
    }

    /** A user that does not exist: every data node answers WRONGPASS. */
    @Override
    protected Optional<ClientConfig> wrongCredentials() {
        URI uri = fixture().config().uri();
        String a = uri.getRawAuthority();
        return Optional.of(RedisFixture.testConfig("redis://tck-no-such-user:wrong-password@" + a + "?cluster=true"));
    }
}
