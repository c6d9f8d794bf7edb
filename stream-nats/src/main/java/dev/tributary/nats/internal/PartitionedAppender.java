package dev.tributary.nats.internal;

import dev.tributary.EventId;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import dev.tributary.spi.PartitionRouter;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Appends to a partitioned stream: each record goes to its partition's JetStream stream through the
 * client's {@link NatsAppender} (same window, same pipelining), to the partition {@link PartitionRouter}
 * chooses: a keyless record with an idempotency id goes by the id's hash, so that a retry meets its
 * first try in the same JetStream stream, whose {@code Nats-Msg-Id} window recognises it.
 */
final class PartitionedAppender {
    private final NatsAppender appender;
    private final NatsPartitions partitions;
    private final PartitionRouter router = new PartitionRouter();

    PartitionedAppender(NatsAppender appender, NatsPartitions partitions) {
        this.appender = appender;
        this.partitions = partitions;
    }

    CompletableFuture<EventId> append(StreamName stream, int count, StreamRecord r) {
        return appender.append(stream, partitions.target(stream, router.partitionOf(r, count)), r);
    }

    /**
     * Appends each partition's share of the batch as a batch of its own (in the batch's order), all
     * partitions at once; the ids come back in the batch's order. As on every partitioned backend,
     * what is stored of a failed batch is a prefix of each partition's share, not of the batch.
     */
    CompletableFuture<List<EventId>> appendBatch(StreamName stream, int count, List<StreamRecord> records) {
        return router.split(records, count)
                .appendEach((p, part) -> appender.appendBatch(stream, partitions.target(stream, p), part));
    }
}
