package dev.tributary.nats.internal;

import dev.tributary.AckResult;
import dev.tributary.EventId;
import dev.tributary.StreamEvent;
import dev.tributary.StreamName;
import dev.tributary.spi.AbstractGroupConsumer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A group member on a partitioned stream: one {@link NatsGroupConsumer} per partition, each pulling
 * from the group's durable consumer on that partition's JetStream stream, so every member reads every
 * partition and the server still hands each event to one member. A poll takes what the partitions
 * have at hand without waiting, starting at a partition that turns from poll to poll (none starves);
 * when none has anything it waits on one partition at a time, in turns of at most
 * {@value #TURN_MS} ms. Acks and nacks go to the member of each id's partition.
 */
final class PartitionedGroupConsumer extends AbstractGroupConsumer {
    /** The longest a poll waits on one partition before it looks at the next. */
    static final long TURN_MS = 50;

    private final List<NatsGroupConsumer> members;
    private int turn;

    PartitionedGroupConsumer(NatsStreamClient client, StreamName stream, int count, String group, String member) {
        super(stream, group, member, client.limits());
        this.members = NatsPartitions.openEach(
                count,
                p -> new NatsGroupConsumer(client, stream, client.partitions().target(stream, p), group, member),
                NatsGroupConsumer::close);
    }

    @Override
    protected List<StreamEvent> doPoll(int maxCount, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        int n = members.size();
        while (true) {
            int first = Math.floorMod(turn++, n);
            List<StreamEvent> out = new ArrayList<>();
            for (int i = 0; i < n && out.size() < maxCount; i++) {
                out.addAll(poll((first + i) % n, maxCount - out.size(), Duration.ZERO));
            }
            if (!out.isEmpty()) {
                return out;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return out;
            }
            out = poll(first, maxCount, Duration.ofNanos(Math.min(left, TURN_MS * 1_000_000)));
            if (!out.isEmpty()) {
                return out;
            }
        }
    }

    private List<StreamEvent> poll(int p, int maxCount, Duration wait) {
        return NatsPartitions.poll(stream(), p, members.get(p)::poll, maxCount, wait);
    }

    /** The ids by partition; a plain id or one of a partition the stream does not have goes nowhere. */
    private List<List<EventId>> byPartition(List<EventId> ids, int[] nowhere) {
        List<List<EventId>> each = new ArrayList<>(members.size());
        for (int p = 0; p < members.size(); p++) {
            each.add(new ArrayList<>());
        }
        for (EventId id : ids) {
            if (id.isPartitioned() && id.partition() < members.size()) {
                each.get(id.partition()).add(id.local());
            } else {
                nowhere[0]++;
            }
        }
        return each;
    }

    @Override
    protected AckResult doAck(List<EventId> ids) {
        int[] unknown = {0};
        List<List<EventId>> each = byPartition(ids, unknown);
        AckResult result = new AckResult(0, unknown[0]);
        for (int p = 0; p < each.size(); p++) {
            if (!each.get(p).isEmpty()) {
                result = result.plus(members.get(p).ack(each.get(p)));
            }
        }
        return result;
    }

    @Override
    protected void doNack(List<EventId> ids) {
        List<List<EventId>> each = byPartition(ids, new int[1]);
        for (int p = 0; p < each.size(); p++) {
            if (!each.get(p).isEmpty()) {
                members.get(p).nack(each.get(p));
            }
        }
    }

    @Override
    protected void doClose() {
        members.forEach(NatsGroupConsumer::close);
    }
}
