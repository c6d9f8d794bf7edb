package dev.tributary.spi;

import dev.tributary.Capability;
import dev.tributary.StreamClient;
import java.util.Set;

/**
 * A backend's entry point, found through {@link java.util.ServiceLoader} (register it with
 * {@code @AutoService(StreamProvider.class)} or a {@code META-INF/services} file).
 *
 * <p>A provider is a cheap, named factory: its constructor does no I/O and must not fail; all work
 * happens in {@link #create(ProviderContext)}. This interface grows only by {@code default} methods.
 */
public interface StreamProvider {

    /** The SPI version this interface describes. */
    int CURRENT_SPI_VERSION = 1;

    /** A unique, lower-case name, e.g. {@code "redis"}; selectable with the {@code tributary.provider} property. */
    String name();

    /** The URI schemes this provider serves, lower case, e.g. {@code redis} and {@code rediss}. */
    Set<String> schemes();

    /** The SPI version the provider was built against. */
    default int spiVersion() {
        return CURRENT_SPI_VERSION;
    }

    /** The capabilities clients of this provider declare (a client may declare fewer, never more). */
    Set<Capability> capabilities();

    /** The Maven coordinates of the artifact, for diagnostics. */
    default String artifact() {
        return "dev.tributary:stream-" + name();
    }

    /**
     * Creates a connected client.
     *
     * @throws dev.tributary.StreamException CONFIGURATION for a bad URI or option, AUTHENTICATION
     *                                       for rejected credentials, RETRYABLE when the broker
     *                                       cannot be reached within the connect timeout
     */
    StreamClient create(ProviderContext context);
}
