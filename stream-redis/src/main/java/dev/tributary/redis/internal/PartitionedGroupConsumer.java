package dev.tributary.redis.internal;

import dev.tributary.AckResult;
import dev.tributary.EventId;
import dev.tributary.StreamEvent;
import dev.tributary.StreamName;
import dev.tributary.spi.AbstractGroupConsumer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A member of a consumer group over every partition of a partitioned stream: the group exists on each
 * partition key, and this member reads each of them through a {@link RedisGroupConsumer} of its own,
 * so Redis's own consumer group still gives each event to one member (claims of expired entries,
 * redelivery and delivery counts are per partition, as on one key). Acks and nacks are routed by the
 * id's partition; a plain id, or one of a partition the stream does not have, counts as unknown.
 *
 * <p>A poll asks the partitions in turn without blocking (starting one further each poll, so no
 * partition is starved), for what is still missing of {@code maxCount}; never more is delivered than
 * returned. When none has anything and the caller allows a wait, it blocks on one partition at a time
 * in turns of at most {@link #TURN_MS} (each turn also claims that partition's expired entries).
 */
final class PartitionedGroupConsumer extends AbstractGroupConsumer {
    /** The longest blocking turn on one partition: 50 ms. */
    static final long TURN_MS = 50;

    private final RedisGroupConsumer[] parts;
    private int next;
    private int blockTurn;

    private PartitionedGroupConsumer(
            RedisStreamClient client, StreamName stream, String group, String member, RedisGroupConsumer[] parts) {
        super(stream, group, member, client.limits());
        this.parts = parts;
    }

    /** A member over the partitions in {@code keys} of an existing group (NOT_FOUND otherwise). */
    static PartitionedGroupConsumer open(RedisStreamClient client, List<StreamKeys> keys, String group, String member) {
        RedisGroupConsumer[] parts = new RedisGroupConsumer[keys.size()];
        try {
            for (int p = 0; p < parts.length; p++) {
                parts[p] = RedisGroupConsumer.open(client, keys.get(p), group, member);
            }
        } catch (RuntimeException e) {
            for (RedisGroupConsumer c : parts) {
                if (c != null) {
                    c.close();
                }
            }
            throw e;
        }
        return new PartitionedGroupConsumer(client, keys.get(0).stream(), group, member, parts);
    }

    @Override
    protected List<StreamEvent> doPoll(int maxCount, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            List<StreamEvent> out = new ArrayList<>();
            int first = next;
            next = (next + 1) % parts.length;
            for (int i = 0; i < parts.length && out.size() < maxCount; i++) {
                int p = (first + i) % parts.length;
                out.addAll(
                        PartitionedRange.inPartition(p, parts[p].pollPartition(maxCount - out.size(), Duration.ZERO)));
            }
            long remaining = deadline - System.nanoTime();
            if (!out.isEmpty() || remaining <= 0 || isClosed()) {
                return out;
            }
            int p = blockTurn;
            blockTurn = (blockTurn + 1) % parts.length;
            long turn = Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(TURN_MS));
            List<StreamEvent> got = parts[p].pollPartition(maxCount, Duration.ofNanos(turn));
            if (!got.isEmpty()) {
                return PartitionedRange.inPartition(p, got);
            }
        }
    }

    @Override
    protected AckResult doAck(List<EventId> ids) {
        List<List<EventId>> byPartition = route(ids);
        int acked = 0;
        int unknown = byPartition.get(parts.length).size();
        for (int p = 0; p < parts.length; p++) {
            if (!byPartition.get(p).isEmpty()) {
                AckResult r = parts[p].ackPartition(byPartition.get(p));
                acked += r.acked();
                unknown += r.unknown();
            }
        }
        return new AckResult(acked, unknown);
    }

    @Override
    protected void doNack(List<EventId> ids) {
        List<List<EventId>> byPartition = route(ids);
        for (int p = 0; p < parts.length; p++) {
            if (!byPartition.get(p).isEmpty()) {
                parts[p].nackPartition(byPartition.get(p));
            }
        }
    }

    /** Local ids per partition; the last list holds ids of no partition of this stream. */
    private List<List<EventId>> route(List<EventId> ids) {
        List<List<EventId>> out = new ArrayList<>(parts.length + 1);
        for (int p = 0; p <= parts.length; p++) {
            out.add(new ArrayList<>());
        }
        for (EventId id : ids) {
            boolean ours = id.isPartitioned() && id.partition() < parts.length;
            out.get(ours ? id.partition() : parts.length).add(ours ? id.local() : id);
        }
        return out;
    }

    /** Closes every partition's member, which wakes a blocked turn. Acks nothing. */
    @Override
    protected void doClose() {
        for (RedisGroupConsumer c : parts) {
            c.close();
        }
    }
}
