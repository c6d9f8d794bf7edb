/**
 * The provider SPI: what a backend implements ({@link dev.tributary.spi.StreamProvider}), what it
 * receives ({@link dev.tributary.spi.ProviderContext}), the registry that finds providers
 * ({@link dev.tributary.spi.StreamProviderRegistry}) and argument checks that every backend shares
 * ({@link dev.tributary.spi.Checks}), and forwarding implementations of the client, reader and
 * group consumer ({@link dev.tributary.spi.ForwardingStreamClient} and friends) for decorators that
 * change or observe one behaviour (metrics, fault injection, the kit's broken backends).
 *
 * <p>A backend is built on {@link dev.tributary.spi.AbstractStreamClient},
 * {@link dev.tributary.spi.AbstractStreamReader} and {@link dev.tributary.spi.AbstractGroupConsumer}:
 * they own the closed flag, the checks (in one order: closed → arguments → capability), the open
 * readers and consumers and the close sequence, and the backend writes only the {@code do…} methods
 * that talk to its broker. {@link dev.tributary.spi.AppendWindow} is the one bounded window of
 * appends in flight with its deadline queue; {@link dev.tributary.spi.OptionReader} reads a
 * backend's URI options and reports every bad one in one error; {@link dev.tributary.spi.TlsFailure}
 * names a failed TLS handshake's certificate problem (expired, untrusted, another host) the same way
 * on every backend; {@link dev.tributary.spi.MarkedHeaders} is the one lossless form in which a
 * backend carries what other applications wrote and the header grammar cannot hold.
 * Applications normally use {@link dev.tributary.StreamClients} and never touch this package.
 */
package dev.tributary.spi;
