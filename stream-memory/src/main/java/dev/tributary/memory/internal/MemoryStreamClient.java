package dev.tributary.memory.internal;

import dev.tributary.AckResult;
import dev.tributary.Capability;
import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.GroupConsumer;
import dev.tributary.GroupInfo;
import dev.tributary.GroupOptions;
import dev.tributary.Health;
import dev.tributary.Limits;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamInfo;
import dev.tributary.StreamName;
import dev.tributary.StreamReader;
import dev.tributary.StreamRecord;
import dev.tributary.Trim;
import dev.tributary.spi.Checks;
import dev.tributary.spi.ProviderContext;
import java.time.Clock;
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
 * completed futures. Validation errors and {@link ErrorKind#CLOSED} are thrown directly; a failure
 * of the append itself ({@link ErrorKind#BACKPRESSURE} at the memory cap) completes the future
 * exceptionally. After {@link #close()} every method except {@link #backend()},
 * {@link #capabilities()}, {@link #supports(Capability)} and {@link #limits()} fails with
 * {@link ErrorKind#CLOSED}.
 */
public final class MemoryStreamClient implements StreamClient {
    public static final String BACKEND = "memory";
    public static final Set<Capability> CAPABILITIES = Set.copyOf(EnumSet.complementOf(EnumSet.of(Capability.PARTITIONED)));

    final MemoryStore store;
    private final MemoryOptions options;
    private final Limits limits;
    private final Clock clock;
    private final String namespacePrefix;
    private volatile boolean closed;

    public MemoryStreamClient(ProviderContext context) {
        this.options = MemoryOptions.from(context.config());
        this.store = MemoryStore.forOptions(options);
        this.limits = options.limits();
        this.clock = context.clock();
        this.namespacePrefix = context.config().namespace().map(ns -> ns + ".").orElse("");
    }

    // ---- plumbing shared with readers and consumers ----

    void ensureOpen() {
        if (closed) {
            throw StreamException.closed("memory client of store " + store.description);
        }
    }

    boolean isClosed() {
        return closed;
    }

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
            throw StreamException.invalid(what + " '" + id + "' is not a memory-backend id; memory ids are sequence"
                    + " numbers like 42");
        }
        return id.sequence();
    }

    // ---- metadata ----

    @Override
    public String backend() {
        return BACKEND;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public Limits limits() {
        return limits;
    }

    @Override
    public EventId parseId(String text) {
        ensureOpen();
        if (text != null && text.indexOf('-') >= 0) {
            throw StreamException.invalid("'" + (text.length() > 64 ? text.substring(0, 64) + "..." : text)
                    + "' is not a memory-backend id; memory ids are sequence numbers like 42");
        }
        EventId id = EventId.parse(text);
        seq(id, "event id");
        return id;
    }

    @Override
    public Health health() {
        ensureOpen();
        return new Health(true, store.probe(), "memory store " + store.description);
    }

    // ---- streams ----

    @Override
    public void createStream(StreamName stream) {
        Checks.stream(stream);
        ensureOpen();
        store.lock.lock();
        try {
            store.getOrCreate(key(stream), stream);
        } finally {
            store.lock.unlock();
        }
    }

    @Override
    public boolean deleteStream(StreamName stream) {
        Checks.stream(stream);
        ensureOpen();
        store.lock.lock();
        try {
            return store.remove(key(stream));
        } finally {
            store.lock.unlock();
        }
    }

    @Override
    public CompletableFuture<EventId> appendAsync(StreamName stream, StreamRecord record) {
        ensureOpen();
        Checks.stream(stream);
        Checks.record(record, limits);
        try {
            return CompletableFuture.completedFuture(doAppend(stream, List.of(record)).get(0));
        } catch (StreamException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<List<EventId>> appendBatchAsync(StreamName stream, List<StreamRecord> records) {
        ensureOpen();
        Checks.stream(stream);
        Checks.batch(records, limits);
        try {
            return CompletableFuture.completedFuture(doAppend(stream, List.copyOf(records)));
        } catch (StreamException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private List<EventId> doAppend(StreamName stream, List<StreamRecord> records) {
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
    public StreamReader openReader(StreamName stream, Position from) {
        Checks.stream(stream);
        Checks.position(from, CAPABILITIES, BACKEND);
        ensureOpen();
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
    public List<StreamEvent> range(StreamName stream, Position from, EventId toInclusive, int maxCount) {
        Checks.stream(stream);
        Checks.position(from, CAPABILITIES, BACKEND);
        Checks.count(maxCount, limits);
        ReadStart start = ReadStart.of(from);
        long to = toInclusive == null ? Long.MAX_VALUE : seq(toInclusive, "range end id");
        ensureOpen();
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
    public StreamInfo info(StreamName stream) {
        Checks.stream(stream);
        ensureOpen();
        store.lock.lock();
        try {
            StreamLog log = store.get(key(stream));
            return log == null ? StreamInfo.missing(stream) : log.info();
        } finally {
            store.lock.unlock();
        }
    }

    @Override
    public long trim(StreamName stream, Trim trim) {
        Checks.stream(stream);
        Checks.trim(trim, CAPABILITIES, BACKEND);
        long below = trim instanceof Trim.Below b ? seq(b.id(), "trim id") : 0;
        ensureOpen();
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
    public void createGroup(StreamName stream, String group, GroupOptions options) {
        Checks.stream(stream);
        Checks.group(group);
        if (options == null) {
            throw StreamException.invalid("group options must not be null (use GroupOptions.defaults())");
        }
        ReadStart start = ReadStart.of(options.start());
        ensureOpen();
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
    public GroupConsumer openGroupConsumer(StreamName stream, String group, String member) {
        Checks.stream(stream);
        Checks.group(group);
        Checks.member(member);
        ensureOpen();
        store.lock.lock();
        try {
            requireGroup(requireStream(stream), group);
        } finally {
            store.lock.unlock();
        }
        return new MemoryGroupConsumer(this, stream, group, member);
    }

    @Override
    public GroupInfo groupInfo(StreamName stream, String group) {
        Checks.stream(stream);
        Checks.group(group);
        ensureOpen();
        store.lock.lock();
        try {
            StreamLog log = requireStream(stream);
            return requireGroup(log, group).info(log.firstSeq(), log.lastSeq());
        } finally {
            store.lock.unlock();
        }
    }

    @Override
    public List<GroupInfo> groups(StreamName stream) {
        Checks.stream(stream);
        ensureOpen();
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
    public boolean deleteGroup(StreamName stream, String group) {
        Checks.stream(stream);
        Checks.group(group);
        ensureOpen();
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
            throw new StreamException(ErrorKind.NOT_FOUND, "stream '" + stream + "' does not exist in memory store "
                    + store.description + "; create it with createStream (or append to it) first");
        }
        return log;
    }

    /** Caller holds the lock. */
    static GroupState requireGroup(StreamLog log, String group) {
        GroupState g = log.groups.get(group);
        if (g == null) {
            throw new StreamException(ErrorKind.NOT_FOUND, "group '" + group + "' of stream '" + log.name
                    + "' does not exist; create it with createGroup");
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
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        store.wakeAll();
    }

    @Override
    public String toString() {
        return "MemoryStreamClient[" + store.description + (closed ? ", closed" : "") + "]";
    }
}
