package dev.tributary.spi;

import dev.tributary.EventId;
import dev.tributary.Partitioner;
import dev.tributary.StreamRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * Where a record of a partitioned stream goes, the same on every backend that partitions streams
 * itself: a keyed record to {@link Partitioner#partition(byte[], int)} of its key (Kafka's default
 * partitioner's choice); a keyless record with an idempotency id to that id's partition, so that a
 * retry meets its first try in that partition's dedup window; any other record round robin. And a
 * batch split by partition, its ids gathered back in the batch's order. One per client: the round
 * robin is the client's. Thread-safe.
 */
public final class PartitionRouter {
    private final AtomicInteger spread = new AtomicInteger();

    /**
     * The partition of a record.
     *
     * @param record the record
     * @param count  the stream's partitions (at least 1)
     * @return the partition, 0 to {@code count - 1}
     */
    public int partitionOf(StreamRecord record, int count) {
        if (record.key() != null) {
            return Partitioner.partition(record.key(), count);
        }
        if (record.idempotencyId() != null) {
            return Partitioner.partition(record.idempotencyId().getBytes(StandardCharsets.UTF_8), count);
        }
        return Math.floorMod(spread.getAndIncrement(), count);
    }

    /**
     * Splits a batch by partition.
     *
     * @param records the batch
     * @param count   the stream's partitions
     * @return each record's partition and each partition's records, in the batch's order
     */
    public Split split(List<StreamRecord> records, int count) {
        int[] where = new int[records.size()];
        List<List<StreamRecord>> parts = new ArrayList<>(count);
        for (int p = 0; p < count; p++) {
            parts.add(new ArrayList<>());
        }
        for (int i = 0; i < records.size(); i++) {
            where[i] = partitionOf(records.get(i), count);
            parts.get(where[i]).add(records.get(i));
        }
        return new Split(where, parts);
    }

    /** A batch split by partition. */
    public static final class Split {
        private final int[] where;
        private final List<List<StreamRecord>> parts;

        Split(int[] where, List<List<StreamRecord>> parts) {
            this.where = where;
            this.parts = parts;
        }

        /**
         * The records of one partition, in the batch's order.
         *
         * @param partition the partition
         * @return its records; empty when the batch has none for it
         */
        public List<StreamRecord> part(int partition) {
            return parts.get(partition);
        }

        /**
         * The batch's ids in its order.
         *
         * @param idsOfPart each partition's ids, in the order of its {@link #part}
         * @return one id per record of the batch
         */
        public List<EventId> inBatchOrder(List<List<EventId>> idsOfPart) {
            int[] next = new int[parts.size()];
            List<EventId> ids = new ArrayList<>(where.length);
            for (int p : where) {
                ids.add(idsOfPart.get(p).get(next[p]++));
            }
            return List.copyOf(ids);
        }

        /**
         * Appends every partition's records at once, as a batch of its own, and gathers the ids in the
         * batch's order. A batch over partitions is not atomic: when one part fails, the future fails
         * with that part's error, and the other parts are stored or not as their own appends went.
         *
         * @param appendPart appends the records of one partition (never called for an empty part)
         * @return the ids in the batch's order
         */
        public CompletableFuture<List<EventId>> appendEach(
                BiFunction<Integer, List<StreamRecord>, CompletableFuture<List<EventId>>> appendPart) {
            List<CompletableFuture<List<EventId>>> each = new ArrayList<>(parts.size());
            for (int p = 0; p < parts.size(); p++) {
                each.add(
                        parts.get(p).isEmpty()
                                ? CompletableFuture.completedFuture(List.of())
                                : appendPart.apply(p, parts.get(p)));
            }
            return CompletableFuture.allOf(each.toArray(new CompletableFuture<?>[0]))
                    .thenApply(done -> inBatchOrder(
                            each.stream().map(CompletableFuture::join).toList()));
        }
    }
}
