package dev.tributary.cli.demo;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * What happened to every event of the demo: published, acknowledged by the broker,
 * and delivered to each view — the live tail, the consumer group (any member), the history reader.
 * From it the report computes lost (acknowledged but missing from a view), duplicates (deliveries
 * beyond the first in a view) and end-to-end latency. Thread-safe; sized for the run up front.
 */
final class Ledger {
    /** The consumers of the group, for per-member counts. */
    static final int MEMBERS = 3;

    private final int size;
    private final AtomicLongArray sentNanos;
    private final AtomicIntegerArray acked;
    private final AtomicIntegerArray failed;
    private final AtomicIntegerArray tail;
    private final AtomicIntegerArray group;
    private final AtomicIntegerArray history;
    private final LongAdder published = new LongAdder();
    private final LongAdder ackedCount = new LongAdder();
    private final LongAdder failedCount = new LongAdder();
    private final LongAdder tailDeliveries = new LongAdder();
    private final LongAdder groupDeliveries = new LongAdder();
    private final LongAdder historyDeliveries = new LongAdder();
    private final LongAdder redelivered = new LongAdder();
    private final LongAdder tailOutOfOrder = new LongAdder();
    private final LongAdder unknown = new LongAdder();
    private final LongAdder[] perMember = new LongAdder[MEMBERS];
    private final Histogram tailLatency = new ConcurrentHistogram(3_600_000_000L, 3);
    private final Histogram groupLatency = new ConcurrentHistogram(3_600_000_000L, 3);
    private volatile int lastTailSeq = -1;

    Ledger(int size) {
        this.size = size;
        this.sentNanos = new AtomicLongArray(size);
        this.acked = new AtomicIntegerArray(size);
        this.failed = new AtomicIntegerArray(size);
        this.tail = new AtomicIntegerArray(size);
        this.group = new AtomicIntegerArray(size);
        this.history = new AtomicIntegerArray(size);
        for (int i = 0; i < MEMBERS; i++) {
            perMember[i] = new LongAdder();
        }
    }

    int size() {
        return size;
    }

    void published(int seq) {
        sentNanos.set(seq, System.nanoTime());
        published.increment();
    }

    void acked(int seq) {
        acked.set(seq, 1);
        ackedCount.increment();
    }

    void failed(int seq) {
        failed.set(seq, 1);
        failedCount.increment();
    }

    private boolean known(int seq) {
        if (seq < 0 || seq >= size) {
            unknown.increment();
            return false;
        }
        return true;
    }

    /** The live tail handled event {@code seq}. Called from the tail's one thread. */
    void tail(int seq) {
        if (!known(seq)) {
            return;
        }
        if (tail.getAndIncrement(seq) == 0) {
            tailLatency.recordValue(micros(seq));
        }
        if (seq < lastTailSeq) {
            tailOutOfOrder.increment();
        }
        lastTailSeq = seq;
        tailDeliveries.increment();
    }

    /** A group member handled event {@code seq}. */
    void group(int member, int seq, int deliveryCount) {
        if (!known(seq)) {
            return;
        }
        if (group.getAndIncrement(seq) == 0) {
            groupLatency.recordValue(micros(seq));
        }
        if (deliveryCount > 1) {
            redelivered.increment();
        }
        perMember[member].increment();
        groupDeliveries.increment();
    }

    /** The history reader read event {@code seq}. */
    void history(int seq) {
        if (known(seq)) {
            history.incrementAndGet(seq);
            historyDeliveries.increment();
        }
    }

    private long micros(int seq) {
        long sent = sentNanos.get(seq);
        return sent == 0 ? 0 : Math.max(0, (System.nanoTime() - sent) / 1000);
    }

    long published() {
        return published.sum();
    }

    long acked() {
        return ackedCount.sum();
    }

    long failedAppends() {
        return failedCount.sum();
    }

    long tailDeliveries() {
        return tailDeliveries.sum();
    }

    long groupDeliveries() {
        return groupDeliveries.sum();
    }

    long historyDeliveries() {
        return historyDeliveries.sum();
    }

    long memberDeliveries(int member) {
        return perMember[member].sum();
    }

    long redelivered() {
        return redelivered.sum();
    }

    long tailOutOfOrder() {
        return tailOutOfOrder.sum();
    }

    long unknownDeliveries() {
        return unknown.sum();
    }

    Histogram tailLatency() {
        return tailLatency;
    }

    Histogram groupLatency() {
        return groupLatency;
    }

    /** Acknowledged events the tail has not seen yet. */
    long tailMissing() {
        return missing(tail);
    }

    /** Acknowledged events no group member has handled yet. */
    long groupMissing() {
        return missing(group);
    }

    /** Acknowledged events the history reader did not read. */
    long historyMissing() {
        return missing(history);
    }

    private long missing(AtomicIntegerArray view) {
        long n = 0;
        for (int i = 0; i < size; i++) {
            if (acked.get(i) == 1 && view.get(i) == 0) {
                n++;
            }
        }
        return n;
    }

    /** Acknowledged events missing from at least one view. */
    long lost() {
        long n = 0;
        for (int i = 0; i < size; i++) {
            if (acked.get(i) == 1 && (tail.get(i) == 0 || group.get(i) == 0 || history.get(i) == 0)) {
                n++;
            }
        }
        return n;
    }

    long tailDuplicates() {
        return duplicates(tail);
    }

    long groupDuplicates() {
        return duplicates(group);
    }

    long historyDuplicates() {
        return duplicates(history);
    }

    private long duplicates(AtomicIntegerArray view) {
        long n = 0;
        for (int i = 0; i < size; i++) {
            n += Math.max(0, view.get(i) - 1);
        }
        return n;
    }

    /** Events delivered although their append failed (must be 0 without indeterminate appends). */
    long deliveredButFailed() {
        long n = 0;
        for (int i = 0; i < size; i++) {
            if (failed.get(i) == 1 && (tail.get(i) > 0 || group.get(i) > 0 || history.get(i) > 0)) {
                n++;
            }
        }
        return n;
    }
}
