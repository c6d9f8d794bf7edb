package dev.tributary;

import dev.tributary.spi.ProviderContext;
import dev.tributary.spi.StreamProvider;
import dev.tributary.spi.StreamProviderRegistry;

/**
 * Opens clients. The backend is chosen by the jar on the classpath and the URI:
 * {@code StreamClients.open("redis://localhost:6379")}, {@code open("memory:")}. A static facade
 * that delegates to a {@link StreamProviderRegistry} of the thread's context class loader, loaded
 * on each call (cheap: providers are factories that do no I/O).
 */
public final class StreamClients {
    private StreamClients() {}

    /** Opens a client for a URI (with optional query settings, see {@link ClientConfig}). */
    public static StreamClient open(String uri) {
        return open(ClientConfig.parse(uri));
    }

    /** Opens a client for a configuration. */
    public static StreamClient open(ClientConfig config) {
        return registry().open(config);
    }

    /** Opens a client with the provider named explicitly, whatever the URI scheme says. */
    public static StreamClient open(String providerName, ClientConfig config) {
        StreamProvider p = registry().select(config, providerName);
        return p.create(new ProviderContext(config));
    }

    /** The registry of the context class loader. */
    public static StreamProviderRegistry registry() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        if (cl == null) {
            cl = StreamClients.class.getClassLoader();
        }
        return StreamProviderRegistry.load(cl);
    }
}
