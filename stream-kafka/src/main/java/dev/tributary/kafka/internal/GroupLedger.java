package dev.tributary.kafka.internal;

import dev.tributary.AckResult;
import dev.tributary.EventId;
import dev.tributary.StreamEvent;
import dev.tributary.StreamName;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The delivery ledger of one group member: per owned partition a {@link PartitionLedger}, and what
 * happens to an event between its fetch and its commit — first delivery, hold-back of an event the
 * previous owner delivered recently, redelivery after the ack timeout or a nack with the count
 * raised, acks by id, the contiguous acked prefix to commit and the metadata that carries the rest.
 * Pure bookkeeping: time comes in as epoch milliseconds, records as fetched; no I/O.
 *
 * <p>Thread-safe: the member's poll thread delivers and commits, any thread acks and nacks, and
 * {@code groupInfo} reads figures; every method runs under one lock.
 *
 * <h2>Delivery count</h2>
 * 1 on the first delivery, +1 on every redelivery (ack timeout or nack). An offset the previous
 * owner delivered but nobody acked gets the count it had plus one, and is held back until that
 * delivery's ack timeout has run out.
 */
final class GroupLedger {
    private final StreamName stream;
    private final String topic;
    private final boolean partitioned;
    private final long ackTimeoutMs;
    private final int maxUnacked;
    private final Map<TopicPartition, PartitionLedger> owned = new HashMap<>();
    /**
     * The last state of partitions this member lost or gave up: if one comes back (after a rebalance,
     * or a coordinator restart that lost an uncommitted ack), its acks and counts are not forgotten.
     */
    private final Map<TopicPartition, PartitionLedger> retired = new HashMap<>();

    GroupLedger(StreamName stream, String topic, boolean partitioned, long ackTimeoutMs, int maxUnacked) {
        this.stream = stream;
        this.topic = topic;
        this.partitioned = partitioned;
        this.ackTimeoutMs = ackTimeoutMs;
        this.maxUnacked = maxUnacked;
    }

    long ackTimeoutMs() {
        return ackTimeoutMs;
    }

    // ---- ownership ----

    /** Takes a partition over at its committed offset and metadata (merged with what this member knew). */
    synchronized void assigned(TopicPartition tp, long committed, String metadata) {
        PartitionLedger p = PartitionLedger.takenOver(committed, metadata);
        PartitionLedger prev = retired.remove(tp);
        if (prev != null) {
            p.resume(prev);
        }
        owned.put(tp, p);
    }

    /** Takes a partition without a committed offset over, starting at {@code begin}. */
    synchronized void assignedFresh(TopicPartition tp, long begin) {
        owned.put(tp, PartitionLedger.fresh(begin));
    }

