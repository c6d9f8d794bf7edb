package dev.tributary.kafka.internal;

import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.GroupInfo;
import dev.tributary.GroupOptions;
import dev.tributary.Limits;
import dev.tributary.Position;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.spi.GroupBackend;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumer groups over Kafka consumer groups. A Tributary group {@code g} of stream {@code s} is the
 * Kafka group {@code <topic>.g}; it exists while it has committed offsets for the topic.
 * {@link #create} commits the start offsets (and the ack timeout in the commit metadata) through the
 * admin client; members commit the contiguous acked prefix. This client's own open members are
 * registered here so that {@link #info} reports their live figures and {@link #delete} can stop
 * them at once.
 */
final class GroupManager implements GroupBackend {
    private static final Logger LOG = LoggerFactory.getLogger(GroupManager.class);
    /** The wait between two asks of a group coordinator that does not know a new topic yet. */
    private static final Duration COORDINATOR_CATCH_UP = Duration.ofMillis(100);

    private final StreamOps streams;
    private final KafkaConnector connector;
    private final Clock clock;
    private final Limits limits;
    private final Map<String, Set<KafkaGroupConsumer>> local = new ConcurrentHashMap<>();

    GroupManager(StreamOps streams, KafkaConnector connector, Clock clock, Limits limits) {
        this.streams = streams;
        this.connector = connector;
        this.clock = clock;
        this.limits = limits;
    }

    private AdminOps admin() {
        return streams.admin();
    }

    private int requireStream(StreamName stream) {
        OptionalInt n = streams.partitions(stream);
        if (n.isEmpty()) {
            throw new StreamException(ErrorKind.NOT_FOUND, "stream " + stream + " does not exist; create it first");
        }
        return n.getAsInt();
    }

    /** The group's committed offsets for the topic (empty: the group does not exist). */
    Map<TopicPartition, OffsetAndMetadata> committed(String groupId, String topic) {
        Map<TopicPartition, OffsetAndMetadata> all;
        try {
            all = admin().get(
                            "reading the offsets of group " + groupId,
                            admin().admin().listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata());
        } catch (StreamException e) {
            if (e.getCause() instanceof GroupIdNotFoundException || e.kind() == ErrorKind.NOT_FOUND) {
                return Map.of();
            }
            throw e;
        }
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        all.forEach((tp, om) -> {
            if (om != null && tp.topic().equals(topic)) {
                out.put(tp, om);
            }
        });
        return out;
    }

    @Override
    public void create(StreamName stream, String group, GroupOptions options) {
        int n = requireStream(stream);
        String topic = streams.topic(stream);
        String groupId = streams.settings().groupId(stream, group);
        if (!committed(groupId, topic).isEmpty()) {
            return; // exists: keeps its options
        }
        boolean partitioned = streams.settings().partitioned();
        List<TopicPartition> tps = AdminOps.tps(topic, n);
        Map<TopicPartition, Long> start;
        Position p = options.start();
        if (p instanceof Position.AfterCursor) {
            throw StreamException.invalid(
                    "a group of a Kafka stream starts at earliest, latest or after one id of a one-partition stream,"
                            + " not after a cursor (not supported yet)");
        }
        if (p instanceof Position.After a) {
            if (partitioned) {
                throw StreamException.invalid(
                        "a group of a partitioned stream starts at earliest or latest, not after one id");
            }
            start = Map.of(tps.get(0), Records.offset(a.id(), false) + 1);
        } else if (p instanceof Position.Latest) {
            start = admin().end(tps).orElseThrow(() -> missing(stream));
        } else {
            start = admin().beginning(tps).orElseThrow(() -> missing(stream));
        }
        String meta = new GroupMeta(options.ackTimeout().toMillis()).encode();
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        start.forEach((tp, off) -> commit.put(tp, new OffsetAndMetadata(off, meta)));
        long deadline = System.nanoTime() + admin().timeout().toNanos();
        while (true) {
            try {
                admin().get(
                                "creating group " + group + " of " + stream,
                                admin().admin()
                                        .alterConsumerGroupOffsets(groupId, commit)
                                        .all());
                return;
            } catch (StreamException e) {
                if (!committed(groupId, topic).isEmpty()) {
                    return; // members joined concurrently (the group exists now): creation is idempotent
                }
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
                // The topic exists (requireStream found it), but the group's coordinator has not learnt of
                // it yet: on a cluster a new topic reaches the other brokers' metadata a moment after the
                // controller created it. Ask again within the request timeout; past it the stream exists,
                // so the answer is RETRYABLE, not NOT_FOUND.
                if (System.nanoTime() >= deadline) {
                    requireStream(stream); // deleted meanwhile: NOT_FOUND
                    throw new StreamException(
                            ErrorKind.RETRYABLE,
                            "creating group " + group + " of " + stream + " failed: the group's coordinator does not"
                                    + " know the stream yet (created moments ago on another broker?); retry",
                            e);
                }
                LOG.debug(
                        "creating group {} of {}: the coordinator does not know the topic yet; asking again",
                        group,
                        stream);
                sleep(COORDINATOR_CATCH_UP);
            }
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new StreamException(ErrorKind.RETRYABLE, "interrupted while creating a group", ie);
        }
    }

    private static StreamException missing(StreamName stream) {
        return new StreamException(ErrorKind.NOT_FOUND, "stream " + stream + " does not exist");
    }

    private StreamException groupMissing(StreamName stream, String group) {
        return new StreamException(
                ErrorKind.NOT_FOUND,
                "group " + group + " of stream " + stream + " does not exist; call createGroup first");
    }

    @Override
    public KafkaGroupConsumer open(StreamName stream, String group, String member) {
        requireStream(stream);
        String topic = streams.topic(stream);
        String groupId = streams.settings().groupId(stream, group);
        Map<TopicPartition, OffsetAndMetadata> c = committed(groupId, topic);
        if (c.isEmpty()) {
            throw groupMissing(stream, group);
        }
        long ackTimeout = GroupOptions.DEFAULT_ACK_TIMEOUT.toMillis();
        for (OffsetAndMetadata om : c.values()) {
            GroupMeta m = GroupMeta.parse(om.metadata());
            if (m != null) {
                ackTimeout = m.ackTimeoutMs;
                break;
            }
        }
        Optional<Uuid> topicId = admin().topicId(topic);
        KafkaGroupConsumer gc;
        try {
            gc = new KafkaGroupConsumer(
                    this, connector, clock, limits, stream, group, member, ackTimeout, topicId.orElse(null));
        } catch (org.apache.kafka.common.KafkaException e) {
            throw KafkaErrors.map("opening member " + member + " of group " + group, e);
        }
        local.computeIfAbsent(groupId, k -> new CopyOnWriteArraySet<>()).add(gc);
        return gc;
    }

    void unregister(KafkaGroupConsumer gc) {
        Set<KafkaGroupConsumer> s = local.get(gc.groupId());
        if (s != null) {
            s.remove(gc);
        }
    }

    /** For a partition without a committed offset: its first offset if the group still exists. */
    OptionalLong beginningIfGroupExists(String groupId, TopicPartition tp) {
        try {
            if (committed(groupId, tp.topic()).isEmpty()) {
                return OptionalLong.empty();
            }
            return admin().beginning(List.of(tp))
                    .map(m -> OptionalLong.of(m.get(tp)))
                    .orElse(OptionalLong.empty());
        } catch (StreamException e) {
            LOG.warn("cannot tell whether group {} exists: {}", groupId, e.getMessage());
            return OptionalLong.of(0);
        }
    }

    @Override
    public GroupInfo info(StreamName stream, String group) {
        int n = requireStream(stream);
        String topic = streams.topic(stream);
        String groupId = streams.settings().groupId(stream, group);
        Map<TopicPartition, OffsetAndMetadata> c = committed(groupId, topic);
        if (c.isEmpty()) {
            throw groupMissing(stream, group);
        }
        boolean partitioned = streams.settings().partitioned();
        List<TopicPartition> tps = AdminOps.tps(topic, n);
        Map<TopicPartition, Long> ends = admin().end(tps).orElseThrow(() -> missing(stream));
        Set<KafkaGroupConsumer> mine = local.getOrDefault(groupId, Set.of());
        long pending = 0;
        long lag = 0;
        EventId lastDelivered = null;
        for (TopicPartition tp : tps) {
            long end = ends.getOrDefault(tp, 0L);
            long[] live = null;
            for (KafkaGroupConsumer gc : mine) {
                live = gc.figures(tp);
                if (live != null) {
                    break;
                }
            }
            long deliveredUpTo;
            long reached;
            OffsetAndMetadata om = c.get(tp);
            if (live != null) {
                pending += live[0];
                reached = live[1];
                deliveredUpTo = live[2];
            } else if (om != null) {
                GroupMeta m = GroupMeta.parse(om.metadata());
                long committedOffset = om.offset();
                deliveredUpTo = m == null ? -1 : m.deliveredUpTo;
                reached = Math.max(committedOffset, deliveredUpTo);
                if (deliveredUpTo > committedOffset) {
                    long ackedAbove = m.acked
                            .tailSet(committedOffset, true)
                            .headSet(deliveredUpTo)
                            .size();
                    pending += Math.max(0, deliveredUpTo - committedOffset - ackedAbove);
                }
            } else {
                continue;
            }
            lag += Math.max(0, end - reached);
            if (deliveredUpTo > 0) {
                EventId id = Records.id(tp.partition(), deliveredUpTo - 1, partitioned);
                if (lastDelivered == null || (!partitioned && id.isAfter(lastDelivered))) {
                    lastDelivered = id;
                }
            }
        }
        return new GroupInfo(group, pending, lag, members(groupId), Optional.ofNullable(lastDelivered));
    }

    private List<String> members(String groupId) {
        try {
            ConsumerGroupDescription d = admin().get(
                            "describing group " + groupId,
                            admin().admin()
                                    .describeConsumerGroups(List.of(groupId))
                                    .describedGroups()
                                    .get(groupId));
            TreeSet<String> names = new TreeSet<>();
            for (MemberDescription m : d.members()) {
                String id = m.clientId();
                int hash = id.lastIndexOf('#');
                names.add(hash >= 0 ? id.substring(hash + 1) : id);
            }
            return new ArrayList<>(names);
        } catch (StreamException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                return List.of();
            }
            throw e;
        }
    }

    /** Group names of the stream, from the Kafka groups named {@code <topic>.<group>}. */
    private List<String> names(StreamName stream) {
        String prefix = streams.topic(stream) + ".";
        List<String> out = new ArrayList<>();
        for (GroupListing g :
                admin().get("listing groups", admin().admin().listGroups().all())) {
            String id = g.groupId();
            if (id.startsWith(prefix)) {
                String name = id.substring(prefix.length());
                if (StreamName.isValid(name)) {
                    out.add(name);
                }
            }
        }
        out.sort(null);
        return out;
    }

    @Override
    public List<GroupInfo> list(StreamName stream) {
        if (streams.partitions(stream).isEmpty()) {
            return List.of();
        }
        List<GroupInfo> out = new ArrayList<>();
        for (String name : names(stream)) {
            try {
                out.add(info(stream, name));
            } catch (StreamException e) {
                if (e.kind() != ErrorKind.NOT_FOUND) {
                    throw e;
                }
            }
        }
        return out;
    }

    @Override
    public boolean delete(StreamName stream, String group) {
        String topic = streams.topic(stream);
        String groupId = streams.settings().groupId(stream, group);
        Set<KafkaGroupConsumer> mine = local.remove(groupId);
        if (mine != null) {
            for (KafkaGroupConsumer gc : mine) {
                gc.markDeleted();
            }
        }
        boolean existed = !committed(groupId, topic).isEmpty();
        long deadline = System.nanoTime() + streams.settings().requestTimeout().toNanos();
        while (true) {
            try {
                admin().get(
                                "deleting group " + groupId,
                                admin().admin()
                                        .deleteConsumerGroups(List.of(groupId))
                                        .all());
                return true;
            } catch (StreamException e) {
                if (e.getCause() instanceof GroupIdNotFoundException || e.kind() == ErrorKind.NOT_FOUND) {
                    return existed;
                }
                if (!(e.getCause() instanceof GroupNotEmptyException) || System.nanoTime() - deadline > 0) {
                    throw e;
                }
            }
            // members are still in the group (here or elsewhere): remove them, then delete again
            try {
                admin().get(
                                "removing the members of group " + groupId,
                                admin().admin()
                                        .removeMembersFromConsumerGroup(
                                                groupId, new RemoveMembersFromConsumerGroupOptions())
                                        .all());
            } catch (StreamException e) {
                LOG.debug("removing members of {} failed: {}", groupId, e.getMessage());
            }
            AdminOps.pause(100);
        }
    }

    void deleteAllOf(StreamName stream) {
        for (String name : names(stream)) {
            delete(stream, name);
        }
    }

    /**
     * Why a member's group has no committed offsets any more: deleted (NOT_FOUND), or gone with its
     * stream's data (DATA_LOSS) — the topic was deleted and created again, or the broker lost its data,
     * which shows as a topic id other than the one the member joined.
     */
    StreamException groupGone(KafkaGroupConsumer gc, StreamException deleted) {
        Optional<Uuid> now;
        try {
            now = admin().topicId(streams.topic(gc.stream()));
        } catch (StreamException e) {
            return e.isRetryable() ? e : deleted;
        }
        if (gc.topicId() != null && !now.equals(Optional.of(gc.topicId()))) {
            return new StreamException(
                    ErrorKind.DATA_LOSS,
                    "group " + gc.group() + " of stream " + gc.stream()
                            + " vanished with the stream's data: the topic "
                            + (now.isEmpty() ? "is gone" : "was created again")
                            + " (topic id " + gc.topicId() + " when the member joined, "
                            + now.map(Uuid::toString).orElse("none")
                            + " now) — the topic was deleted and created again, or the broker lost its data; what the group "
                            + "had not consumed is lost. Create the group again to go on");
        }
        return deleted;
    }
}
