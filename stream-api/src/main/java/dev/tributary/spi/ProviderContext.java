package dev.tributary.spi;

import dev.tributary.ClientConfig;
import java.time.Clock;
import java.util.Objects;

/**
 * What a provider receives to create a client. A type we own, so it can grow (by new methods)
 * without breaking providers.
 */
public final class ProviderContext {
    private final ClientConfig config;
    private final Clock clock;

    /** A context for {@code config} with the system UTC clock. */
    public ProviderContext(ClientConfig config) {
        this(config, Clock.systemUTC());
    }

    /** A context for {@code config} whose timeouts and timestamps use {@code clock}. */
    public ProviderContext(ClientConfig config, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The client configuration (URI, timeouts, namespace, backend options). */
    public ClientConfig config() {
        return config;
    }

    /** The clock for timestamps a backend computes itself (the memory backend); tests inject one. */
    public Clock clock() {
        return clock;
    }
}
