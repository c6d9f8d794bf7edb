package dev.tributary.redis.internal;

import dev.tributary.EventId;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import dev.tributary.spi.PartitionRouter;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Appends to a partitioned stream through {@link RedisAppender}, each record to the key of the
 * partition {@link PartitionRouter} chooses (the same as on every backend; a keyless record with an
 * idempotency id by the id's hash, so a retry meets its first try and the partition's dedup window
 * recognises it). Ids come back partitioned.
 */
final class PartitionedAppends {
    private final RedisSettings settings;
    private final RedisAppender appender;
    private final PartitionRouter router = new PartitionRouter();

    PartitionedAppends(RedisSettings settings, RedisAppender appender) {
        this.settings = settings;
        this.appender = appender;
    }

    CompletableFuture<EventId> append(StreamName stream, int n, StreamRecord record) {
        int p = router.partitionOf(record, n);
        return appender.append(settings.keys(stream, p), record).thenApply(id -> EventId.inPartition(p, id));
    }

    /**
     * A batch split by partition, each part one batch of {@link RedisAppender} (in the batch's order);
     * the ids in the batch's order. Fails with the first failing partition's error; the other parts
     * are stored or not as their own futures say (a batch over partitions is not atomic).
     */
    CompletableFuture<List<EventId>> appendBatch(StreamName stream, int n, List<StreamRecord> records) {
        return router.split(records, n)
                .appendEach((p, part) -> appender.appendBatch(settings.keys(stream, p), part)
                        .thenApply(ids -> ids.stream()
                                .map(id -> EventId.inPartition(p, id))
                                .toList()));
    }
}
