package dev.tributary.memory.internal;

import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamInfo;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import dev.tributary.memory.internal.MemoryOptions.StoreSettings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stream of a store: its retained events, its sequence, its byte count, its idempotency ids and
 * its groups. Sequences are dense from 1; {@code firstSeq() == lastSeq + 1} when nothing is
 * retained, so a stream trimmed to empty continues its numbering. Not thread-safe: every method
 * runs under the store's lock; {@link #changed} is signalled on append, nack, group deletion,
 * stream deletion and close.
 */
final class StreamLog {
    /** A remembered idempotency id: the sequence stored the first time and when. */
    private record Seen(long seq, Instant at) {}

    private static final Logger LOG = LoggerFactory.getLogger(StreamLog.class);

    final StreamName name;
    final Condition changed;
    /** This log's partition of a partitioned stream; -1 for a one-partition stream. */
    final int partition;
    /** Every partition of the stream, this log included ({@code {this}} for a one-partition stream). */
    private StreamLog[] parts = {this};

    private final StoreSettings settings;
    private final EventBuffer events = new EventBuffer();
    private final LinkedHashMap<String, Seen> seen = new LinkedHashMap<>();
    final LinkedHashMap<String, GroupState> groups = new LinkedHashMap<>();
    private long lastSeq;
    private Instant lastTimestamp;
    private long retainedBytes;

    StreamLog(StreamName name, Condition changed, StoreSettings settings) {
        this(name, changed, settings, -1);
    }

    private StreamLog(StreamName name, Condition changed, StoreSettings settings, int partition) {
        this.name = name;
        this.changed = changed;
        this.settings = settings;
        this.partition = partition;
    }

    /** The {@code n} partitions of a new partitioned stream; they share one condition. */
    static StreamLog[] partitioned(StreamName name, Condition changed, StoreSettings settings, int n) {
        StreamLog[] parts = new StreamLog[n];
        for (int i = 0; i < n; i++) {
            parts[i] = new StreamLog(name, changed, settings, i);
        }
        for (StreamLog p : parts) {
            p.parts = parts;
        }
        return parts;
    }

    /** Every partition of this log's stream, in partition order. */
    StreamLog[] parts() {
        return parts;
    }

    /** Whether the stream has several partitions. */
    boolean isPartitioned() {
        return partition >= 0;
    }

    /** The id of sequence {@code seq} in this log: partitioned when the stream is. */
    EventId id(long seq) {
        EventId local = EventId.ofSequence(seq);
        return partition < 0 ? local : EventId.inPartition(partition, local);
    }

    /** "stream 'x'" or "partition 2 of stream 'x'", for messages. */
    String what() {
        return (partition < 0 ? "" : "partition " + partition + " of ") + "stream '" + name + "'";
    }

    long lastSeq() {
        return lastSeq;
    }

    /** The oldest retained sequence; {@code lastSeq + 1} when nothing is retained. */
    long firstSeq() {
        return lastSeq - events.size() + 1;
    }

    int size() {
        return events.size();
    }

    long retainedBytes() {
        return retainedBytes;
    }

    /** The retained event with sequence {@code seq}. */
    StreamEvent get(long seq) {
        return events.get((int) (seq - firstSeq()));
    }

    /** The first retained sequence whose timestamp is at or after {@code t}; {@code lastSeq + 1} if none. */
    long firstSeqAtOrAfter(Instant t) {
        return firstSeq() + events.firstIndexAtOrAfter(t);
    }

    /** Bytes a record occupies under the memory cap: payload, key and headers. */
    static long sizeOf(StreamRecord r) {
        return (long) r.payload().length
                + (r.key() == null ? 0 : r.key().length)
                + r.headers().byteSize();
    }

    private static long sizeOf(StreamEvent e) {
        return (long) e.payload().length
                + (e.key() == null ? 0 : e.key().length)
                + e.headers().byteSize();
    }

