package dev.tributary.memory.internal;

import dev.tributary.AckResult;
import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.GroupInfo;
import dev.tributary.GroupOptions;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.spi.AbstractGroupConsumer;
import dev.tributary.spi.GroupBackend;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The consumer groups of a {@link MemoryStreamClient}: creation at a start position, info, deletion, and the
 * acks and nacks of its consumers. A group lives in the stream's log (its name) and in each partition (its
 * state there); every method runs under the store's lock.
 */
final class MemoryGroups implements GroupBackend {
    private final MemoryStreamClient client;
    private final MemoryStore store;

    MemoryGroups(MemoryStreamClient client) {
        this.client = client;
        this.store = client.store;
    }

    @Override
    public void create(StreamName stream, String group, GroupOptions options) {
        store.runWithLock(() -> {
            StreamLog log = client.requireStream(stream);
            if (log.groups.containsKey(group)) {
                return;
            }
            ReadStart[] starts = ReadStart.resolve(options.start(), log);
            StreamLog[] parts = log.parts();
            for (int i = 0; i < parts.length; i++) {
                long cursor;
                switch (starts[i].kind()) {
                    case EARLIEST -> cursor = parts[i].firstSeq() - 1;
                    case AT_TIME -> cursor = parts[i].firstSeqAtOrAfter(starts[i].time()) - 1;
                    default -> cursor = starts[i].afterSeq();
                }
                parts[i].groups.put(group, new GroupState(group, options.ackTimeout(), cursor));
            }
        });
    }

    /** Fails {@code NOT_FOUND} unless the stream and its group exist. */
    @Override
    public AbstractGroupConsumer open(StreamName stream, String group, String member) {
        require(stream, group);
        return new MemoryGroupConsumer(client, stream, group, member);
    }

    void require(StreamName stream, String group) {
        store.runWithLock(() -> {
            requireStreamWithGroup(client, stream, group);
        });
    }

    @Override
    public GroupInfo info(StreamName stream, String group) {
        return store.withLock(() -> {
            StreamLog log = requireStreamWithGroup(client, stream, group);
            return GroupState.info(log.parts(), group);
        });
    }

    @Override
    public List<GroupInfo> list(StreamName stream) {
        return store.withLock(() -> {
            StreamLog log = store.get(client.key(stream));
            List<GroupInfo> out = new ArrayList<>();
            if (log != null) {
                for (String g : log.groups.keySet()) {
                    out.add(GroupState.info(log.parts(), g));
                }
            }
            return out;
        });
    }

    @Override
    public boolean delete(StreamName stream, String group) {
        return store.withLock(() -> {
            StreamLog log = store.get(client.key(stream));
            if (log == null || log.groups.remove(group) == null) {
                return false;
            }
            for (StreamLog part : log.parts()) {
                part.groups.remove(group);
            }
            log.changed.signalAll();
            return true;
        });
    }

    /** The log of {@code stream}, which must exist and have {@code group}. Caller holds the lock. */
    static StreamLog requireStreamWithGroup(MemoryStreamClient client, StreamName stream, String group) {
        StreamLog log = client.requireStream(stream);
        requireGroup(log, group);
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

    /** Acks {@code ids}; {@code ensureOpen} runs under the lock, so a close cannot slip in between. */
    AckResult ack(StreamName stream, String group, Collection<EventId> ids, Runnable ensureOpen) {
        return store.withLock(() -> {
            ensureOpen.run();
            StreamLog log = requireStreamWithGroup(client, stream, group);
            int acked = 0;
            int unknown = 0;
            for (EventId id : ids) {
                StreamLog part = MemoryStreamClient.partOf(log, id);
                if (part != null && part.groups.get(group).ack(id.local().sequence())) {
                    acked++;
                } else {
                    unknown++;
                }
            }
            return new AckResult(acked, unknown);
        });
    }

    /** Nacks {@code ids}: they are delivered again at once; {@code ensureOpen} runs under the lock. */
    void nack(StreamName stream, String group, Collection<EventId> ids, Runnable ensureOpen) {
        store.runWithLock(() -> {
            ensureOpen.run();
            StreamLog log = requireStreamWithGroup(client, stream, group);
            long now = store.nanos();
            boolean any = false;
            for (EventId id : ids) {
                StreamLog part = MemoryStreamClient.partOf(log, id);
                if (part != null) {
                    any |= part.groups.get(group).nack(id.local().sequence(), now);
                }
            }
            if (any) {
                log.changed.signalAll();
            }
        });
    }
}
