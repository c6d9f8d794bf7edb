package dev.tributary.kafka.internal;

import dev.tributary.ErrorKind;
import dev.tributary.StreamException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Topic metadata and offset lookups through the shared, thread-safe admin client, each bounded by
 * the request timeout. Partition counts of existing topics are cached (a topic's partitions only
 * grow, and this client never grows them); {@link #forget} drops a deleted topic.
 */
final class AdminOps {
    private final Admin admin;
    private final Duration timeout;
    private final Map<String, Integer> partitions = new ConcurrentHashMap<>();

    AdminOps(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    Admin admin() {
        return admin;
    }

    Duration timeout() {
        return timeout;
    }

    /** Waits for an admin future within the request timeout, mapping failures. */
    <T> T get(String what, KafkaFuture<T> f) {
        return get(what, f, timeout);
    }

    /** Waits for an admin future within {@code limit}, mapping failures. */
    <T> T get(String what, KafkaFuture<T> f, Duration limit) {
        try {
            return f.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StreamException(ErrorKind.RETRYABLE, what + " was interrupted", e);
        } catch (ExecutionException e) {
            throw KafkaErrors.map(what, e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new StreamException(
                    ErrorKind.RETRYABLE,
                    what + " got no answer within " + limit + " (broker unreachable or slow; retry with backoff)",
                    e);
        }
    }

    /** The partition count of a topic, or empty when it does not exist. */
    OptionalInt partitions(String topic) {
        Integer cached = partitions.get(topic);
        if (cached != null) {
            return OptionalInt.of(cached);
        }
        return refresh(topic);
    }

    /** Asks the broker again, bypassing the cache. */
    OptionalInt refresh(String topic) {
        return refresh(topic, timeout);
    }

    /** Asks the broker again within {@code limit}, bypassing the cache. */
    OptionalInt refresh(String topic, Duration limit) {
        try {
            TopicDescription d = get(
                            "describing topic " + topic,
                            admin.describeTopics(List.of(topic)).allTopicNames(),
                            limit)
                    .get(topic);
            int n = d.partitions().size();
            partitions.put(topic, n);
            return OptionalInt.of(n);
        } catch (StreamException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                partitions.remove(topic);
                return OptionalInt.empty();
            }
            throw e;
        }
    }

    /** The topic's id, which changes when it is deleted and created again; empty when it does not exist. */
    Optional<Uuid> topicId(String topic) {
        try {
            return Optional.of(get(
                            "describing topic " + topic,
                            admin.describeTopics(List.of(topic)).allTopicNames(),
                            timeout)
                    .get(topic)
                    .topicId());
        } catch (StreamException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    void known(String topic, int n) {
        partitions.put(topic, n);
    }

    void forget(String topic) {
        partitions.remove(topic);
    }

    /**
     * Waits between two tries of an admin operation (a topic becoming visible, a group emptying); an
     * interrupt ends the wait RETRYABLE, with the thread's interrupt flag set again.
     */
    static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StreamException(ErrorKind.RETRYABLE, "interrupted", e);
        }
    }

    static List<TopicPartition> tps(String topic, int n) {
        List<TopicPartition> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            l.add(new TopicPartition(topic, i));
        }
        return l;
    }

    /** Offsets for a spec per partition; empty when the topic does not exist. */
    Optional<Map<TopicPartition, Long>> offsets(List<TopicPartition> tps, OffsetSpec spec, String what) {
        Map<TopicPartition, OffsetSpec> req = new HashMap<>();
        for (TopicPartition tp : tps) {
            req.put(tp, spec);
        }
        try {
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> r =
                    get(what, admin.listOffsets(req).all());
            Map<TopicPartition, Long> out = new HashMap<>();
            r.forEach((tp, info) -> out.put(tp, info.offset()));
            return Optional.of(out);
        } catch (StreamException e) {
            if (e.kind() == ErrorKind.NOT_FOUND || e.getCause() instanceof UnknownTopicOrPartitionException) {
                if (!tps.isEmpty()) {
                    forget(tps.get(0).topic());
                }
                return Optional.empty();
            }
            throw e;
        }
    }

    Optional<Map<TopicPartition, Long>> beginning(List<TopicPartition> tps) {
        return offsets(tps, OffsetSpec.earliest(), "listing the first offsets");
    }

    Optional<Map<TopicPartition, Long>> end(List<TopicPartition> tps) {
        return offsets(tps, OffsetSpec.latest(), "listing the end offsets");
    }

    /** The first offset whose timestamp is at or after {@code epochMs}; the end offset when none is. */
    Optional<Map<TopicPartition, Long>> forTime(List<TopicPartition> tps, long epochMs) {
        Optional<Map<TopicPartition, Long>> r =
                offsets(tps, OffsetSpec.forTimestamp(epochMs), "looking up offsets by time");
        if (r.isEmpty()) {
            return r;
        }
        Map<TopicPartition, Long> out = new HashMap<>(r.get());
        List<TopicPartition> none = new ArrayList<>();
        out.forEach((tp, o) -> {
            if (o < 0) {
                none.add(tp);
            }
        });
        if (!none.isEmpty()) {
            Optional<Map<TopicPartition, Long>> ends = end(none);
            if (ends.isEmpty()) {
                return ends;
            }
            out.putAll(ends.get());
        }
        return Optional.of(out);
    }
}
