package dev.tributary.kafka.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * What a group member knows of one partition it owns: the committed offset, the delivered offsets
 * above it ({@link DeliveryWindow}), acks known from elsewhere, and what the previous owner
 * delivered (from the commit metadata, {@link GroupMeta}). Pure bookkeeping, no I/O; not
 * thread-safe (its {@link GroupLedger} guards it).
 */
final class PartitionLedger {
    long committed;
    /** The offset last sent in a commit (-1: commit again). */
    long committedSent;
    /** The metadata last sent in a commit ("" after a failed commit: commit again). */
    String metaSent = "";

    long deliveredUpTo = -1;
    long lastDeliveryMs;
    /** Delivered offsets at or above {@link #committed}: in flight, or acked out of order. */
    final DeliveryWindow window = new DeliveryWindow();
    /**
     * Acked offsets above the committed one that this member has not delivered (they come from the
     * commit metadata or from an earlier ownership); disjoint from the window.
     */
    final TreeSet<Long> ackedElsewhere = new TreeSet<>();
    /** At most the earliest redelivery deadline of the in-flight offsets (MAX_VALUE: none). */
    long minDeadlineMs = Long.MAX_VALUE;
    /** From the previous owner: offsets below this were delivered before. */
    long priorUpTo = -1;

    long priorDeliveryMs;
    Map<Long, Integer> priorCounts = Map.of();

    /** A partition without a committed offset, starting at {@code begin}; its first commit is due. */
    static PartitionLedger fresh(long begin) {
        PartitionLedger p = new PartitionLedger();
        p.committed = begin;
        p.committedSent = -1;
        return p;
    }

    /** A partition taken over at a committed offset with the group's metadata (null metadata: none). */
    static PartitionLedger takenOver(long offset, String metadata) {
        PartitionLedger p = new PartitionLedger();
        p.committed = offset;
        p.committedSent = offset;
        p.metaSent = metadata == null ? "" : metadata;
        GroupMeta m = GroupMeta.parse(metadata);
        if (m != null && m.deliveredUpTo > offset) {
            p.priorUpTo = m.deliveredUpTo;
            p.priorDeliveryMs = m.lastDeliveryMs;
            p.priorCounts = Map.copyOf(m.counts);
            p.deliveredUpTo = m.deliveredUpTo;
            p.lastDeliveryMs = m.lastDeliveryMs;
            p.ackedElsewhere.addAll(m.acked.tailSet(offset, true));
        }
        return p;
    }

    /** Whether an offset fetched from the broker is not to be delivered (committed, delivered or acked). */
    boolean skips(long offset) {
        return offset < committed
                || window.contains(offset)
                || (!ackedElsewhere.isEmpty() && ackedElsewhere.contains(offset));
    }

    /** Moves the committed offset over the contiguous acked prefix. */
    void advanceCommitted() {
        long c = committed;
        while (true) {
            long next = window.popAckedPrefix(c);
            if (!ackedElsewhere.isEmpty() && ackedElsewhere.remove(next)) {
                c = next + 1;
                continue;
            }
            c = next;
            break;
        }
        committed = c;
        if (!ackedElsewhere.isEmpty()) {
            ackedElsewhere.headSet(c).clear();
        }
    }

    /** The commit metadata: how far the group delivered, when, the acks above the commit, counts of 2+. */
    GroupMeta meta(long ackTimeoutMs) {
        GroupMeta m = new GroupMeta(ackTimeoutMs);
        if (deliveredUpTo > committed) {
            m.deliveredUpTo = deliveredUpTo;
            m.lastDeliveryMs = lastDeliveryMs;
            for (int i = 0, n = window.size(); i < n; i++) {
                if (!window.inflightAt(i)) {
                    m.acked.add(window.offsetAt(i));
                } else if (window.countAt(i) >= 2) {
                    m.counts.put(window.offsetAt(i), window.countAt(i));
                }
            }
            m.acked.addAll(ackedElsewhere);
        }
        return m;
    }

    /**
     * Merges what this member knew of the partition when it owned it before into this state read
     * from the broker: offsets it had acked stay acked (the commit of a prefix it acked moves forward
     * at once, even if the broker lost that commit), and events it had delivered keep their counts.
     */
    void resume(PartitionLedger prev) {
        if (prev.committed > committed) {
            committed = prev.committed;
            committedSent = -1; // commit it again
        }
        ackedElsewhere.addAll(prev.ackedElsewhere.tailSet(committed, true));
        DeliveryWindow w = prev.window;
        for (int i = 0, n = w.size(); i < n; i++) {
            if (!w.inflightAt(i) && w.offsetAt(i) >= committed) {
                ackedElsewhere.add(w.offsetAt(i));
            }
        }
        if (prev.deliveredUpTo > committed) {
            Map<Long, Integer> counts = new HashMap<>(priorCounts);
            for (int i = 0, n = w.size(); i < n; i++) {
                if (w.inflightAt(i) && w.offsetAt(i) >= committed) {
                    counts.merge(w.offsetAt(i), w.countAt(i), Math::max);
                }
            }
            priorCounts = Map.copyOf(counts);
            priorUpTo = Math.max(priorUpTo, prev.deliveredUpTo);
            priorDeliveryMs = Math.max(priorDeliveryMs, prev.lastDeliveryMs);
            deliveredUpTo = Math.max(deliveredUpTo, prev.deliveredUpTo);
            lastDeliveryMs = Math.max(lastDeliveryMs, prev.lastDeliveryMs);
        }
    }
}
