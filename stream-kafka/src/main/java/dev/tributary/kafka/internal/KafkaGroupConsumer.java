package dev.tributary.kafka.internal;

import dev.tributary.AckResult;
import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.GroupConsumer;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.spi.Checks;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member of a group: a Kafka consumer-group member with manual commits of the contiguous acked
 * prefix. The Kafka consumer is used only by the thread inside {@link #poll} (or by {@link #close}
 * once no poll runs); {@link #ack} and {@link #nack} from other threads change the member's state
 * under a lock and are committed by the next poll (or by close).
 *
 * <h2>Delivery count</h2>
 * Counted per offset inside the member: 1 on the first delivery, +1 on every redelivery (ack timeout
 * or nack). The commit metadata ({@link GroupMeta}) carries, per partition, how far the group has
 * delivered, when, and the counts of 2 or more; a member that takes a partition over (after a
 * rebalance, a restart or a crash) gives an offset that was delivered before but not acked the count
 * it had plus one, and holds it back until the previous delivery's ack timeout has run out.
 */
final class KafkaGroupConsumer implements GroupConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaGroupConsumer.class);

    /** A delivered, not yet acked event. */
    private static final class Delivery {
        StreamEvent event;
        int count;
        long deadlineMs;

        Delivery(StreamEvent event, int count, long deadlineMs) {
            this.event = event;
            this.count = count;
            this.deadlineMs = deadlineMs;
        }
    }

    /** What the member knows of one owned partition. */
    private static final class PartitionState {
        long committed;
        long committedSent;
        String metaSent = "";
        long deliveredUpTo = -1;
        long lastDeliveryMs;
        final TreeMap<Long, Delivery> inflight = new TreeMap<>();
        final java.util.TreeSet<Long> acked = new java.util.TreeSet<>();
        /** From the previous owner: offsets below this were delivered before. */
        long priorUpTo = -1;
        long priorDeliveryMs;
        Map<Long, Integer> priorCounts = Map.of();
    }

    private final GroupManager manager;
    private final KafkaStreamClient client;
    private final StreamName stream;
    private final String group;
    private final String member;
    private final String groupId;
    private final String topic;
    private final long ackTimeoutMs;
    private final int maxUnacked;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final ReentrantLock pollLock = new ReentrantLock();
    private final Object state = new Object();
    private final Map<TopicPartition, PartitionState> owned = new HashMap<>();
    /**
     * The last state of partitions this member lost or gave up: if one comes back (after a rebalance,
     * or a coordinator restart that lost an uncommitted ack), its acks and counts are not forgotten.
     */
    private final Map<TopicPartition, PartitionState> retired = new HashMap<>();
    private final Deque<ConsumerRecord<byte[], byte[]>> buffer = new ArrayDeque<>();
    private volatile boolean closed;
    private volatile boolean deleted;
    private boolean consumerClosed;

    KafkaGroupConsumer(GroupManager manager, KafkaStreamClient client, StreamName stream, String group, String member,
            long ackTimeoutMs) {
        this.manager = manager;
        this.client = client;
        this.stream = stream;
        this.group = group;
        this.member = member;
        this.groupId = client.settings().groupId(stream, group);
        this.topic = client.topic(stream);
        this.ackTimeoutMs = ackTimeoutMs;
        this.maxUnacked = client.settings().maxUnacked();
        long interval = Math.max(5_000, Math.min(300_000, 2 * ackTimeoutMs));
        this.consumer = new KafkaConsumer<>(client.settings().groupProps(client.nextConsumerId("member") + "#" + member,
                groupId, Duration.ofMillis(interval)), new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer());
        this.consumer.subscribe(List.of(topic), new Listener());
    }

    @Override
    public StreamName stream() {
        return stream;
    }

    @Override
    public String group() {
        return group;
    }

    @Override
    public String member() {
        return member;
    }

    String groupId() {
        return groupId;
    }

    private long now() {
        return client.clock().millis();
    }

    @Override
    public List<StreamEvent> poll(int maxCount, Duration wait) {
        checkUsable();
        Checks.count(maxCount, client.limits());
        Checks.wait(wait);
        pollLock.lock();
        try {
            checkUsable();
            return pollLocked(maxCount, wait);
        } catch (WakeupException e) {
            checkUsable();
            return List.of();
        } catch (NoOffsetForPartitionException e) {
            deleted = true;
            throw notFound();
        } catch (StreamException e) {
            throw e;
        } catch (KafkaException e) {
            checkUsable();
            throw KafkaErrors.map("polling group " + group + " of " + stream, e);
        } finally {
            if ((closed || deleted) && !consumerClosed) {
                closeConsumer(Duration.ofMillis(Math.min(2_000, client.settings().closeTimeout().toMillis())));
            }
            pollLock.unlock();
        }
    }

    private void checkUsable() {
        if (closed || client.isClosed()) {
            throw StreamException.closed("group consumer " + member + " of " + group);
        }
        if (deleted) {
            throw notFound();
        }
    }

    private StreamException notFound() {
        return new StreamException(ErrorKind.NOT_FOUND, "group " + group + " of stream " + stream + " does not exist (deleted); "
                + "create it again with createGroup");
    }

    private List<StreamEvent> pollLocked(int maxCount, Duration wait) {
        List<StreamEvent> out = new ArrayList<>();
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            if (deleted) {
                throw notFound();
            }
            commitAsyncIfChanged();
            takeDue(out, maxCount);
            deliverBuffered(out, maxCount);
            if (out.size() >= maxCount) {
                break;
            }
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (!out.isEmpty()) {
                left = 0;
            }
            long due = nextDueInMs();
            long pollMs = Math.max(0, Math.min(left, due));
            boolean full;
            synchronized (state) {
                full = inflightCount() >= maxUnacked;
            }
            Set<TopicPartition> assigned = consumer.assignment();
            if (!buffer.isEmpty() || full) {
                consumer.pause(assigned);
            } else if (!consumer.paused().isEmpty()) {
                consumer.resume(consumer.paused());
            }
            ConsumerRecords<byte[], byte[]> recs;
            try {
                recs = consumer.poll(Duration.ofMillis(pollMs));
            } catch (OffsetOutOfRangeException e) {
                for (TopicPartition tp : e.partitions()) {
                    LOG.warn("group {} of {}: offsets of partition {} were trimmed before the group read them; "
                            + "continuing at the oldest retained event", group, stream, tp.partition());
                }
                consumer.seekToBeginning(e.partitions());
                continue;
            }
            for (ConsumerRecord<byte[], byte[]> r : recs) {
                buffer.add(r);
            }
            deliverBuffered(out, maxCount);
            takeDue(out, maxCount);
            if (!out.isEmpty() || System.nanoTime() - deadline >= 0) {
                break;
            }
        }
        commitAsyncIfChanged();
        return out;
    }

    private int inflightCount() {
        int n = 0;
        for (PartitionState st : owned.values()) {
            n += st.inflight.size();
        }
        return n;
    }

    /** Milliseconds until the next ack-timeout redelivery is due (Long.MAX_VALUE if none). */
    private long nextDueInMs() {
        long now = now();
        long best = Long.MAX_VALUE;
        synchronized (state) {
            for (PartitionState st : owned.values()) {
                for (Delivery d : st.inflight.values()) {
                    best = Math.min(best, Math.max(0, d.deadlineMs - now));
                }
            }
        }
        return best;
    }

    /** Redeliveries first: events whose ack timeout ran out, or that were nacked. */
    private void takeDue(List<StreamEvent> out, int maxCount) {
        long now = now();
        synchronized (state) {
            for (PartitionState st : owned.values()) {
                for (Map.Entry<Long, Delivery> e : st.inflight.entrySet()) {
                    if (out.size() >= maxCount) {
                        return;
                    }
                    Delivery d = e.getValue();
                    if (d.deadlineMs <= now) {
                        d.count++;
                        d.deadlineMs = now + ackTimeoutMs;
                        d.event = d.event.withDeliveryCount(d.count);
                        out.add(d.event);
                        st.lastDeliveryMs = now;
                        st.deliveredUpTo = Math.max(st.deliveredUpTo, e.getKey() + 1);
                    }
                }
            }
        }
    }

    private void deliverBuffered(List<StreamEvent> out, int maxCount) {
        long now = now();
        boolean partitioned = client.settings().partitioned();
        synchronized (state) {
            while (!buffer.isEmpty() && out.size() < maxCount && inflightCount() < maxUnacked) {
                ConsumerRecord<byte[], byte[]> r = buffer.pollFirst();
                TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                PartitionState st = owned.get(tp);
                long off = r.offset();
                if (st == null || off < st.committed || st.inflight.containsKey(off) || st.acked.contains(off)) {
                    continue;
                }
                if (off < st.priorUpTo) {
                    int prior = st.priorCounts.getOrDefault(off, 1);
                    long holdUntil = st.priorDeliveryMs + ackTimeoutMs;
                    StreamEvent ev = Records.toEvent(stream, r, partitioned, prior);
                    if (now < holdUntil) {
                        // delivered by the previous owner recently: wait for its ack timeout first
                        st.inflight.put(off, new Delivery(ev, prior, holdUntil));
                        continue;
                    }
                    Delivery d = new Delivery(ev.withDeliveryCount(prior + 1), prior + 1, now + ackTimeoutMs);
                    st.inflight.put(off, d);
                    out.add(d.event);
                } else {
                    Delivery d = new Delivery(Records.toEvent(stream, r, partitioned, 1), 1, now + ackTimeoutMs);
                    st.inflight.put(off, d);
                    out.add(d.event);
                }
                st.deliveredUpTo = Math.max(st.deliveredUpTo, off + 1);
                st.lastDeliveryMs = now;
            }
        }
    }

    @Override
    public AckResult ack(Collection<EventId> ids) {
        checkUsable();
        if (ids == null) {
            throw StreamException.invalid("ids must not be null");
        }
        boolean partitioned = client.settings().partitioned();
        int acked = 0;
        int unknown = 0;
        synchronized (state) {
            for (EventId id : ids) {
                if (id == null) {
                    throw StreamException.invalid("ids must not contain null");
                }
                if (id.isPair() != partitioned) {
                    unknown++;
                    continue;
                }
                TopicPartition tp = new TopicPartition(topic, Records.partition(id, partitioned));
                long off = Records.offset(id, partitioned);
                PartitionState st = owned.get(tp);
                if (st != null && st.inflight.remove(off) != null) {
                    st.acked.add(off);
                    acked++;
                } else {
                    unknown++;
                }
            }
        }
        return new AckResult(acked, unknown);
    }

    @Override
    public void nack(Collection<EventId> ids) {
        checkUsable();
        if (ids == null) {
            throw StreamException.invalid("ids must not be null");
        }
        boolean partitioned = client.settings().partitioned();
        synchronized (state) {
            for (EventId id : ids) {
                if (id == null || id.isPair() != partitioned) {
                    continue;
                }
                PartitionState st = owned.get(new TopicPartition(topic, Records.partition(id, partitioned)));
                Delivery d = st == null ? null : st.inflight.get(Records.offset(id, partitioned));
                if (d != null) {
                    d.deadlineMs = 0;
                }
            }
        }
    }

    /** The commit of each owned partition whose acked prefix or delivery knowledge changed. */
    private Map<TopicPartition, OffsetAndMetadata> pendingCommits(Collection<TopicPartition> which) {
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        synchronized (state) {
            for (TopicPartition tp : which) {
                PartitionState st = owned.get(tp);
                if (st == null) {
                    continue;
                }
                while (st.acked.remove(st.committed)) {
                    st.committed++;
                }
                st.acked.headSet(st.committed).clear();
                GroupMeta m = new GroupMeta(ackTimeoutMs);
                if (st.deliveredUpTo > st.committed) {
                    m.deliveredUpTo = st.deliveredUpTo;
                    m.lastDeliveryMs = st.lastDeliveryMs;
                    for (Map.Entry<Long, Delivery> e : st.inflight.entrySet()) {
                        if (e.getValue().count >= 2) {
                            m.counts.put(e.getKey(), e.getValue().count);
                        }
                    }
                    m.acked.addAll(st.acked);
                }
                String meta = m.encode();
                if (st.committed != st.committedSent || !meta.equals(st.metaSent)) {
                    commits.put(tp, new OffsetAndMetadata(st.committed, meta));
                    st.committedSent = st.committed;
                    st.metaSent = meta;
                }
            }
        }
        return commits;
    }

    private void commitAsyncIfChanged() {
        if (deleted) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> c = pendingCommits(new ArrayList<>(owned.keySet()));
        if (!c.isEmpty()) {
            consumer.commitAsync(c, (offsets, ex) -> {
                if (ex != null) {
                    LOG.debug("group {} of {}: commit failed ({}); it is retried with the next change", group, stream,
                            ex.toString());
                    synchronized (state) {
                        for (TopicPartition tp : offsets.keySet()) {
                            PartitionState st = owned.get(tp);
                            if (st != null) {
                                st.metaSent = "";
                            }
                        }
                    }
                }
            });
        }
    }

    private void commitSync(Collection<TopicPartition> which, Duration timeout) {
        if (deleted) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> c = pendingCommits(which);
        if (!c.isEmpty()) {
            try {
                consumer.commitSync(c, timeout);
            } catch (KafkaException e) {
                LOG.debug("group {} of {}: final commit failed: {}", group, stream, e.toString());
            }
        }
    }

    /** Tracks partition ownership; runs inside {@code consumer.poll} on the poll thread. */
    private final class Listener implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            commitSync(partitions, client.settings().requestTimeout());
            drop(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            drop(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions),
                    client.settings().requestTimeout());
            synchronized (state) {
                for (TopicPartition tp : partitions) {
                    OffsetAndMetadata om = committed.get(tp);
                    PartitionState st = new PartitionState();
                    if (om == null) {
                        // no committed offset: the group was deleted, or the partition is new
                        OptionalLong begin = manager.beginningIfGroupExists(KafkaGroupConsumer.this, tp);
                        if (begin.isEmpty()) {
                            deleted = true;
                            return;
                        }
                        consumer.seek(tp, begin.getAsLong());
                        st.committed = begin.getAsLong();
                        st.committedSent = -1;
                        owned.put(tp, st);
                        continue;
                    }
                    st.committed = om.offset();
                    st.committedSent = om.offset();
                    st.metaSent = om.metadata() == null ? "" : om.metadata();
                    GroupMeta m = GroupMeta.parse(om.metadata());
                    if (m != null && m.deliveredUpTo > om.offset()) {
                        st.priorUpTo = m.deliveredUpTo;
                        st.priorDeliveryMs = m.lastDeliveryMs;
                        st.priorCounts = Map.copyOf(m.counts);
                        st.deliveredUpTo = m.deliveredUpTo;
                        st.lastDeliveryMs = m.lastDeliveryMs;
                        st.acked.addAll(m.acked.tailSet(om.offset(), true));
                    }
                    PartitionState prev = retired.remove(tp);
                    if (prev != null) {
                        resume(st, prev);
                    }
                    owned.put(tp, st);
                }
            }
        }

        private void drop(Collection<TopicPartition> partitions) {
            synchronized (state) {
                for (TopicPartition tp : partitions) {
                    PartitionState st = owned.remove(tp);
                    if (st != null) {
                        retired.put(tp, st);
                    }
                }
                for (Iterator<ConsumerRecord<byte[], byte[]>> it = buffer.iterator(); it.hasNext();) {
                    ConsumerRecord<byte[], byte[]> r = it.next();
                    if (partitions.contains(new TopicPartition(r.topic(), r.partition()))) {
                        it.remove();
                    }
                }
            }
        }
    }

    /**
     * Merges what this member knew of a partition it owned before into the state read from the
     * broker: offsets it had acked stay acked (the commit of a prefix it acked moves forward at
     * once, even if the broker lost that commit), and events it had delivered keep their counts.
     */
    private static void resume(PartitionState st, PartitionState prev) {
        if (prev.committed > st.committed) {
            st.committed = prev.committed;
            st.committedSent = -1; // commit it again
        }
        st.acked.addAll(prev.acked.tailSet(st.committed, true));
        if (prev.deliveredUpTo > st.committed) {
            Map<Long, Integer> counts = new HashMap<>(st.priorCounts);
            for (Map.Entry<Long, Delivery> e : prev.inflight.entrySet()) {
                if (e.getKey() >= st.committed) {
                    counts.merge(e.getKey(), e.getValue().count, Math::max);
                }
            }
            st.priorCounts = Map.copyOf(counts);
            st.priorUpTo = Math.max(st.priorUpTo, prev.deliveredUpTo);
            st.priorDeliveryMs = Math.max(st.priorDeliveryMs, prev.lastDeliveryMs);
            st.deliveredUpTo = Math.max(st.deliveredUpTo, prev.deliveredUpTo);
            st.lastDeliveryMs = Math.max(st.lastDeliveryMs, prev.lastDeliveryMs);
        }
    }

    // ------------------------------------------------------------ figures for groupInfo

    /** Pending (delivered, unacked) and delivered-up-to of a partition this member owns, or null. */
    long[] figures(TopicPartition tp) {
        synchronized (state) {
            PartitionState st = owned.get(tp);
            if (st == null) {
                return null;
            }
            return new long[] {st.inflight.size(), Math.max(st.deliveredUpTo, st.committed), st.deliveredUpTo};
        }
    }

    /** Marks the group deleted: further polls fail NOT_FOUND; nothing more is committed. */
    void markDeleted() {
        deleted = true;
        consumer.wakeup();
    }

    @Override
    public void close() {
        closeWithin(client.settings().closeTimeout());
    }

    /** Closes within the timeout; if a poll runs on another thread, that thread closes the consumer. */
    void closeWithin(Duration timeout) {
        if (closed) {
            return;
        }
        closed = true;
        manager.unregister(this);
        consumer.wakeup();
        boolean locked = false;
        try {
            locked = pollLock.tryLock(Math.min(timeout.toMillis(), 1_000), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (locked) {
            try {
                if (!consumerClosed) {
                    closeConsumer(timeout);
                }
            } finally {
                pollLock.unlock();
            }
        }
    }

    /** Commits what was acked (not what was merely delivered), leaves the group, closes; poll thread only. */
    private void closeConsumer(Duration timeout) {
        consumerClosed = true;
        manager.unregister(this);
        long budget = Math.max(1, timeout.toMillis());
        try {
            if (!deleted) {
                commitSync(new ArrayList<>(owned.keySet()), Duration.ofMillis(budget / 2));
            }
        } catch (WakeupException e) {
            // closing anyway
        } catch (RuntimeException e) {
            LOG.debug("group {} of {}: commit at close failed: {}", group, stream, e.toString());
        }
        try {
            consumer.close(CloseOptions.timeout(Duration.ofMillis(Math.max(1, budget / 2))));
        } catch (RuntimeException e) {
            LOG.debug("group {} of {}: closing the consumer failed: {}", group, stream, e.toString());
        }
    }
}
