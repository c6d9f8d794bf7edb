package dev.tributary.tck.memory;

import dev.tributary.ClientConfig;
import dev.tributary.tck.BrokerFixture;

/**
 * A named in-JVM memory store, shared by every client of the run (like clients of one broker): the
 * reference backend the kits' self-tests run on. No broker control and no proxy.
 */
public final class MemoryStoreFixture implements BrokerFixture {
    private final ClientConfig config;

    /** The store named {@code name}: fixtures with different names share nothing. */
    public MemoryStoreFixture(String name) {
        this.config = ClientConfig.parse("memory:" + name);
    }

    @Override
    public ClientConfig config() {
        return config;
    }

    @Override
    public String describe() {
        return "in-JVM memory store " + config.safeUri();
    }
}
