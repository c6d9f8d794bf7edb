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
    /** Which partition goes first in the next poll: each gets its turn to fill a poll. */
    private int turns;

    MemoryGroupConsumer(MemoryStreamClient client, StreamName stream, String group, String member) {
        super(stream, group, member, client.limits());
        this.client = client;
        this.stream = stream;
        this.group = group;
        this.member = member;
    }

    @Override
    protected List<StreamEvent> doPoll(int maxCount, Duration wait) {
        MemoryStore store = client.store;
        return store.pollUntilFound(wait, () -> {
            ensureOpen();
            StreamLog log = MemoryGroups.requireStreamWithGroup(client, stream, group);
            StreamLog[] parts = log.parts();
            long now = store.nanos();
            for (StreamLog part : parts) {
                checkLoss(part, part.groups.get(group));
            }
            List<StreamEvent> out = new ArrayList<>(Math.min(maxCount, 64));
            // redeliveries first, then new events; a partitioned stream's partitions take turns first
            int turn = Math.floorMod(turns++, parts.length);
            for (int i = 0; i < parts.length && out.size() < maxCount; i++) {
                StreamLog part = parts[(turn + i) % parts.length];
                GroupState g = part.groups.get(group);
                g.members.add(member);
                GroupState.Pending due;
                while (out.size() < maxCount && (due = g.firstDue(now)) != null) {
                    g.redeliver(due, member, now);
                    out.add(part.get(due.seq).withDeliveryCount(due.deliveries));
                }
            }
            for (int i = 0; i < parts.length && out.size() < maxCount; i++) {
                StreamLog part = parts[(turn + i) % parts.length];
                GroupState g = part.groups.get(group);
                while (out.size() < maxCount && g.cursor < part.lastSeq()) {
                    long seq = g.cursor + 1;
                    g.deliverNew(seq, member, now);
                    out.add(part.get(seq));
                }
            }
            if (!out.isEmpty()) {
                return new MemoryStore.Look(out, log.changed, Long.MAX_VALUE);
            }
            long next = Long.MAX_VALUE;
            for (StreamLog part : parts) {
                next = Math.min(next, part.groups.get(group).nextDeadline());
            }
            long untilDue = next == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(1, next - now);
            return new MemoryStore.Look(out, log.changed, untilDue);
        });
    }

    /**
     * Fails DATA_LOSS once, naming the partition, when events the group had not received were
     * trimmed away; the group then continues from the first retained event. Caller holds the lock.
     */
    private void checkLoss(StreamLog part, GroupState g) {
        long first = part.firstSeq();
        if (g.cursor < first - 1) {
            long lostFrom = g.cursor + 1;
            g.cursor = first - 1;
            throw new StreamException(
                    dev.tributary.ErrorKind.DATA_LOSS,
                    "group '" + group + "' of " + part.what() + " lost events " + lostFrom + " to " + (first - 1)
                            + ": they were trimmed before the group received them. The group continues from id "
                            + first + " on the next poll");
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
