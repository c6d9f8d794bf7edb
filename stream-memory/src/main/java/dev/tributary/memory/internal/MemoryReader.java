package dev.tributary.memory.internal;

import dev.tributary.Cursor;
import dev.tributary.Position;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.spi.AbstractStreamReader;
import dev.tributary.spi.Interleaving;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A cursor over one stream of a memory store, over every partition of a partitioned stream. The
 * cursor moves to the last event returned. A blocked {@link #poll} waits on the stream's condition
 * (shared by its partitions; the store's stream-created condition while the stream is missing) until
 * an append, a deletion, a close or its own bound wakes it.
 */
final class MemoryReader extends AbstractStreamReader {
    private final MemoryStreamClient client;
    private final String key;
    /** Where the reader was opened: applied again, while nothing was read, if the partition count changed. */
    private final Position start;
    /** One cursor per partition. */
    private volatile ReadStart[] cursors;

    private boolean readAny;

    MemoryReader(MemoryStreamClient client, StreamName stream, Position start, ReadStart[] cursors) {
        super(stream, client.limits(), "reader of stream '" + stream + "'");
        this.client = client;
        this.key = client.key(stream);
        this.start = start;
        this.cursors = cursors;
    }

    @Override
    protected List<StreamEvent> doPoll(int maxCount, Duration wait) {
        MemoryStore store = client.store;
        return store.pollUntilFound(wait, () -> {
            ensureOpen();
            StreamLog log = store.get(key);
            if (log == null) {
                return new MemoryStore.Look(List.of(), store.streamCreated, Long.MAX_VALUE);
            }
            return new MemoryStore.Look(read(log.parts(), maxCount), log.changed, Long.MAX_VALUE);
        });
    }

    /** Reads every partition after its cursor, interleaved; advances the cursors. Caller holds the lock. */
    private List<StreamEvent> read(StreamLog[] parts, int maxCount) {
        ReadStart[] cur = cursorsFor(parts);
        List<List<StreamEvent>> each = new ArrayList<>(parts.length);
        boolean any = false;
        for (int i = 0; i < parts.length; i++) {
            long from = cur[i].firstSeq(parts[i], "reader");
            List<StreamEvent> got =
                    from <= parts[i].lastSeq() ? parts[i].read(from, parts[i].lastSeq(), maxCount) : List.of();
            each.add(got);
            any |= !got.isEmpty();
        }
        if (!any) {
            return List.of();
        }
        List<StreamEvent> out = parts.length == 1 ? each.get(0) : Interleaving.first(each, maxCount);
        ReadStart[] next = cur.clone();
        for (StreamEvent e : out) {
            next[parts.length == 1 ? 0 : e.partition()] =
                    ReadStart.after(e.id().local().sequence());
        }
        cursors = next;
        readAny = true;
        return out;
    }

    /**
     * The cursors for the stream as it is: a reader opened before its stream existed (or before it
     * was created again with another partition count) applies its start to every partition, as long
     * as it has read nothing.
     */
    private ReadStart[] cursorsFor(StreamLog[] parts) {
        ReadStart[] cur = cursors;
        if (cur.length == parts.length) {
            return cur;
        }
        if (readAny) {
            throw StreamException.invalid("stream '" + stream() + "' was created again with " + parts.length
                    + " partitions while this reader, at " + position() + ", read it; open a new reader");
        }
        if (start instanceof Position.Latest && cur.length == 1) {
            // opened while the stream was missing: latest was "after 0", which holds for every partition
            cur = java.util.Collections.nCopies(parts.length, cur[0]).toArray(new ReadStart[0]);
        } else {
            cur = ReadStart.resolve(start, parts[0]);
        }
        cursors = cur;
        return cur;
    }

    @Override
    public Position position() {
        ReadStart[] cur = cursors;
        if (cur.length == 1) {
            return cur[0].toPosition();
        }
        List<Position> each = new ArrayList<>(cur.length);
        for (ReadStart r : cur) {
            each.add(r.toPosition());
        }
        return Position.after(Cursor.of(each));
    }

    @Override
    protected void doClose() {
        client.store.wakeAll();
    }

    @Override
    public String toString() {
        return "MemoryReader[" + stream() + " " + position() + (isClosed() ? ", closed" : "") + "]";
    }
}
