package dev.tributary.redis;

import dev.tributary.ClientConfig;
import dev.tributary.tck.BrokerFixture;
import dev.tributary.tck.StreamClientTck;
import java.net.URI;
import java.util.Optional;

/** The whole contract kit (L, A, P, H, G, E, F) against the Redis fixture. */
class RedisTckIT extends StreamClientTck {

    @Override
    protected BrokerFixture fixture() {
        return RedisFixture.shared();
    }

    /** A user that does not exist: the server answers WRONGPASS. */
    @Override
    protected Optional<ClientConfig> wrongCredentials() {
        URI uri = fixture().config().uri();
        String wrong = uri.getScheme() + "://tck-no-such-user:wrong-password@" + uri.getHost() + ":"
                + (uri.getPort() < 0 ? 6379 : uri.getPort());
        return Optional.of(RedisFixture.testConfig(wrong));
    }

    /** The fixture writes every append to the AOF before it answers (appendfsync always). */
    @Override
    protected boolean faultsKillBroker() {
        return true;
    }
}
