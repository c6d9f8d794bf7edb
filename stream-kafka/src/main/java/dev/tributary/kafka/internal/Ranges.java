package dev.tributary.kafka.internal;

import dev.tributary.EventId;
import dev.tributary.Position;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.spi.Interleaving;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.kafka.common.TopicPartition;

/**
 * History reads ({@code range}) of a one-partition or a partitioned stream: where each partition
 * starts and ends now, then the {@link Fetcher}'s reads between.
 */
final class Ranges {
    private final StreamOps streams;
    private final Fetcher fetcher;

    Ranges(StreamOps streams, Fetcher fetcher) {
        this.streams = streams;
        this.fetcher = fetcher;
    }

    /** History of a one-partition stream between {@code from} and {@code toInclusive} (null: the end). */
    List<StreamEvent> range(StreamName stream, Position from, EventId toInclusive, int maxCount) {
        if (from instanceof Position.Latest || streams.partitions(stream).isEmpty()) {
            return List.of();
        }
        long limitOffset = toInclusive == null ? Long.MAX_VALUE : Records.offset(toInclusive, false) + 1;
        TopicPartition tp = new TopicPartition(streams.topic(stream), 0);
        Optional<Map<TopicPartition, Long>> begins = streams.admin().beginning(List.of(tp));
        Optional<Map<TopicPartition, Long>> ends = streams.admin().end(List.of(tp));
        if (begins.isEmpty() || ends.isEmpty()) {
            return List.of();
        }
        long end = ends.get().get(tp);
        // after an id below the retained head, or at or beyond the end, fails DATA_LOSS here
        long start = fetcher.startOf(stream, tp, from, begins.get().get(tp), end);
        return fetcher.readAll(stream, 0, start, Math.min(end, limitOffset), maxCount);
    }

    /**
     * History of a partitioned stream: each partition read from its start in {@code from} (earliest,
     * a time, or a cursor's entry) up to its end now, up to {@code maxCount} each, and the first
     * {@code maxCount} of them interleaved by timestamp, then partition ({@link Interleaving}).
     */
    List<StreamEvent> rangePartitioned(StreamName stream, Position from, EventId toInclusive, int maxCount) {
        if (toInclusive != null) {
            throw StreamException.invalid("a range of the partitioned stream " + stream
                    + " ends at the newest event (toInclusive null); page it with a cursor");
        }
        if (from instanceof Position.After a) {
            throw StreamException.invalid("stream " + stream + " is partitioned: one id (" + a.id()
                    + ") does not say where the other partitions stand; start after a cursor instead");
        }
        OptionalInt n = streams.partitions(stream);
        if (n.isEmpty() || from instanceof Position.Latest) {
            return List.of();
        }
        List<TopicPartition> tps = AdminOps.tps(streams.topic(stream), n.getAsInt());
        if (from instanceof Position.AfterCursor c && c.cursor().partitionCount() != tps.size()) {
            throw StreamException.invalid("cursor " + c.cursor() + " covers "
                    + c.cursor().partitionCount() + " partitions, stream " + stream + " has " + tps.size());
        }
        Optional<Map<TopicPartition, Long>> begins = streams.admin().beginning(tps);
        Optional<Map<TopicPartition, Long>> ends = streams.admin().end(tps);
        if (begins.isEmpty() || ends.isEmpty()) {
            return List.of();
        }
        List<List<StreamEvent>> each = new ArrayList<>(tps.size());
        for (TopicPartition tp : tps) {
            Position p = from instanceof Position.AfterCursor c ? c.cursor().position(tp.partition()) : from;
            long end = ends.get().get(tp);
            long start = fetcher.startOf(stream, tp, p, begins.get().get(tp), end);
            each.add(fetcher.readAll(stream, tp.partition(), start, end, maxCount));
        }
        return Interleaving.first(each, maxCount);
    }
}
