package dev.tributary.redis.internal;

import dev.tributary.EventId;
import dev.tributary.Partitioner;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Appends to a partitioned stream through {@link RedisAppender}, each record to its partition's key:
 * a keyed record to {@link Partitioner#partition(byte[], int)} of its key (the same partition as on
 * every backend and as Kafka's default partitioner), a keyless record with an idempotency id to the
 * partition of that id (so a retry meets its first try and the partition's dedup window recognises
 * it), any other record round robin. Ids come back partitioned.
 */
final class PartitionedAppends {
    private final RedisSettings settings;
    private final RedisAppender appender;
    private final AtomicInteger spread = new AtomicInteger();

    PartitionedAppends(RedisSettings settings, RedisAppender appender) {
        this.settings = settings;
        this.appender = appender;
    }

    /** The partition of {@code record} in a stream of {@code n} partitions. */
    int partitionOf(StreamRecord record, int n) {
        byte[] k = record.key() != null
                ? record.key()
                : record.idempotencyId() != null ? record.idempotencyId().getBytes(StandardCharsets.UTF_8) : null;
        return k != null ? Partitioner.partition(k, n) : Math.floorMod(spread.getAndIncrement(), n);
    }

    CompletableFuture<EventId> append(StreamName stream, int n, StreamRecord record) {
        int p = partitionOf(record, n);
        return appender.append(settings.keys(stream, p), record).thenApply(id -> EventId.inPartition(p, id));
    }

    /**
     * A batch split by partition, each part one batch of {@link RedisAppender} (in the batch's order);
     * the ids in the batch's order. Fails with the first failing partition's error; the other parts
     * are stored or not as their own futures say (a batch over partitions is not atomic).
     */
    CompletableFuture<List<EventId>> appendBatch(StreamName stream, int n, List<StreamRecord> records) {
        int[] partition = new int[records.size()];
        List<List<StreamRecord>> each = new ArrayList<>(n);
        for (int p = 0; p < n; p++) {
            each.add(new ArrayList<>());
        }
        for (int i = 0; i < records.size(); i++) {
            partition[i] = partitionOf(records.get(i), n);
            each.get(partition[i]).add(records.get(i));
        }
        List<CompletableFuture<List<EventId>>> parts = new ArrayList<>(n);
        for (int p = 0; p < n; p++) {
            parts.add(
                    each.get(p).isEmpty()
                            ? CompletableFuture.completedFuture(List.of())
                            : appender.appendBatch(settings.keys(stream, p), each.get(p)));
        }
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0]))
                .thenApply(v -> {
                    int[] next = new int[n];
                    List<EventId> ids = new ArrayList<>(records.size());
                    for (int i = 0; i < records.size(); i++) {
                        int p = partition[i];
                        ids.add(EventId.inPartition(p, parts.get(p).join().get(next[p]++)));
                    }
                    return ids;
                });
    }
}
