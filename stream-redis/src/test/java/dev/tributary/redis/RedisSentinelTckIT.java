package dev.tributary.redis;

import dev.tributary.ClientConfig;
import dev.tributary.tck.BrokerFixture;
import dev.tributary.tck.StreamClientTck;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * The whole contract kit against Redis Sentinel ({@link RedisSentinelFixture}: a primary, two replicas,
 * three sentinels, {@code waitReplicas=1}); the F rules stop, kill and pause every data node at once.
 */
@DisabledIfSystemProperty(
        named = "tributary.clusterKits",
        matches = "false",
        disabledReason = "-Dtributary.clusterKits=false leaves out the whole kits on clusters")
class RedisSentinelTckIT extends StreamClientTck {

    @Override
    protected BrokerFixture fixture() {
        return RedisSentinelFixture.shared();
    }

    /** A user that does not exist: every data node answers WRONGPASS. */
    @Override
    protected Optional<ClientConfig> wrongCredentials() {
        URI uri = fixture().config().uri();
        String a = uri.getRawAuthority();
        return Optional.of(RedisFixture.testConfig(
                "redis-sentinel://tck-no-such-user:wrong-password@" + a + "#" + uri.getFragment()));
    }
}