    /** Gives partitions up (revoked or lost), keeping their state in case they come back. */
    synchronized void drop(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            PartitionLedger p = owned.remove(tp);
            if (p != null) {
                retired.put(tp, p);
            }
        }
    }

    synchronized List<TopicPartition> owned() {
        return new ArrayList<>(owned.keySet());
    }

    // ---- delivery ----

    /** Delivered and not acked, over the owned partitions. */
    synchronized int inflight() {
        int n = 0;
        for (PartitionLedger p : owned.values()) {
            n += p.window.inflight();
        }
        return n;
    }

    /** Whether {@code maxUnacked} events are in flight (fetching should pause). */
    boolean full() {
        return inflight() >= maxUnacked;
    }

    /**
     * Milliseconds until the next redelivery may be due (Long.MAX_VALUE if none). Each partition keeps
     * a lower bound of its deadlines, so this looks at no event; a bound that is too early (its event
     * was acked) only makes {@link #takeDue} look once and tighten it.
     */
    synchronized long nextDueInMs(long now) {
        long best = Long.MAX_VALUE;
        for (PartitionLedger p : owned.values()) {
            if (p.window.inflight() > 0 && p.minDeadlineMs != Long.MAX_VALUE) {
                best = Math.min(best, Math.max(0, p.minDeadlineMs - now));
            }
        }
        return best;
    }

    /** Adds to {@code out} (up to {@code maxCount}) the events whose ack timeout ran out or that were nacked. */
    synchronized void takeDue(long now, List<StreamEvent> out, int maxCount) {
        for (PartitionLedger p : owned.values()) {
            DeliveryWindow w = p.window;
            if (w.inflight() == 0) {
                p.minDeadlineMs = Long.MAX_VALUE;
                continue;
            }
            if (p.minDeadlineMs > now) {
                continue; // nothing due in this partition
            }
            long min = Long.MAX_VALUE;
            for (int i = 0, n = w.size(); i < n; i++) {
                if (!w.inflightAt(i)) {
                    continue;
                }
                long dl = w.deadlineAt(i);
                if (dl <= now && out.size() < maxCount) {
                    StreamEvent ev = w.eventAt(i).withDeliveryCount(w.countAt(i) + 1);
                    dl = now + ackTimeoutMs;
                    w.redelivered(i, ev, dl);
                    out.add(ev);
                    p.lastDeliveryMs = now;
                    p.deliveredUpTo = Math.max(p.deliveredUpTo, w.offsetAt(i) + 1);
                }
                min = Math.min(min, dl);
            }
            p.minDeadlineMs = min;
        }
    }

    /**
     * Delivers fetched records from the head of {@code buffer} into {@code out}, up to
     * {@code maxCount} and while fewer than {@code maxUnacked} are in flight. Records of partitions not
     * owned, or already committed, delivered or acked, are dropped; a record the previous owner
     * delivered recently is taken into the window but held back until its ack timeout ran out.
     */
    synchronized void deliver(
            Deque<ConsumerRecord<byte[], byte[]>> buffer, long now, List<StreamEvent> out, int maxCount) {
        int inflight = inflight();
        int lastPartition = -1;
        PartitionLedger p = null;
        while (!buffer.isEmpty() && out.size() < maxCount && inflight < maxUnacked) {
            ConsumerRecord<byte[], byte[]> r = buffer.pollFirst();
            if (r.partition() != lastPartition || p == null) {
                p = owned.get(new TopicPartition(r.topic(), r.partition()));
                lastPartition = p == null ? -1 : r.partition();
            }
            long off = r.offset();
            if (p == null || p.skips(off)) {
                continue;
            }
            StreamEvent ev;
            if (off < p.priorUpTo) {
                int prior = p.priorCounts.getOrDefault(off, 1);
                long holdUntil = p.priorDeliveryMs + ackTimeoutMs;
                if (now < holdUntil) {
                    // delivered by the previous owner recently: wait for its ack timeout first
                    p.window.add(off, Records.toEvent(stream, r, partitioned, prior), prior, holdUntil);
                    p.minDeadlineMs = Math.min(p.minDeadlineMs, holdUntil);
                    inflight++;
                    continue;
                }
                ev = Records.toEvent(stream, r, partitioned, prior + 1);
            } else {
                ev = Records.toEvent(stream, r, partitioned, 1);
            }
            p.window.add(off, ev, ev.deliveryCount(), now + ackTimeoutMs);
            out.add(ev);
            inflight++;
            p.minDeadlineMs = Math.min(p.minDeadlineMs, now + ackTimeoutMs);
            p.deliveredUpTo = Math.max(p.deliveredUpTo, off + 1);
            p.lastDeliveryMs = now;
        }
    }

    // ---- acks ----

    /** Acks in-flight events by id; other ids (unknown, acked already, another backend's) count as unknown. */
    synchronized AckResult ack(List<EventId> ids) {
        int acked = 0;
        int unknown = 0;
        int lastPartition = -1;
        PartitionLedger p = null;
        for (EventId id : ids) {
            if (!Records.fits(id, partitioned)) {
                unknown++;
                continue;
            }
            int partition = Records.partition(id, partitioned);
            if (partition != lastPartition) {
                p = owned.get(new TopicPartition(topic, partition));
                lastPartition = partition;
            }
            if (p != null && p.window.ack(Records.offset(id, partitioned))) {
                acked++;
            } else {
                unknown++;
            }
        }
        return new AckResult(acked, unknown);
    }

    /** Makes in-flight events due for redelivery at once; unknown ids are ignored. */
    synchronized void nack(List<EventId> ids) {
        for (EventId id : ids) {
            if (!Records.fits(id, partitioned)) {
                continue;
            }
            PartitionLedger p = owned.get(new TopicPartition(topic, Records.partition(id, partitioned)));
            if (p != null && p.window.nack(Records.offset(id, partitioned))) {
                p.minDeadlineMs = 0;
            }
        }
    }

    // ---- commits ----

    /**
     * The commit of each of {@code which} (owned) whose acked prefix or delivery knowledge changed
     * since the last commit, recorded as sent.
     */
    synchronized Map<TopicPartition, OffsetAndMetadata> pendingCommits(Collection<TopicPartition> which) {
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        for (TopicPartition tp : which) {
            PartitionLedger p = owned.get(tp);
            if (p == null) {
                continue;
            }
            p.advanceCommitted();
            String meta = p.meta(ackTimeoutMs).encode();
            if (p.committed != p.committedSent || !meta.equals(p.metaSent)) {
                commits.put(tp, new OffsetAndMetadata(p.committed, meta));
                p.committedSent = p.committed;
                p.metaSent = meta;
            }
        }
        return commits;
    }

    /** A commit failed: the next {@link #pendingCommits} sends these partitions again. */
    synchronized void commitFailed(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            PartitionLedger p = owned.get(tp);
            if (p != null) {
                p.metaSent = "";
            }
        }
    }

    /** Pending (delivered, unacked), reached and delivered-up-to of an owned partition, or null. */
    synchronized long[] figures(TopicPartition tp) {
        PartitionLedger p = owned.get(tp);
        if (p == null) {
            return null;
        }
        return new long[] {p.window.inflight(), Math.max(p.deliveredUpTo, p.committed), p.deliveredUpTo};
    }
}
