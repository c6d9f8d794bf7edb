package dev.tributary.tck;

import dev.tributary.ClientConfig;
import dev.tributary.StreamClient;
import dev.tributary.StreamClients;
import java.util.Optional;

/**
 * The kit for the contract rules (L, A, P, H, G, E, F families of TCK-RULES.md). A backend's
 * integration test extends it and supplies a {@link BrokerFixture}.
 *
 * <p>SKELETON: the rules are being written; the hooks below are stable.
 */
public abstract class StreamClientTck {

    /** The broker of this run; return one shared instance (started once per JVM). */
    protected abstract BrokerFixture fixture();

    /** Opens a fresh client; the kit closes it. Defaults to {@link StreamClients#open(ClientConfig)}. */
    protected StreamClient openClient() {
        return StreamClients.open(fixture().config());
    }

    /** A configuration with wrong credentials for rule E5; empty: E5 is skipped with that reason. */
    protected Optional<ClientConfig> wrongCredentials() {
        return Optional.empty();
    }
}
