package dev.tributary.nats.internal;

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
 * Appends to a partitioned stream: each record goes to its partition's JetStream stream through the
 * client's {@link NatsAppender} (same window, same pipelining). A keyed record's partition is
 * {@link Partitioner#partition(byte[], int)} of its key; a keyless one with an idempotency id is placed
 * by the id's hash, so that a retry meets its first try in the same JetStream stream, whose
 * {@code Nats-Msg-Id} window recognises it; other records are spread round robin per client.
 */
final class PartitionedAppender {
    private final NatsAppender appender;
    private final NatsPartitions partitions;
    private final AtomicInteger spread = new AtomicInteger();

    PartitionedAppender(NatsAppender appender, NatsPartitions partitions) {
        this.appender = appender;
        this.partitions = partitions;
    }

    /**
     * The partition of {@code r} among {@code count}: the key's, else the idempotency id's, else
     * {@code next} (the spreading counter's value) modulo the count.
     */
    static int partitionOf(StreamRecord r, int count, int next) {
        if (r.key() != null) {
            return Partitioner.partition(r.key(), count);
        }
        if (r.idempotencyId() != null) {
            return Partitioner.partition(r.idempotencyId().getBytes(StandardCharsets.UTF_8), count);
        }
        return Math.floorMod(next, count);
    }

    private int partitionOf(StreamRecord r, int count) {
        return r.key() != null || r.idempotencyId() != null
                ? partitionOf(r, count, 0)
                : partitionOf(r, count, spread.getAndIncrement());
    }

    CompletableFuture<EventId> append(StreamName stream, int count, StreamRecord r) {
        return appender.append(stream, partitions.target(stream, partitionOf(r, count)), r);
    }

    /**
     * Appends each partition's share of the batch as a batch of its own (in the batch's order), all
     * partitions at once; the ids come back in the batch's order. As on every partitioned backend,
     * what is stored of a failed batch is a prefix of each partition's share, not of the batch.
     */
    CompletableFuture<List<EventId>> appendBatch(StreamName stream, int count, List<StreamRecord> records) {
        int[] where = new int[records.size()];
        List<List<StreamRecord>> each = new ArrayList<>(count);
        for (int p = 0; p < count; p++) {
            each.add(new ArrayList<>());
        }
        for (int i = 0; i < records.size(); i++) {
            where[i] = partitionOf(records.get(i), count);
            each.get(where[i]).add(records.get(i));
        }
        List<CompletableFuture<List<EventId>>> parts = new ArrayList<>(count);
        for (int p = 0; p < count; p++) {
            parts.add(
                    each.get(p).isEmpty()
                            ? CompletableFuture.completedFuture(List.of())
                            : appender.appendBatch(stream, partitions.target(stream, p), each.get(p)));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(done -> {
            int[] next = new int[count];
            List<EventId> ids = new ArrayList<>(records.size());
            for (int p : where) {
                ids.add(parts.get(p).join().get(next[p]++));
            }
            return List.copyOf(ids);
        });
    }
}
