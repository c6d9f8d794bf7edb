package dev.tributary;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a stream holds now. A missing stream answers {@code exists=false, length=0}; an empty one
 * answers {@code exists=true, length=0}; neither throws. First/last ids and their broker timestamps
 * are present exactly when {@code length > 0}.
 *
 * <p>A stream of several partitions answers totals — {@code length} is the sum, the first id and
 * time are those of the partition whose oldest event is oldest, the last id and time those of the
 * partition whose newest event is newest (both partitioned ids) — and {@link #partitions()}, one
 * entry per partition in partition order, each with that partition's own (plain) ids. A
 * one-partition stream has no entries there: the totals are its partition.
 */
public record StreamInfo(
        StreamName stream,
        boolean exists,
        long length,
        Optional<EventId> firstId,
        Optional<EventId> lastId,
        Optional<Instant> firstTimestamp,
        Optional<Instant> lastTimestamp,
        List<StreamInfo> partitions) {

    public StreamInfo {
        if (stream == null
                || firstId == null
                || lastId == null
                || firstTimestamp == null
                || lastTimestamp == null
                || partitions == null) {
            throw new IllegalArgumentException("StreamInfo components must not be null (use Optional.empty())");
        }
        if (partitions.size() == 1) {
            throw new IllegalArgumentException(
                    "a one-partition stream lists no partitions: its totals are its partition");
        }
        partitions = List.copyOf(partitions);
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0: " + length);
        }
    }

    /** A one-partition stream's answer. */
    public StreamInfo(
            StreamName stream,
            boolean exists,
            long length,
            Optional<EventId> firstId,
            Optional<EventId> lastId,
            Optional<Instant> firstTimestamp,
            Optional<Instant> lastTimestamp) {
        this(stream, exists, length, firstId, lastId, firstTimestamp, lastTimestamp, List.of());
    }

    /** How many partitions the stream has: 1 unless {@link #partitions()} lists them. */
    public int partitionCount() {
        return partitions.isEmpty() ? 1 : partitions.size();
    }

    /**
     * The totals of a partitioned stream from each partition's answer (plain ids, partition order):
     * what the class comment describes.
     */
    public static StreamInfo ofPartitions(StreamName stream, List<StreamInfo> partitions) {
        if (partitions == null || partitions.size() < 2) {
            throw new IllegalArgumentException("a partitioned stream has at least 2 partitions");
        }
        long length = 0;
        int first = -1;
        int last = -1;
        for (int i = 0; i < partitions.size(); i++) {
            StreamInfo p = partitions.get(i);
            length += p.length();
            if (p.length() == 0) {
                continue;
            }
            if (first < 0
                    || p.firstTimestamp()
                            .get()
                            .isBefore(partitions.get(first).firstTimestamp().get())) {
                first = i;
            }
            if (last < 0
                    || !p.lastTimestamp()
                            .get()
                            .isBefore(partitions.get(last).lastTimestamp().get())) {
                last = i;
            }
        }
        if (first < 0) {
            return new StreamInfo(
                    stream,
                    true,
                    0,
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    partitions);
        }
        StreamInfo f = partitions.get(first);
        StreamInfo l = partitions.get(last);
        return new StreamInfo(
                stream,
                true,
                length,
                Optional.of(EventId.inPartition(first, f.firstId().get())),
                Optional.of(EventId.inPartition(last, l.lastId().get())),
                f.firstTimestamp(),
                l.lastTimestamp(),
                partitions);
    }

    /** The answer for a stream that does not exist. */
    public static StreamInfo missing(StreamName stream) {
        return new StreamInfo(stream, false, 0, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The answer for a stream that exists but holds nothing. */
    public static StreamInfo empty(StreamName stream) {
        return new StreamInfo(stream, true, 0, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The answer for a stream holding {@code length} events. */
    public static StreamInfo of(
            StreamName stream, long length, EventId first, Instant firstTime, EventId last, Instant lastTime) {
        return new StreamInfo(
                stream,
                true,
                length,
                Optional.of(first),
                Optional.of(last),
                Optional.of(firstTime),
                Optional.of(lastTime));
    }
}
