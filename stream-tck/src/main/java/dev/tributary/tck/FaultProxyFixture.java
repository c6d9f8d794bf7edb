package dev.tributary.tck;

import dev.tributary.ClientConfig;
import java.util.Objects;

/**
 * A route to the fixture's broker through a fault proxy the kit controls ({@link ProxyControl}):
 * clients opened with {@link #config()} reach the broker only through the proxy, so the network
 * fault rules (F8–F10) can reset, black-hole and delay their traffic. Other clients of the kit keep
 * using {@link BrokerFixture#config()} and are not affected.
 *
 * <p>Every connection a client opens with {@link #config()} must pass through the proxy — also the
 * ones a broker's metadata redirects it to (a Kafka broker advertises the proxy's port on the
 * listener behind the proxy).
 */
public interface FaultProxyFixture {

    /** The fixture's configuration (same timeouts and options), pointing through the proxy. */
    ClientConfig config();

    /** The proxy's controls. */
    ProxyControl control();

    /** A short description for reports. */
    default String describe() {
        return "fault proxy to " + config().safeUri();
    }

    /** A fixture of these two parts. */
    static FaultProxyFixture of(ClientConfig config, ProxyControl control) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(control, "control");
        return new FaultProxyFixture() {
            @Override
            public ClientConfig config() {
                return config;
            }

            @Override
            public ProxyControl control() {
                return control;
            }
        };
    }
}
