package dev.tributary.memory.internal;

import dev.tributary.EventId;
import dev.tributary.GroupInfo;
import dev.tributary.StreamEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One consumer group of a stream: the cursor of new deliveries, the pending (delivered, unacked)
 * entries ordered by sequence and by redelivery deadline, and the names of the members that polled.
 * Deadlines are in the store's nanosecond time base ({@link MemoryStore#nanos()}). Not thread-safe;
 * guarded by the store's lock.
 */
final class GroupState {
    /** One delivered, unacked event. */
    static final class Pending {
        final long seq;
        int deliveries;
        long deadline;
        String member;

        Pending(long seq, long deadline, String member) {
            this.seq = seq;
            this.deliveries = 1;
            this.deadline = deadline;
            this.member = member;
        }
    }

    private static final Comparator<Pending> BY_DEADLINE =
            Comparator.<Pending>comparingLong(p -> p.deadline).thenComparingLong(p -> p.seq);

    final String name;
    final Duration ackTimeout;
    final long ackTimeoutNanos;
    /** The last sequence handed out as a new delivery (0: none, or the resolved start). */
    long cursor;
    /** The newest sequence ever delivered to the group; 0 when none. */
    long lastDelivered;

    final TreeMap<Long, Pending> pending = new TreeMap<>();
    final TreeSet<Pending> byDeadline = new TreeSet<>(BY_DEADLINE);
    final Set<String> members = new LinkedHashSet<>();
    /** Pending entries dropped because their events were trimmed before they were acked. */
    long droppedPending;

    GroupState(String name, Duration ackTimeout, long cursor) {
        this.name = name;
        this.ackTimeout = ackTimeout;
        this.ackTimeoutNanos = ackTimeout.toNanos();
        this.cursor = cursor;
    }

    /** Records a first delivery of {@code seq} to {@code member} at {@code now}. */
    void deliverNew(long seq, String member, long now) {
        Pending p = new Pending(seq, now + ackTimeoutNanos, member);
        pending.put(seq, p);
        byDeadline.add(p);
        cursor = seq;
        lastDelivered = Math.max(lastDelivered, seq);
    }

    /** The pending entry whose deadline passed first, if its deadline is at or before {@code now}. */
    Pending firstDue(long now) {
        if (byDeadline.isEmpty()) {
            return null;
        }
        Pending p = byDeadline.first();
        return p.deadline <= now ? p : null;
    }

    /** Records a redelivery of a due entry. */
    void redeliver(Pending p, String member, long now) {
        byDeadline.remove(p);
        p.deliveries++;
        p.deadline = now + ackTimeoutNanos;
        p.member = member;
        byDeadline.add(p);
    }

    /** The earliest redelivery deadline, or {@code Long.MAX_VALUE} when nothing is pending. */
    long nextDeadline() {
        return byDeadline.isEmpty() ? Long.MAX_VALUE : byDeadline.first().deadline;
    }

    /** Removes a pending entry; returns whether it was pending. */
    boolean ack(long seq) {
        Pending p = pending.remove(seq);
        if (p == null) {
            return false;
        }
        byDeadline.remove(p);
        return true;
    }

    /** Makes a pending entry due now; returns whether it was pending. */
    boolean nack(long seq, long now) {
        Pending p = pending.get(seq);
        if (p == null) {
            return false;
        }
        byDeadline.remove(p);
        p.deadline = now;
        byDeadline.add(p);
        return true;
    }

    /** Drops pending entries below {@code firstSeq} (their events were trimmed); returns how many. */
    int dropBelow(long firstSeq) {
        var head = pending.headMap(firstSeq, false);
        int n = head.size();
        if (n > 0) {
            for (Pending p : new ArrayList<>(head.values())) {
                byDeadline.remove(p);
            }
            head.clear();
            droppedPending += n;
        }
        return n;
    }

    GroupInfo info(long firstSeq, long lastSeq) {
        long lag = Math.max(0, lastSeq - Math.max(cursor, firstSeq - 1));
        return new GroupInfo(
                name,
                pending.size(),
                lag,
                new ArrayList<>(members),
                lastDelivered == 0 ? Optional.empty() : Optional.of(EventId.ofSequence(lastDelivered)));
    }

    /**
     * The group {@code name} over every partition of a stream: pending and lag summed, members
     * joined, and the last delivery the newest (by timestamp) of the partitions' last deliveries
     * still retained. Caller holds the lock and checked the group exists.
     */
    static GroupInfo info(StreamLog[] parts, String name) {
        if (parts.length == 1) {
            return parts[0].groups.get(name).info(parts[0].firstSeq(), parts[0].lastSeq());
        }
        long pending = 0;
        long lag = 0;
        Set<String> members = new LinkedHashSet<>();
        StreamEvent newest = null;
        for (StreamLog part : parts) {
            GroupState g = part.groups.get(name);
            GroupInfo each = g.info(part.firstSeq(), part.lastSeq());
            pending += each.pending();
            lag += each.lag();
            members.addAll(each.members());
            if (g.lastDelivered >= part.firstSeq() && g.lastDelivered <= part.lastSeq()) {
                StreamEvent e = part.get(g.lastDelivered);
                if (newest == null || !e.timestamp().isBefore(newest.timestamp())) {
                    newest = e;
                }
            }
        }
        return new GroupInfo(
                name,
                pending,
                lag,
                new ArrayList<>(members),
                newest == null ? Optional.empty() : Optional.of(newest.id()));
    }
}
