package dev.tributary.nats.internal;

import dev.tributary.EventId;
import dev.tributary.Position;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.spi.Interleaving;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code range} page of a partitioned stream: a {@link RangeRead} of up to {@code maxCount}
 * events from each partition's entry of the cursor (or from the same start in every partition), of
 * which the first {@code maxCount} of their {@link Interleaving} are returned. What a page returns of
 * a partition is a prefix of what remains there, so paging with {@code cursor.advance(page)} loses and
 * repeats nothing. Costs one short-lived consumer per partition and page.
 */
final class PartitionedRange {
    private PartitionedRange() {}

    static List<StreamEvent> read(
            NatsStreamClient client, StreamName stream, int count, Position from, EventId toInclusive, int maxCount) {
        if (toInclusive != null) {
            throw StreamException.invalid("range of '" + stream + "' up to " + toInclusive + " refused: the stream has "
                    + count + " partitions and one id ends only its own; page with a cursor instead"
                    + " (Position.after(cursor), cursor = cursor.advance(page))");
        }
        List<Position> starts = NatsPartitions.starts(stream, count, from, "a range");
        if (from instanceof Position.Latest) {
            return List.of();
        }
        List<List<StreamEvent>> each = new ArrayList<>(count);
        for (int p = 0; p < count; p++) {
            try {
                each.add(new RangeRead(client, stream, client.partitions().target(stream, p))
                        .read(starts.get(p), Long.MAX_VALUE, maxCount));
            } catch (StreamException e) {
                throw NatsPartitions.inPartition(e, stream, p);
            }
        }
        return Interleaving.first(each, maxCount);
    }
}
