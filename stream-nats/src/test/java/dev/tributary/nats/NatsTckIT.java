package dev.tributary.nats;

import dev.tributary.ClientConfig;
import dev.tributary.tck.BrokerFixture;
import dev.tributary.tck.StreamClientTck;
import java.util.Optional;

/** The contract kit against a real NATS server (see {@link NatsFixture}). */
class NatsTckIT extends StreamClientTck {

    @Override
    protected BrokerFixture fixture() {
        return NatsFixture.shared();
    }

    @Override
    protected Optional<ClientConfig> wrongCredentials() {
        return NatsFixture.shared().wrongCredentials();
    }

    /** The fault rules kill the server with SIGKILL: file storage must keep every acknowledged append. */
    @Override
    protected boolean faultsKillBroker() {
        return true;
    }
}
