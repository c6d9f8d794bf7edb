package dev.tributary.kafka.internal;

import dev.tributary.StreamEvent;
import java.util.Arrays;

/**
 * The delivered offsets of one partition at or above its committed offset, in ascending order: each
 * one in flight (delivered, not acked: it holds its event, delivery count and redelivery deadline) or
 * acked above a gap (an ack out of order, waiting for the offsets below it). Parallel arrays, no
 * object per offset: a delivery appends at the tail (offsets arrive in ascending order), an ack is a
 * binary search (or a hit of the hint, for ids acked in order) that clears the slot's event, and the
 * commit pops the acked prefix from the head.
 *
 * <p>Not thread-safe: the member guards it with its state lock.
 */
final class DeliveryWindow {
    private long[] offsets = new long[64];
    private int[] counts = new int[64];
    private long[] deadlines = new long[64];
    /** The event of an in-flight slot; null for an acked one. */
    private StreamEvent[] events = new StreamEvent[64];

    private int head;
    private int tail;
    private int inflight;
    private int hint;

    /** Delivered and not acked. */
    int inflight() {
        return inflight;
    }

    /** Slots (in flight or acked out of order). */
    int size() {
        return tail - head;
    }

    boolean isEmpty() {
        return tail == head;
    }

    /** The slot of an offset, or -1. */
    int indexOf(long offset) {
        if (head == tail || offset < offsets[head] || offset > offsets[tail - 1]) {
            return -1;
        }
        if (hint >= head && hint < tail && offsets[hint] == offset) {
            return hint;
        }
        int i = Arrays.binarySearch(offsets, head, tail, offset);
        return i >= 0 ? i : -1;
    }

    boolean contains(long offset) {
        return indexOf(offset) >= 0;
    }

    /** Adds an in-flight offset (normally above every slot; an offset below the tail is inserted in order). */
    void add(long offset, StreamEvent event, int count, long deadlineMs) {
        if (tail == offsets.length) {
            makeRoom();
        }
        int at = tail;
        if (head < tail && offset <= offsets[tail - 1]) {
            int i = Arrays.binarySearch(offsets, head, tail, offset);
            if (i >= 0) {
                throw new IllegalStateException("offset " + offset + " is already in the window");
            }
            at = -i - 1;
            System.arraycopy(offsets, at, offsets, at + 1, tail - at);
            System.arraycopy(counts, at, counts, at + 1, tail - at);
            System.arraycopy(deadlines, at, deadlines, at + 1, tail - at);
            System.arraycopy(events, at, events, at + 1, tail - at);
        }
        offsets[at] = offset;
        counts[at] = count;
        deadlines[at] = deadlineMs;
        events[at] = event;
        tail++;
        inflight++;
    }

    private void makeRoom() {
        int n = tail - head;
        if (head > 0 && n <= offsets.length / 2) {
            System.arraycopy(offsets, head, offsets, 0, n);
            System.arraycopy(counts, head, counts, 0, n);
            System.arraycopy(deadlines, head, deadlines, 0, n);
            System.arraycopy(events, head, events, 0, n);
            Arrays.fill(events, n, tail, null);
        } else {
            int cap = offsets.length * 2;
            offsets = Arrays.copyOfRange(offsets, head, head + cap);
            counts = Arrays.copyOfRange(counts, head, head + cap);
            deadlines = Arrays.copyOfRange(deadlines, head, head + cap);
            events = Arrays.copyOfRange(events, head, head + cap);
        }
        hint -= head;
        head = 0;
        tail = n;
    }

    /** Acks an in-flight offset; false if it is not in flight (unknown, or acked already). */
    boolean ack(long offset) {
        int i = indexOf(offset);
        if (i < 0 || events[i] == null) {
            return false;
        }
        events[i] = null;
        inflight--;
        hint = i + 1;
        return true;
    }

    /** Makes an in-flight offset due at once; false if it is not in flight. */
    boolean nack(long offset) {
        int i = indexOf(offset);
        if (i < 0 || events[i] == null) {
            return false;
        }
        deadlines[i] = 0;
        return true;
    }

    /**
     * Pops the acked slots at the head while they continue {@code committed}; returns the new
     * committed offset (the first offset not acked, as far as the window knows).
     */
    long popAckedPrefix(long committed) {
        while (head < tail && events[head] == null && offsets[head] == committed) {
            head++;
            committed++;
        }
        if (head == tail) {
            head = 0;
            tail = 0;
            hint = 0;
        }
        return committed;
    }

    /** The offset of slot {@code i} ({@code 0 <= i < size()}). */
    long offsetAt(int i) {
        return offsets[head + i];
    }

    /** Whether slot {@code i} is in flight (not acked). */
    boolean inflightAt(int i) {
        return events[head + i] != null;
    }

    int countAt(int i) {
        return counts[head + i];
    }

    long deadlineAt(int i) {
        return deadlines[head + i];
    }

    StreamEvent eventAt(int i) {
        return events[head + i];
    }

    /** Records a redelivery of in-flight slot {@code i}. */
    void redelivered(int i, StreamEvent event, long deadlineMs) {
        events[head + i] = event;
        counts[head + i] = event.deliveryCount();
        deadlines[head + i] = deadlineMs;
    }
}
