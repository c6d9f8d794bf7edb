package dev.tributary.memory.internal;

import dev.tributary.AckResult;
import dev.tributary.Capability;
import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.Health;
import dev.tributary.Position;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamInfo;
import dev.tributary.StreamName;
import dev.tributary.StreamOptions;
import dev.tributary.StreamRecord;
import dev.tributary.Trim;
import dev.tributary.spi.AbstractStreamClient;
import dev.tributary.spi.AbstractStreamReader;
import dev.tributary.spi.GroupBackend;
import dev.tributary.spi.Interleaving;
import dev.tributary.spi.PartitionRouter;
import dev.tributary.spi.ProviderContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A client of a {@link MemoryStore}.
 *
 * <p>Every operation runs synchronously under the store's lock; the asynchronous methods return
 * completed futures, so it needs no window of appends in flight. The checks, the closed flag and the
 * close sequence are {@link AbstractStreamClient}'s; a failure of the append itself
 * ({@link ErrorKind#BACKPRESSURE} at the memory cap) completes the future exceptionally.
 */
public final class MemoryStreamClient extends AbstractStreamClient {
    public static final String BACKEND = "memory";
    public static final Set<Capability> CAPABILITIES = Set.copyOf(EnumSet.allOf(Capability.class));

    final MemoryStore store;
    private final MemoryGroups groups;
    private final Clock clock;
    private final String namespacePrefix;
    /** Where a record of a partitioned stream goes; its round robin spreads records without key or id. */
    private final PartitionRouter router = new PartitionRouter();

    public MemoryStreamClient(ProviderContext context) {
        this(MemoryOptions.from(context.config()), context);
    }

    private MemoryStreamClient(MemoryOptions options, ProviderContext context) {
        this(options, MemoryStore.forOptions(options), context);
    }

    private MemoryStreamClient(MemoryOptions options, MemoryStore store, ProviderContext context) {
        // appends complete before appendAsync returns: no window of appends in flight
        super(
                BACKEND,
                CAPABILITIES,
                options.limits(),
                "memory client of store " + store.description,
                context.config().closeTimeout(),
                null);
        this.store = store;
        this.groups = new MemoryGroups(this);
        this.clock = context.clock();
        this.namespacePrefix = context.config().namespace().map(ns -> ns + ".").orElse("");
    }

    // ---- plumbing shared with readers and consumers ----

    /** The store key of a stream: the namespace keeps clients with different namespaces apart. */
    String key(StreamName stream) {
        return namespacePrefix.isEmpty() ? stream.value() : namespacePrefix + stream.value();
    }

    /**
     * The partition of {@code log}'s stream that {@code id} belongs to, or {@code null} when the id's
     * form does not fit the stream (a partitioned id on a one-partition stream, or the reverse).
     */
    static StreamLog partOf(StreamLog log, EventId id) {
        StreamLog[] parts = log.parts();
        if (id.isPair() || id.isPartitioned() != log.isPartitioned() || id.partition() >= parts.length) {
            return null;
        }
        return parts[id.partition()];
    }

    /** The sequence of an id of this backend; a pair id is another backend's. */
    static long seq(EventId id, String what) {
        if (id == null) {
            throw StreamException.invalid(what + " must not be null");
        }
        if (id.isPair()) {
            throw StreamException.invalid(
                    what + " '" + id + "' is not a memory-backend id; memory ids are sequence" + " numbers like 42");
        }
        return id.sequence();
    }

    // ---- metadata ----

    @Override
    protected EventId doParseId(String text) {
        if (text != null && text.indexOf('-') > text.indexOf('/')) {
            throw StreamException.invalid("'" + (text.length() > 64 ? text.substring(0, 64) + "..." : text)
                    + "' is not a memory-backend id; memory ids are sequence numbers like 42");
        }
        EventId id = EventId.parse(text);
        seq(id.local(), "event id");
        return id;
    }

    @Override
    protected Health doHealth() {
        return new Health(true, store.probe(), "memory store " + store.description);
    }

    // ---- streams ----

    @Override
    protected void doCreateStream(StreamName stream) {
        store.runWithLock(() -> {
            store.getOrCreate(key(stream), stream);
        });
    }

    @Override
    protected void doCreateStream(StreamName stream, StreamOptions options) {
        store.runWithLock(() -> {
            store.getOrCreate(key(stream), stream, options.partitions());
        });
    }

    @Override
    protected boolean doDeleteStream(StreamName stream) {
        return store.withLock(() -> store.remove(key(stream)));
    }

    @Override
    protected CompletableFuture<EventId> doAppend(StreamName stream, StreamRecord record) {
        try {
            return CompletableFuture.completedFuture(
                    store(stream, List.of(record)).get(0));
        } catch (StreamException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    protected CompletableFuture<List<EventId>> doAppendBatch(StreamName stream, List<StreamRecord> records) {
        try {
            return CompletableFuture.completedFuture(store(stream, records));
        } catch (StreamException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private List<EventId> store(StreamName stream, List<StreamRecord> records) {
        return store.withLock(() -> {
            ensureOpen();
            String key = key(stream);
            StreamLog log = store.get(key);
            if (log == null) {
                // Register the new stream only once the append succeeded: a refused append creates nothing.
                StreamLog created = store.newLog(stream);
                List<EventId> ids = created.append(records, clock.instant());
                store.register(key, created);
                return ids;
            }
            List<EventId> ids = log.isPartitioned()
                    ? appendPartitioned(log.parts(), records)
                    : log.append(records, clock.instant());
            log.changed.signalAll();
            return ids;
        });
    }

    /**
     * Appends records to the partitions their keys choose ({@link PartitionRouter}); a record without a
     * key goes by its idempotency id's hash if it has one (so a retry lands where the first try did
     * and is recognised), else round robin. Every partition's room is checked first, so a refused
     * batch stores nothing. Caller holds the lock.
     */
    private List<EventId> appendPartitioned(StreamLog[] parts, List<StreamRecord> records) {
        PartitionRouter.Split split = router.split(records, parts.length);
        for (int p = 0; p < parts.length; p++) {
            if (!split.part(p).isEmpty()) {
                parts[p].checkRoomFor(split.part(p));
            }
        }
        Instant now = clock.instant();
        List<List<EventId>> stored = new ArrayList<>(parts.length);
        for (int p = 0; p < parts.length; p++) {
            stored.add(split.part(p).isEmpty() ? List.of() : parts[p].append(split.part(p), now));
        }
        return split.inBatchOrder(stored);
    }

    // ---- reads ----

    @Override
    protected AbstractStreamReader doOpenReader(StreamName stream, Position from) {
        return store.withLock(
                () -> new MemoryReader(this, stream, from, ReadStart.resolve(from, store.get(key(stream)))));
    }

    @Override
    protected List<StreamEvent> doRange(StreamName stream, Position from, EventId toInclusive, int maxCount) {
        long to = toInclusive == null ? Long.MAX_VALUE : seq(toInclusive, "range end id");
        return store.withLock(() -> {
            StreamLog log = store.get(key(stream));
            if (log == null) {
                return new ArrayList<>(0);
            }
            ReadStart[] starts = ReadStart.resolve(from, log);
            StreamLog[] parts = log.parts();
            if (toInclusive != null && (toInclusive.isPartitioned() || parts.length > 1)) {
                throw StreamException.invalid("a range of stream '" + stream + "' ends at an id of its one "
                        + "partition or at null (the newest), got " + toInclusive + " on " + parts.length
                        + " partition(s); page a partitioned stream with a cursor");
            }
            List<List<StreamEvent>> each = new ArrayList<>(parts.length);
            for (int i = 0; i < parts.length; i++) {
                long end = Math.min(to, parts[i].lastSeq());
                each.add(parts[i].read(starts[i].firstSeq(parts[i], "range"), end, maxCount));
            }
            return parts.length == 1 ? each.get(0) : Interleaving.first(each, maxCount);
        });
    }

    @Override
    protected StreamInfo doInfo(StreamName stream) {
        return store.withLock(() -> {
            StreamLog log = store.get(key(stream));
            if (log == null) {
                return StreamInfo.missing(stream);
            }
            if (!log.isPartitioned()) {
                return log.info();
            }
            List<StreamInfo> each = new ArrayList<>();
            for (StreamLog part : log.parts()) {
                each.add(part.info());
            }
            return StreamInfo.ofPartitions(stream, each);
        });
    }

    @Override
    protected long doTrim(StreamName stream, Trim trim) {
        if (trim instanceof Trim.Below b) {
            seq(b.id(), "trim id");
        }
        return store.<Long>withLock(() -> {
            StreamLog log = store.get(key(stream));
            if (log == null) {
                return 0L;
            }
            if (trim instanceof Trim.Below b) {
                // below an id trims the id's partition only
                StreamLog part = partOf(log, b.id());
                if (part == null) {
                    throw StreamException.invalid("trim id " + b.id() + " is not an id of stream '" + stream
                            + "', which has " + log.parts().length + " partition(s)");
                }
                long below = b.id().local().sequence();
                return (long) part.removeOldest((int) Math.max(0, Math.min(part.size(), below - part.firstSeq())));
            }
            long removed = 0;
            for (StreamLog part : log.parts()) {
                removed += part.removeOldest(countToTrim(part, trim));
            }
            return removed;
        });
    }

    /** How many of the oldest events of {@code part} a length or age trim removes (per partition). */
    private int countToTrim(StreamLog part, Trim trim) {
        if (trim instanceof Trim.ToLength t) {
            return (int) Math.max(0, part.size() - t.maxLength());
        }
        Instant cutoff;
        try {
            cutoff = clock.instant().minus(((Trim.OlderThan) trim).age());
        } catch (ArithmeticException | java.time.DateTimeException e) {
            cutoff = Instant.MIN;
        }
        return part.countOlderThan(cutoff);
    }

    // ---- groups: MemoryGroups ----

    @Override
    protected GroupBackend groupBackend() {
        return groups;
    }

    /** Caller holds the lock. */
    StreamLog requireStream(StreamName stream) {
        StreamLog log = store.get(key(stream));
        if (log == null) {
            throw new StreamException(
                    ErrorKind.NOT_FOUND,
                    "stream '" + stream + "' does not exist in memory store " + store.description
                            + "; create it with createStream (or append to it) first");
        }
        return log;
    }

    /** Acks for a consumer; caller checked its state. */
    AckResult ack(StreamName stream, String group, Collection<EventId> ids) {
        return groups.ack(stream, group, ids, this::ensureOpen);
    }

    /** Nacks for a consumer; caller checked its state. */
    void nack(StreamName stream, String group, Collection<EventId> ids) {
        groups.nack(stream, group, ids, this::ensureOpen);
    }

    @Override
    protected void doClose(Duration remaining) {
        store.wakeAll();
    }

    @Override
    public String toString() {
        return "MemoryStreamClient[" + store.description + (isClosed() ? ", closed" : "") + "]";
    }
}
