package dev.tributary.redis.internal;

import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;

/**
 * The wait of a tail reader over several partitions until one of them has an entry after its place:
 * one {@code XREAD COUNT 1 BLOCK … STREAMS k0 k1 … id0 id1 …} on one pooled connection per wait,
 * whatever the partition count. On a Redis Cluster one XREAD cannot name keys of different slots
 * (CROSSSLOT), and the partitions' keys are spread over slots on purpose: there the keys are grouped
 * by slot and the wait blocks on one group at a time, in turns of at most {@link #CLUSTER_TURN_MS}
 * (an entry is then seen within about that times the number of groups). The reply only wakes the
 * reader, which reads with its gap checks; what XREAD returned is dropped.
 */
final class PartitionWait {
    /** The longest block on one slot's keys of a Cluster before the next slot's turn: 50 ms. */
    static final long CLUSTER_TURN_MS = 50;

    /** Partition indexes grouped by slot (one group of all of them on a single node or Sentinel). */
    private final List<int[]> groups;

    private final List<StreamKeys> keys;
    private int turn;
    private final BlockingCall blocking;

    PartitionWait(CommandChannel channel, BlockingPool pool, List<StreamKeys> keys, boolean cluster) {
        this.blocking = new BlockingCall(pool, channel);
        this.keys = keys;
        this.groups = groups(keys, cluster);
    }

    /** Partition indexes grouped by the Cluster slot of their keys; one group when not a Cluster. */
    static List<int[]> groups(List<StreamKeys> keys, boolean cluster) {
        Map<Integer, List<Integer>> bySlot = new LinkedHashMap<>();
        for (int p = 0; p < keys.size(); p++) {
            int slot = cluster ? SlotHash.getSlot(keys.get(p).key()) : 0;
            bySlot.computeIfAbsent(slot, s -> new ArrayList<>()).add(p);
        }
        List<int[]> out = new ArrayList<>(bySlot.size());
        for (List<Integer> g : bySlot.values()) {
            out.add(g.stream().mapToInt(Integer::intValue).toArray());
        }
        return out;
    }

    /**
     * Blocks until a partition has an entry after {@code after.apply(p)} or {@code nanos} pass (on a
     * Cluster: until the turn of one slot's keys ends). Returns promptly, without error, when
     * {@code closed} turns true and {@link #wake()} ran.
     */
    void await(long nanos, IntFunction<String> after, BooleanSupplier closed) {
        int[] group = groups.get(turn);
        turn = (turn + 1) % groups.size();
        long limit = groups.size() > 1 ? Math.min(nanos, TimeUnit.MILLISECONDS.toNanos(CLUSTER_TURN_MS)) : nanos;
        String what = "XREAD BLOCK " + keys.get(group[0]).key()
                + (group.length > 1 ? " and " + (group.length - 1) + " more partition keys" : "");
        var unused = blocking.call(
                CommandType.XREAD,
                what,
                limit,
                ms -> {
                    CommandArgs<byte[], byte[]> a = CommandChannel.args()
                            .add("COUNT")
                            .add(1)
                            .add("BLOCK")
                            .add(ms)
                            .add("STREAMS");
                    for (int p : group) {
                        a.addKey(CommandChannel.b(keys.get(p).key()));
                    }
                    for (int p : group) {
                        a.add(after.apply(p));
                    }
                    return a;
                },
                closed);
    }

    /** Closes the connection of a blocked wait, which ends it. */
    void wake() {
        blocking.wake();
    }
}
