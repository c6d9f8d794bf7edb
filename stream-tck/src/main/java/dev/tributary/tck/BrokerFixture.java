package dev.tributary.tck;

import dev.tributary.ClientConfig;
import java.util.Optional;

/**
 * How the kit reaches a broker: the connection configuration and, optionally, control of the broker
 * for the fault rules. One fixture is shared by every rule of a test run (rules use fresh stream
 * names), so a fixture starts its broker once and the kit never closes it between rules.
 */
public interface BrokerFixture {

    /** The configuration every client of the kit is opened with. */
    ClientConfig config();

    /** Control of the broker process, if this fixture owns it. */
    default Optional<BrokerControl> control() {
        return Optional.empty();
    }

    /**
     * A route to the broker through a fault proxy, if this fixture offers one; empty (the default):
     * the network fault rules F8–F10 are skipped with that reason. See
     * {@link dev.tributary.tck.fixture.FaultProxy} for a loopback proxy to put in front of a local
     * broker.
     */
    default Optional<FaultProxyFixture> proxy() {
        return Optional.empty();
    }

    /** A short description for reports, e.g. {@code "redis-server 7.0.15 on 127.0.0.1:40123"}. */
    default String describe() {
        return config().safeUri();
    }
}
