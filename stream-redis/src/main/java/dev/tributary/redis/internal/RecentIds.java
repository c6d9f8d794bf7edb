package dev.tributary.redis.internal;

import dev.tributary.EventId;
import java.util.List;
import java.util.function.Function;

/**
 * The ids a reader handed out last, at most {@code capacity}, oldest first: what a reader needs to
 * tell, after a failover lost the entries it read last, which entries the new primary holds that it
 * has read (the common prefix) and which it has not (written by the new primary, possibly with ids
 * below the old cursor when its clock is behind). Used by one thread at a time.
 */
final class RecentIds {
    private final EventId[] ring;
    private int next;
    private int size;

    RecentIds(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.ring = new EventId[capacity];
    }

    /** Remembers {@code ids}, read in this order after everything remembered before. */
    void add(List<EventId> ids) {
        for (EventId id : ids) {
            ring[next] = id;
            next = (next + 1) % ring.length;
            size = Math.min(size + 1, ring.length);
        }
    }

    /** The oldest id remembered, or null when none is. */
    EventId oldest() {
        return size == 0 ? null : ring[(next - size + ring.length) % ring.length];
    }

    /** Whether {@code id} is one of the ids remembered. */
    boolean contains(EventId id) {
        for (int i = 0; i < size; i++) {
            if (ring[(next - 1 - i + ring.length) % ring.length].equals(id)) {
                return true;
            }
        }
        return false;
    }

    /** Forgets everything (the reader's cursor moved to where these ids say nothing). */
    void clear() {
        java.util.Arrays.fill(ring, null);
        next = 0;
        size = 0;
    }

    /**
     * The newest of {@code heldNewestFirst} (entries a server holds below the reader's cursor, newest
     * first) that was read, or null when none of them is remembered: an entry not remembered that is
     * older than every remembered one cannot be judged.
     *
     * @param heldNewestFirst pages of the held ids, newest first; an empty page ends the walk
     */
    EventId newestRead(Function<EventId, List<EventId>> heldNewestFirst, EventId below) {
        EventId oldest = oldest();
        if (oldest == null) {
            return null;
        }
        EventId from = below;
        while (true) {
            List<EventId> page = heldNewestFirst.apply(from);
            if (page.isEmpty()) {
                return null;
            }
            for (EventId id : page) {
                if (contains(id)) {
                    return id;
                }
                if (id.compareTo(oldest) < 0) {
                    return null;
                }
            }
            from = page.get(page.size() - 1);
        }
    }
}
