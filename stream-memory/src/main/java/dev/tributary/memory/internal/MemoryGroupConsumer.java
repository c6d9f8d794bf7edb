package dev.tributary.memory.internal;

import dev.tributary.AckResult;
import dev.tributary.EventId;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.spi.AbstractGroupConsumer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One member of a memory consumer group. A poll hands out due redeliveries first (ack deadline
 * passed, or nacked), then new events; while there are none it waits on the stream's condition
 * until an append, a nack, a deletion or a close wakes it, or until the earliest redelivery
 * deadline of the group or its own bound passes.
 *
 * <p>When events the group had not yet received were trimmed away, the next poll of any member
 * fails once with {@link dev.tributary.ErrorKind#DATA_LOSS} naming the lost ids, and the group
 * continues from the first retained event.
 */
final class MemoryGroupConsumer extends AbstractGroupConsumer {
    private final MemoryStreamClient client;
    private final StreamName stream;
    private final String group;
    private final String member;

    MemoryGroupConsumer(MemoryStreamClient client, StreamName stream, String group, String member) {
        super(stream, group, member, client.limits());
        this.client = client;
        this.stream = stream;
        this.group = group;
        this.member = member;
    }

    @Override
    protected List<StreamEvent> doPoll(int maxCount, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        MemoryStore store = client.store;
        store.lock.lock();
        try {
            while (true) {
                ensureOpen();
                StreamLog log = client.requireStream(stream);
                GroupState g = MemoryStreamClient.requireGroup(log, group);
                g.members.add(member);
                long first = log.firstSeq();
                if (g.cursor < first - 1) {
                    long lostFrom = g.cursor + 1;
                    g.cursor = first - 1;
                    throw new StreamException(
                            dev.tributary.ErrorKind.DATA_LOSS,
                            "group '" + group + "' of stream '"
                                    + stream + "' lost events " + lostFrom + " to " + (first - 1)
                                    + ": they were trimmed before the group received them. The group continues from id "
                                    + first + " on the next poll");
                }
                long now = store.nanos();
                List<StreamEvent> out = new ArrayList<>(Math.min(maxCount, 64));
                GroupState.Pending due;
                while (out.size() < maxCount && (due = g.firstDue(now)) != null) {
                    g.redeliver(due, member, now);
                    out.add(log.get(due.seq).withDeliveryCount(due.deliveries));
                }
                while (out.size() < maxCount && g.cursor < log.lastSeq()) {
                    long seq = g.cursor + 1;
                    g.deliverNew(seq, member, now);
                    out.add(log.get(seq));
                }
                if (!out.isEmpty()) {
                    return out;
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return out;
                }
                long next = g.nextDeadline();
                long untilDue = next == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(1, next - now);
                MemoryStore.await(log.changed, Math.min(remaining, untilDue));
            }
        } finally {
            store.lock.unlock();
        }
    }

    @Override
    protected AckResult doAck(List<EventId> ids) {
        return client.ack(stream, group, ids);
    }

    @Override
    protected void doNack(List<EventId> ids) {
        client.nack(stream, group, ids);
    }

    @Override
    protected void doClose() {
        client.store.wakeAll();
    }

    @Override
    public String toString() {
        return "MemoryGroupConsumer[" + stream + "/" + group + "/" + member + (isClosed() ? ", closed" : "") + "]";
    }
}
