package dev.tributary.memory.internal;

import dev.tributary.StreamEvent;
import java.time.Instant;

/**
 * The retained events of one stream in append order: a growable ring with random access by index
 * (index 0 = oldest retained), removal from the head and a binary search by timestamp. Not
 * thread-safe; guarded by the store's lock.
 */
final class EventBuffer {
    /** Largest capacity (number of events) of one stream. */
    static final int MAX_CAPACITY = 1 << 30;

    private static final int MIN_CAPACITY = 16;

    private StreamEvent[] ring = new StreamEvent[MIN_CAPACITY];
    private int head;
    private int size;

    int size() {
        return size;
    }

    /** True when {@code n} more events fit under {@link #MAX_CAPACITY}. */
    boolean hasRoomFor(int n) {
        return (long) size + n <= MAX_CAPACITY;
    }

    StreamEvent get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index + " of " + size);
        }
        return ring[(head + index) & (ring.length - 1)];
    }

    StreamEvent first() {
        return get(0);
    }

    StreamEvent last() {
        return get(size - 1);
    }

    void addLast(StreamEvent e) {
        if (size == ring.length) {
            resize(ring.length << 1);
        }
        ring[(head + size) & (ring.length - 1)] = e;
        size++;
    }

    /** Removes the {@code n} oldest events. */
    void removeFirst(int n) {
        if (n < 0 || n > size) {
            throw new IndexOutOfBoundsException(n + " of " + size);
        }
        for (int i = 0; i < n; i++) {
            ring[head] = null;
            head = (head + 1) & (ring.length - 1);
        }
        size -= n;
        if (size == 0) {
            head = 0;
        }
        // Give memory back after a large trim, keeping room to grow again without thrashing.
        if (ring.length > MIN_CAPACITY && size < ring.length / 4) {
            resize(Math.max(MIN_CAPACITY, Integer.highestOneBit(Math.max(1, size)) << 1));
        }
    }

    /** Index of the first event whose timestamp is at or after {@code t}; {@link #size()} if none. */
    int firstIndexAtOrAfter(Instant t) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (get(mid).timestamp().isBefore(t)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private void resize(int capacity) {
        StreamEvent[] next = new StreamEvent[capacity];
        for (int i = 0; i < size; i++) {
            next[i] = ring[(head + i) & (ring.length - 1)];
        }
        ring = next;
        head = 0;
    }
}
