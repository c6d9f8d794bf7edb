package dev.tributary.tck.internal;

import dev.tributary.ClientConfig;
import dev.tributary.StreamClient;
import dev.tributary.tck.BrokerFixture;
import java.time.Duration;
import java.util.Optional;

/** The hooks of the kit class, as the rule bodies see them (the kit class bridges its protected hooks). */
public interface KitHooks {
    BrokerFixture fixture();

    StreamClient openClient();

    StreamClient openClient(ClientConfig config);

    Optional<ClientConfig> wrongCredentials();

    Duration groupAckTimeout();

    boolean faultsKillBroker();
}