    /**
     * Appends records atomically: either every record is stored (or recognised as a duplicate of an
     * id remembered inside the dedup window, including an earlier record of the same batch) or
     * nothing changes.
     *
     * @param now the appending client's clock reading; timestamps are {@code max(previous, now)}
     * @throws StreamException {@link ErrorKind#BACKPRESSURE} when the records would take the stream
     *                         over its memory cap
     */
    List<EventId> append(List<StreamRecord> records, Instant now) {
        Instant ts = lastTimestamp == null || now.isAfter(lastTimestamp) ? now : lastTimestamp;
        boolean dedup = settings.dedupEnabled();
        if (dedup) {
            expireSeen(ts);
        }
        // Plan first (ids and size), then commit: a failure leaves the stream untouched.
        long[] seqs = new long[records.size()];
        boolean[] store = new boolean[records.size()];
        Map<String, Long> inBatch = records.size() > 1 && dedup ? new HashMap<>() : null;
        long next = lastSeq;
        long bytes = 0;
        int stored = 0;
        for (int i = 0; i < records.size(); i++) {
            StreamRecord r = records.get(i);
            String idem = dedup ? r.idempotencyId() : null;
            if (idem != null) {
                Seen s = seen.get(idem);
                Long earlier = inBatch == null ? null : inBatch.get(idem);
                if (s != null) {
                    seqs[i] = s.seq();
                    continue;
                }
                if (earlier != null) {
                    seqs[i] = earlier;
                    continue;
                }
                if (inBatch != null) {
                    inBatch.put(idem, next + 1);
                }
            }
            seqs[i] = ++next;
            store[i] = true;
            stored++;
            bytes += sizeOf(r);
        }
        checkRoom(bytes, stored);
        List<EventId> ids = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            EventId id = id(seqs[i]);
            ids.add(id);
            if (!store[i]) {
                continue;
            }
            StreamRecord r = records.get(i);
            // Copy the arrays: the broker keeps what was sent, whatever the caller does with its buffers later.
            byte[] key = r.key() == null ? null : r.key().clone();
            events.addLast(
                    new StreamEvent(name, id, ts, key, r.headers(), r.payload().clone(), 1));
            retainedBytes += sizeOf(r);
            if (dedup && r.idempotencyId() != null) {
                remember(r.idempotencyId(), seqs[i], ts);
            }
        }
        if (stored > 0) {
            lastSeq = next;
            lastTimestamp = ts;
        }
        return ids;
    }

    /**
     * Fails BACKPRESSURE, naming the cap, unless {@code records} fit (counting each as new: a check
     * before the appends of a batch spread over partitions, so none is stored when one cannot be).
     */
    void checkRoomFor(List<StreamRecord> records) {
        long bytes = 0;
        for (StreamRecord r : records) {
            bytes += sizeOf(r);
        }
        checkRoom(bytes, records.size());
    }

    private void checkRoom(long bytes, int stored) {
        if (bytes > settings.maxStreamBytes() - retainedBytes) {
            throw new StreamException(
                    ErrorKind.BACKPRESSURE,
                    what() + " holds " + retainedBytes
                            + " bytes and the append needs " + bytes + " more, over its memory cap of "
                            + settings.maxStreamBytes()
                            + " bytes; nothing was written: trim the stream or raise maxStreamBytes");
        }
        if (!events.hasRoomFor(stored)) {
            throw new StreamException(
                    ErrorKind.BACKPRESSURE,
                    what() + " holds " + events.size()
                            + " events, the most one memory stream can hold is " + EventBuffer.MAX_CAPACITY
                            + "; nothing was written: trim the stream");
        }
    }

    private void remember(String idem, long seq, Instant at) {
        seen.put(idem, new Seen(seq, at));
        if (seen.size() > settings.dedupMaxEntries()) {
            Iterator<Seen> it = seen.values().iterator();
            it.next();
            it.remove();
        }
    }

    /** Forgets idempotency ids remembered longer than the window (the map is in time order). */
    private void expireSeen(Instant now) {
        Instant cutoff = now.minus(settings.dedupWindow());
        Iterator<Seen> it = seen.values().iterator();
        while (it.hasNext()) {
            if (it.next().at().isAfter(cutoff)) {
                return;
            }
            it.remove();
        }
    }

    /** Up to {@code max} events from {@code fromSeq} to {@code toSeq} inclusive, in order. */
    List<StreamEvent> read(long fromSeq, long toSeq, int max) {
        long from = Math.max(fromSeq, firstSeq());
        long to = Math.min(toSeq, lastSeq);
        if (from > to) {
            return new ArrayList<>(0);
        }
        int n = (int) Math.min(max, to - from + 1);
        List<StreamEvent> out = new ArrayList<>(n);
        int base = (int) (from - firstSeq());
        for (int i = 0; i < n; i++) {
            out.add(events.get(base + i));
        }
        return out;
    }

    /**
     * The sequence a read that continues after {@code afterSeq} starts at.
     *
     * @throws StreamException {@link ErrorKind#DATA_LOSS} when events after {@code afterSeq} were
     *                         trimmed before they were read
     */
    long continueAfter(long afterSeq, String who) {
        long first = firstSeq();
        if (afterSeq < first - 1) {
            throw new StreamException(
                    ErrorKind.DATA_LOSS,
                    who + " of " + what() + " continues after id "
                            + afterSeq + " but the first retained id is " + first + ": events " + (afterSeq + 1)
                            + " to "
                            + (first - 1)
                            + " were trimmed before they were read. Reopen at earliest to continue from the "
                            + "retained head, or fail");
        }
        return afterSeq + 1;
    }

    /** Removes the {@code n} oldest events; pending group entries of removed events are dropped. */
    int removeOldest(int n) {
        if (n <= 0) {
            return 0;
        }
        for (int i = 0; i < n; i++) {
            retainedBytes -= sizeOf(events.get(i));
        }
        events.removeFirst(n);
        long first = firstSeq();
        for (GroupState g : groups.values()) {
            int dropped = g.dropBelow(first);
            if (dropped > 0) {
                LOG.warn(
                        "trim of stream '{}' removed {} events that group '{}' had delivered but not acked; they are"
                                + " dropped from its pending list and will not be redelivered (acking them counts as unknown)",
                        name,
                        dropped,
                        g.name);
            }
        }
        return n;
    }

    /** How many of the oldest events have a timestamp before {@code cutoff}. */
    int countOlderThan(Instant cutoff) {
        return events.firstIndexAtOrAfter(cutoff);
    }

    StreamInfo info() {
        if (events.size() == 0) {
            return StreamInfo.empty(name);
        }
        StreamEvent f = events.first();
        StreamEvent l = events.last();
        return StreamInfo.of(name, events.size(), f.id().local(), f.timestamp(), l.id().local(), l.timestamp());
    }
}
