package dev.tributary.nats.internal;

import dev.tributary.EventId;
import dev.tributary.GroupInfo;
import dev.tributary.GroupOptions;
import dev.tributary.Position;
import dev.tributary.StreamName;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Groups of a partitioned stream: a group is a durable consumer of the same name on every
 * partition's JetStream stream. Its figures are the partitions' summed; its last delivered id is the
 * one of the highest partition that delivered anything (ids of different partitions do not compare).
 */
final class PartitionedGroups {
    private final NatsGroups groups;
    private final NatsPartitions partitions;

    PartitionedGroups(NatsGroups groups, NatsPartitions partitions) {
        this.groups = groups;
        this.partitions = partitions;
    }

    /**
     * Creates the group on every partition unless it exists there; {@code earliest}, {@code latest}
     * (each partition's end) and {@code after(cursor)} start every partition, one id is refused.
     */
    void create(StreamName stream, int count, String group, GroupOptions options) {
        List<Position> starts = NatsPartitions.starts(stream, count, options.start(), "a group");
        for (int p = 0; p < count; p++) {
            groups.create(stream, partitions.target(stream, p), group, options.withStart(starts.get(p)));
        }
    }

    void requireExisting(StreamName stream, int count, String group, String member) {
        for (int p = 0; p < count; p++) {
            groups.requireExisting(stream, partitions.target(stream, p), group, member);
        }
    }

    GroupInfo info(StreamName stream, int count, String group) {
        List<GroupInfo> each = new ArrayList<>(count);
        for (int p = 0; p < count; p++) {
            each.add(groups.info(stream, partitions.target(stream, p), group));
        }
        return sum(group, each);
    }

    List<GroupInfo> list(StreamName stream, int count) {
        Map<String, List<GroupInfo>> byName = new LinkedHashMap<>();
        for (int p = 0; p < count; p++) {
            for (GroupInfo g : groups.list(stream, partitions.target(stream, p))) {
                byName.computeIfAbsent(g.group(), k -> new ArrayList<>()).add(g);
            }
        }
        List<GroupInfo> out = new ArrayList<>(byName.size());
        byName.forEach((name, each) -> out.add(sum(name, each)));
        return out;
    }

    boolean delete(StreamName stream, int count, String group) {
        boolean any = false;
        for (int p = 0; p < count; p++) {
            any |= groups.delete(stream, partitions.target(stream, p), group);
        }
        return any;
    }

    private static GroupInfo sum(String group, List<GroupInfo> each) {
        long pending = 0;
        long lag = 0;
        Optional<EventId> last = Optional.empty();
        for (GroupInfo g : each) {
            pending += g.pending();
            lag += g.lag();
            if (g.lastDelivered().isPresent()) {
                last = g.lastDelivered();
            }
        }
        return new GroupInfo(group, pending, lag, List.of(), last);
    }
}
