package dev.tributary.redis.internal;

import dev.tributary.EventId;
import dev.tributary.StreamEvent;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The entries a reader handed out last (id and a hash of the payload), at most {@code capacity},
 * oldest first: what a reader needs to
 * tell, after a failover lost the entries it read last, which entries the new primary holds that it
 * has read (the common prefix) and which it has not (written by the new primary, possibly with ids
 * below the old cursor when its clock is behind). Used by one thread at a time.
 */
final class RecentIds {
    private final EventId[] ring;
    private final int[] hashes;
    private int next;
    private int size;

    RecentIds(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.ring = new EventId[capacity];
        this.hashes = new int[capacity];
    }

    /** Remembers {@code events}, read in this order after everything remembered before. */
    void add(List<StreamEvent> events) {
        for (StreamEvent e : events) {
            ring[next] = e.id();
            hashes[next] = Arrays.hashCode(e.payload());
            next = (next + 1) % ring.length;
            size = Math.min(size + 1, ring.length);
        }
    }

    /** The oldest id remembered, or null when none is. */
    EventId oldest() {
        return size == 0 ? null : ring[(next - size + ring.length) % ring.length];
    }

    /** Whether {@code e} is one of the entries remembered: the same id and payload (a new stream may reuse an id). */
    boolean contains(StreamEvent e) {
        int hash = Arrays.hashCode(e.payload());
        for (int i = 0; i < size; i++) {
            int at = (next - 1 - i + ring.length) % ring.length;
            if (ring[at].equals(e.id()) && hashes[at] == hash) {
                return true;
            }
        }
        return false;
    }

    /**
     * The id of the newest entry a server holds below {@code below} that was read, or null when none of
     * them is remembered: an entry not remembered that is older than every remembered one cannot be
     * judged.
     *
     * @param heldNewestFirst pages of the entries held below an id, newest first; an empty page ends the walk
     */
    EventId newestRead(Function<EventId, List<StreamEvent>> heldNewestFirst, EventId below) {
        EventId oldest = oldest();
        if (oldest == null) {
            return null;
        }
        EventId from = below;
        while (true) {
            List<StreamEvent> page = heldNewestFirst.apply(from);
            if (page.isEmpty()) {
                return null;
            }
            for (StreamEvent e : page) {
                if (contains(e)) {
                    return e.id();
                }
                if (e.id().compareTo(oldest) < 0) {
                    return null;
                }
            }
            from = page.get(page.size() - 1).id();
        }
    }
}
