package dev.tributary.kafka.internal;

import dev.tributary.ErrorKind;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.Trim;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Streams as Kafka topics, through the admin client: the name mapping, creation (idempotent, and
 * returning only once the broker serves the topic), deletion, the partition count check and trims.
 * Each call is bounded by the request timeout.
 */
record StreamOps(KafkaSettings settings, AdminOps admin, Clock clock) {

    String topic(StreamName stream) {
        return settings.topic(stream);
    }

    /**
     * The partition count of the stream's topic, or empty if it does not exist; fails with
     * CONFIGURATION when a one-partition client meets a partitioned topic.
     */
    OptionalInt partitions(StreamName stream) {
        OptionalInt n = admin.partitions(topic(stream));
        if (n.isPresent() && n.getAsInt() > 1 && !settings.partitioned()) {
            throw new StreamException(
                    ErrorKind.CONFIGURATION,
                    "topic " + topic(stream) + " has " + n.getAsInt()
                            + " partitions but this client reads one-partition streams; open it with partitions="
                            + n.getAsInt());
        }
        return n;
    }

    /** Fails NOT_FOUND unless the stream's topic exists. */
    void requireTopic(StreamName stream) {
        if (partitions(stream).isEmpty()) {
            throw new StreamException(
                    ErrorKind.NOT_FOUND,
                    "stream " + stream + " (topic " + topic(stream) + ") does not exist; call createStream first");
        }
    }

    void create(StreamName stream) {
        create(stream, settings.partitions());
    }

    /** Creates the stream's topic with {@code partitions} partitions unless it exists (then it keeps its count). */
    void create(StreamName stream, int partitions) {
        String topic = topic(stream);
        short rf = settings.replicationFactor();
        NewTopic nt = new NewTopic(topic, Optional.of(partitions), rf < 0 ? Optional.empty() : Optional.of(rf))
                .configs(settings.topicConfig());
        try {
            admin.get(
                    "creating topic " + topic,
                    admin.admin().createTopics(List.of(nt)).all());
        } catch (StreamException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        awaitVisible(stream);
    }

    /**
     * Waits until the broker serves the new topic's offsets: the controller has created it when
     * createTopics returns, but the broker's metadata follows a moment later.
     */
    private void awaitVisible(StreamName stream) {
        String topic = topic(stream);
        long deadline = System.nanoTime() + settings.requestTimeout().toNanos();
        while (true) {
            OptionalInt n = admin.refresh(topic);
            if (n.isPresent()) {
                partitions(stream);
                if (admin.end(AdminOps.tps(topic, n.getAsInt())).isPresent()) {
                    admin.known(topic, n.getAsInt());
                    return;
                }
            }
            if (System.nanoTime() - deadline > 0) {
                throw new StreamException(
                        ErrorKind.RETRYABLE,
                        "topic " + topic + " was created but the broker did not " + "serve it within "
                                + settings.requestTimeout());
            }
            AdminOps.pause(20);
        }
    }

    /** Deletes the topic; false if it did not exist. */
    boolean delete(StreamName stream) {
        String topic = topic(stream);
        try {
            admin.get(
                    "deleting topic " + topic,
                    admin.admin().deleteTopics(List.of(topic)).all());
            admin.forget(topic);
            return true;
        } catch (StreamException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                admin.forget(topic);
                return false;
            }
            throw e;
        }
    }

    /**
     * Deletes records below the trim's target offset in each partition (below an id: in the id's
     * partition only); returns how many.
     */
    long trim(StreamName stream, Trim trim) {
        OptionalInt n = partitions(stream);
        if (n.isEmpty()) {
            return 0;
        }
        List<TopicPartition> tps = AdminOps.tps(topic(stream), n.getAsInt());
        if (trim instanceof Trim.Below b) {
            int p = Records.partition(b.id(), settings.partitioned());
            if (p >= tps.size()) {
                throw StreamException.invalid(
                        "trim id " + b.id() + " names partition " + p + ", stream " + stream + " has " + tps.size());
            }
            tps = List.of(tps.get(p));
        }
        Optional<Map<TopicPartition, Long>> begins = admin.beginning(tps);
        Optional<Map<TopicPartition, Long>> ends = admin.end(tps);
        if (begins.isEmpty() || ends.isEmpty()) {
            return 0;
        }
        Map<TopicPartition, Long> cut = Map.of();
        if (trim instanceof Trim.OlderThan o) {
            long cutoff = Instant.now(clock).minus(o.age()).toEpochMilli();
            cut = admin.forTime(tps, cutoff).orElse(Map.of());
        }
        Map<TopicPartition, RecordsToDelete> deletes = new java.util.HashMap<>();
        long removed = 0;
        for (TopicPartition tp : tps) {
            long begin = begins.get().get(tp);
            long end = ends.get().get(tp);
            long target;
            if (trim instanceof Trim.ToLength t) {
                target = end - Math.min(end, t.maxLength());
            } else if (trim instanceof Trim.Below b) {
                target = Math.min(end, Records.offset(b.id(), settings.partitioned()));
            } else {
                target = cut.getOrDefault(tp, begin);
            }
            if (target > begin) {
                deletes.put(tp, RecordsToDelete.beforeOffset(target));
                removed += target - begin;
            }
        }
        if (deletes.isEmpty()) {
            return 0;
        }
        admin.get("trimming " + stream, admin.admin().deleteRecords(deletes).all());
        return removed;
    }
}
