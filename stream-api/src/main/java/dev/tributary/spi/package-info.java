/**
 * The provider SPI: what a backend implements ({@link dev.tributary.spi.StreamProvider}), what it
 * receives ({@link dev.tributary.spi.ProviderContext}), the registry that finds providers
 * ({@link dev.tributary.spi.StreamProviderRegistry}) and argument checks that every backend shares
 * ({@link dev.tributary.spi.Checks}). Applications normally use {@link dev.tributary.StreamClients}
 * and never touch this package.
 */
package dev.tributary.spi;
