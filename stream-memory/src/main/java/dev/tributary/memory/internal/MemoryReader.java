package dev.tributary.memory.internal;

import dev.tributary.Position;
import dev.tributary.StreamEvent;
import dev.tributary.StreamName;
import dev.tributary.spi.AbstractStreamReader;
import java.time.Duration;
import java.util.List;

/**
 * A cursor over one stream of a memory store. The cursor moves to the last event returned. A blocked
 * {@link #poll} waits on the stream's condition (or the store's stream-created condition while the
 * stream is missing) until an append, a deletion, a close or its own bound wakes it.
 */
final class MemoryReader extends AbstractStreamReader {
    private final MemoryStreamClient client;
    private final String key;
    private volatile ReadStart cursor;

    MemoryReader(MemoryStreamClient client, StreamName stream, ReadStart start) {
        super(stream, client.limits(), "reader of stream '" + stream + "'");
        this.client = client;
        this.key = client.key(stream);
        this.cursor = start;
    }

    @Override
    protected List<StreamEvent> doPoll(int maxCount, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        MemoryStore store = client.store;
        store.lock.lock();
        try {
            while (true) {
                ensureOpen();
                StreamLog log = store.get(key);
                if (log != null) {
                    long from = cursor.firstSeq(log, "reader");
                    if (from <= log.lastSeq()) {
                        List<StreamEvent> out = log.read(from, log.lastSeq(), maxCount);
                        cursor = ReadStart.after(out.get(out.size() - 1).id().sequence());
                        return out;
                    }
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return new java.util.ArrayList<>(0);
                }
                MemoryStore.await(log != null ? log.changed : store.streamCreated, remaining);
            }
        } finally {
            store.lock.unlock();
        }
    }

    @Override
    public Position position() {
        return cursor.toPosition();
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
