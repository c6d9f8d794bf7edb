package dev.tributary.memory.internal;

import dev.tributary.AckResult;
import dev.tributary.Capability;
import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.GroupInfo;
import dev.tributary.GroupOptions;
import dev.tributary.Health;
import dev.tributary.Position;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamInfo;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import dev.tributary.Trim;
import dev.tributary.spi.AbstractGroupConsumer;
import dev.tributary.spi.AbstractStreamClient;
import dev.tributary.spi.AbstractStreamReader;
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
    public static final Set<Capability> CAPABILITIES =
            Set.copyOf(EnumSet.complementOf(EnumSet.of(Capability.PARTITIONED)));

    final MemoryStore store;
    private final Clock clock;
    private final String namespacePrefix;

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
        this.clock = context.clock();
        this.namespacePrefix = context.config().namespace().map(ns -> ns + ".").orElse("");
    }

    // ---- plumbing shared with readers and consumers ----

    /** The store key of a stream: the namespace keeps clients with different namespaces apart. */
    String key(StreamName stream) {
        return namespacePrefix.isEmpty() ? stream.value() : namespacePrefix + stream.value();
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
        if (text != null && text.indexOf('-') >= 0) {
            throw StreamException.invalid("'" + (text.length() > 64 ? text.substring(0, 64) + "..." : text)
                    + "' is not a memory-backend id; memory ids are sequence numbers like 42");
        }
        EventId id = EventId.parse(text);
        seq(id, "event id");
        return id;
    }

    @Override
    protected Health doHealth() {
        return new Health(true, store.probe(), "memory store " + store.description);
    }

    // ---- streams ----

    @Override
    protected void doCreateStream(StreamName stream) {
        store.lock.lock();
        try {
            store.getOrCreate(key(stream), stream);
        } finally {
            store.lock.unlock();
        }
    }

    @Override
    protected boolean doDeleteStream(StreamName stream) {
        store.lock.lock();
        try {
            return store.remove(key(stream));
        } finally {
            store.lock.unlock();
        }
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
        store.lock.lock();
        try {
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
            List<EventId> ids = log.append(records, clock.instant());
            log.changed.signalAll();
            return ids;
        } finally {
            store.lock.unlock();
        }
    }

    // ---- reads ----

    @Override
    protected AbstractStreamReader doOpenReader(StreamName stream, Position from) {
        ReadStart start = ReadStart.of(from);
        if (start.kind() == ReadStart.Kind.LATEST) {
            store.lock.lock();
            try {
                StreamLog log = store.get(key(stream));
                start = ReadStart.after(log == null ? 0 : log.lastSeq());
            } finally {
                store.lock.unlock();
            }
        }
        return new MemoryReader(this, stream, start);
    }

    @Override
    protected List<StreamEvent> doRange(StreamName stream, Position from, EventId toInclusive, int maxCount) {
        ReadStart start = ReadStart.of(from);
        long to = toInclusive == null ? Long.MAX_VALUE : seq(toInclusive, "range end id");
        store.lock.lock();
        try {
            StreamLog log = store.get(key(stream));
            if (log == null) {
                return new ArrayList<>(0);
            }
            long end = Math.min(to, log.lastSeq());
            long fromSeq = start.kind() == ReadStart.Kind.LATEST ? log.lastSeq() + 1 : start.firstSeq(log, "range");
            return log.read(fromSeq, end, maxCount);
        } finally {
            store.lock.unlock();
        }
    }

    @Override
    protected StreamInfo doInfo(StreamName stream) {
        store.lock.lock();
        try {
            StreamLog log = store.get(key(stream));
            return log == null ? StreamInfo.missing(stream) : log.info();
        } finally {
            store.lock.unlock();
        }
    }

    @Override
    protected long doTrim(StreamName stream, Trim trim) {
        long below = trim instanceof Trim.Below b ? seq(b.id(), "trim id") : 0;
        store.lock.lock();
        try {
            StreamLog log = store.get(key(stream));
            if (log == null) {
                return 0;
            }
            int n;
            if (trim instanceof Trim.ToLength t) {
                n = (int) Math.max(0, log.size() - t.maxLength());
            } else if (trim instanceof Trim.OlderThan o) {
                Instant cutoff;
                try {
                    cutoff = clock.instant().minus(o.age());
                } catch (ArithmeticException | java.time.DateTimeException e) {
                    cutoff = Instant.MIN;
                }
                n = log.countOlderThan(cutoff);
            } else {
                n = (int) Math.max(0, Math.min(log.size(), below - log.firstSeq()));
            }
            return log.removeOldest(n);
        } finally {
            store.lock.unlock();
        }
    }

    // ---- groups ----

    @Override
    protected void doCreateGroup(StreamName stream, String group, GroupOptions options) {
        ReadStart start = ReadStart.of(options.start());
        store.lock.lock();
        try {
            StreamLog log = requireStream(stream);
            if (log.groups.containsKey(group)) {
                return;
            }
            long cursor;
            switch (start.kind()) {
                case EARLIEST -> cursor = log.firstSeq() - 1;
                case LATEST -> cursor = log.lastSeq();
                default -> cursor = start.afterSeq();
            }
            log.groups.put(group, new GroupState(group, options.ackTimeout(), cursor));
        } finally {
            store.lock.unlock();
        }
    }

    @Override
    protected AbstractGroupConsumer doOpenGroupConsumer(StreamName stream, String group, String member) {
        store.lock.lock();
        try {
            requireGroup(requireStream(stream), group);
        } finally {
            store.lock.unlock();
        }
        return new MemoryGroupConsumer(this, stream, group, member);
    }

    @Override
    protected GroupInfo doGroupInfo(StreamName stream, String group) {
        store.lock.lock();
        try {
            StreamLog log = requireStream(stream);
            return requireGroup(log, group).info(log.firstSeq(), log.lastSeq());
        } finally {
            store.lock.unlock();
        }
    }

    @Override
    protected List<GroupInfo> doGroups(StreamName stream) {
        store.lock.lock();
        try {
            StreamLog log = store.get(key(stream));
            List<GroupInfo> out = new ArrayList<>();
            if (log != null) {
                for (GroupState g : log.groups.values()) {
                    out.add(g.info(log.firstSeq(), log.lastSeq()));
                }
            }
            return out;
        } finally {
            store.lock.unlock();
        }
    }

    @Override
    protected boolean doDeleteGroup(StreamName stream, String group) {
        store.lock.lock();
        try {
            StreamLog log = store.get(key(stream));
            if (log == null || log.groups.remove(group) == null) {
                return false;
            }
            log.changed.signalAll();
            return true;
        } finally {
            store.lock.unlock();
        }
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

    /** Caller holds the lock. */
    static GroupState requireGroup(StreamLog log, String group) {
        GroupState g = log.groups.get(group);
        if (g == null) {
            throw new StreamException(
                    ErrorKind.NOT_FOUND,
                    "group '" + group + "' of stream '" + log.name + "' does not exist; create it with createGroup");
        }
        return g;
    }

    /** Acks for a consumer; caller checked its state. */
    AckResult ack(StreamName stream, String group, Collection<EventId> ids) {
        store.lock.lock();
        try {
            ensureOpen();
            GroupState g = requireGroup(requireStream(stream), group);
            int acked = 0;
            int unknown = 0;
            for (EventId id : ids) {
                if (!id.isPair() && g.ack(id.sequence())) {
                    acked++;
                } else {
                    unknown++;
                }
            }
            return new AckResult(acked, unknown);
        } finally {
            store.lock.unlock();
        }
    }

    /** Nacks for a consumer; caller checked its state. */
    void nack(StreamName stream, String group, Collection<EventId> ids) {
        store.lock.lock();
        try {
            ensureOpen();
            StreamLog log = requireStream(stream);
            GroupState g = requireGroup(log, group);
            long now = store.nanos();
            boolean any = false;
            for (EventId id : ids) {
                if (!id.isPair()) {
                    any |= g.nack(id.sequence(), now);
                }
            }
            if (any) {
                log.changed.signalAll();
            }
        } finally {
            store.lock.unlock();
        }
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
