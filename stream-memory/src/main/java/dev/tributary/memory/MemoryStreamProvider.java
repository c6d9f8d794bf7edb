package dev.tributary.memory;

import com.google.auto.service.AutoService;
import dev.tributary.Capability;
import dev.tributary.StreamClient;
import dev.tributary.memory.internal.MemoryStreamClient;
import dev.tributary.spi.ProviderContext;
import dev.tributary.spi.StreamProvider;
import java.util.Set;

/**
 * The in-JVM reference backend, name {@code memory}, URI scheme {@code memory:}.
 *
 * <h2>URIs</h2>
 * <ul>
 *   <li>{@code memory:} (or {@code memory:?option=value}) — a fresh private store for this client;
 *       its data goes when the client is closed and unreachable.</li>
 *   <li>{@code memory:NAME} — the store shared under {@code NAME} (letters, digits, {@code _},
 *       {@code -}) by every client inside this JVM. A named store lives as long as the JVM: closing
 *       its clients never discards its data.</li>
 * </ul>
 *
 * <h2>Options</h2>
 * <ul>
 *   <li>{@code maxPayloadBytes} (default 1048576) and {@code maxHeaderBytes} (key plus headers,
 *       default 65536): the client's {@link dev.tributary.Limits}; batches hold at most 10000
 *       records and a poll or range asks for at most 10000 events.</li>
 *   <li>{@code maxStreamBytes} (default 268435456): the memory cap of each stream, counting the
 *       payload, key and header bytes of retained events. An append that would exceed it fails with
 *       {@link dev.tributary.ErrorKind#BACKPRESSURE} and writes nothing (a batch: no record); nothing
 *       is ever evicted silently. Trim the stream, or raise the cap.</li>
 *   <li>{@code dedupWindow} (default {@code 2m}; {@code 0} turns deduplication off) and
 *       {@code dedupMaxEntries} (default 100000 per stream): an append whose idempotency id was
 *       stored inside the window returns the id stored the first time and stores nothing.</li>
 * </ul>
 * The three store options are fixed by the first client of a named store; a later client that
 * states a different value fails with {@link dev.tributary.ErrorKind#CONFIGURATION}. Unknown
 * options fail with {@code CONFIGURATION}. The URI's {@code namespace} separates streams of clients
 * sharing a store.
 *
 * <h2>Semantics</h2>
 * Every {@link Capability} except {@link Capability#PARTITIONED}. Ids are dense per-stream sequence
 * numbers from 1 ({@code "42"}); the pair form is rejected. Timestamps come from the
 * {@link ProviderContext#clock()} and never decrease within a stream. Appending to a missing stream
 * creates it; group calls on a missing stream fail with {@code NOT_FOUND}. See the module README for
 * trimming and group details.
 *
 * <p>The constructor does nothing; {@link #create(ProviderContext)} opens a client.
 */
@AutoService(StreamProvider.class)
public final class MemoryStreamProvider implements StreamProvider {

    /** For {@link java.util.ServiceLoader}. */
    public MemoryStreamProvider() {}

    @Override
    public String name() {
        return MemoryStreamClient.BACKEND;
    }

    @Override
    public Set<String> schemes() {
        return Set.of("memory");
    }

    @Override
    public Set<Capability> capabilities() {
        return MemoryStreamClient.CAPABILITIES;
    }

    /**
     * Opens a client of a private or named store.
     *
     * @throws dev.tributary.StreamException CONFIGURATION for a URI other than {@code memory:} or
     *                                       {@code memory:NAME}, or a bad option
     */
    @Override
    public StreamClient create(ProviderContext context) {
        return new MemoryStreamClient(context);
    }
}
