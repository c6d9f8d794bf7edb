/**
 * The provider SPI: what a backend implements ({@link dev.tributary.spi.StreamProvider}), what it
 * receives ({@link dev.tributary.spi.ProviderContext}), the registry that finds providers
 * ({@link dev.tributary.spi.StreamProviderRegistry}) and argument checks that every backend shares
 * ({@link dev.tributary.spi.Checks}), and forwarding implementations of the client, reader and
 * group consumer ({@link dev.tributary.spi.ForwardingStreamClient} and friends) for decorators that
 * change or observe one behaviour (metrics, fault injection, the kit's broken backends).
 * Applications normally use {@link dev.tributary.StreamClients} and never touch this package.
 */
package dev.tributary.spi;
