package dev.tributary.memory.internal;

import dev.tributary.Position;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamReader;
import dev.tributary.spi.Checks;
import java.time.Duration;
import java.util.List;

/**
 * A cursor over one stream of a memory store. The cursor moves to the last event returned. A blocked
 * {@link #poll} waits on the stream's condition (or the store's stream-created condition while the
 * stream is missing) until an append, a deletion, a close or its own bound wakes it.
 */
final class MemoryReader implements StreamReader {
    private final MemoryStreamClient client;
    private final StreamName stream;
    private final String key;
    private volatile ReadStart cursor;
    private volatile boolean closed;

    MemoryReader(MemoryStreamClient client, StreamName stream, ReadStart start) {
        this.client = client;
        this.stream = stream;
        this.key = client.key(stream);
        this.cursor = start;
    }

    @Override
    public StreamName stream() {
        return stream;
    }

    @Override
    public List<StreamEvent> poll(int maxCount, Duration wait) {
        ensureOpen();
        Checks.count(maxCount, client.limits());
        Checks.wait(wait);
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

    private void ensureOpen() {
        client.ensureOpen();
        if (closed) {
            throw StreamException.closed("reader of stream '" + stream + "'");
        }
    }

    @Override
    public Position position() {
        return cursor.toPosition();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        client.store.wakeAll();
    }

    @Override
    public String toString() {
        return "MemoryReader[" + stream + " " + position() + (closed ? ", closed" : "") + "]";
    }
}
