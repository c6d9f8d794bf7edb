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
import java.util.TreeSet;
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

    /** What the member knows of one owned partition. */
    private static final class PartitionState {
        long committed;
        long committedSent;
        String metaSent = "";
        long deliveredUpTo = -1;
        long lastDeliveryMs;
        /** Delivered offsets at or above {@link #committed}: in flight, or acked out of order. */
        final DeliveryWindow window = new DeliveryWindow();
        /**
         * Acked offsets above the committed one that this member has not delivered (they come from
         * the commit metadata or from an earlier ownership); disjoint from the window.
         */
        final TreeSet<Long> ackedElsewhere = new TreeSet<>();
        /** At most the earliest redelivery deadline of the in-flight offsets (MAX_VALUE: none). */
        long minDeadlineMs = Long.MAX_VALUE;
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
        List<StreamEvent> out = new ArrayList<>(Math.min(maxCount, 1_024));
        long deadline = System.nanoTime() + wait.toNanos();
        boolean lookedWithoutWaiting = false;
        while (true) {
            if (deleted) {
                throw notFound();
            }
            takeDue(out, maxCount);
            deliverBuffered(out, maxCount);
            if (out.size() >= maxCount) {
                break;
            }
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (!out.isEmpty() || !lookedWithoutWaiting) {
                // events to return (only what is fetched already is added), or a first look without waiting
                left = 0;
            }
            long due = nextDueInMs();
            long pollMs = Math.max(0, Math.min(left, due));
            if (pollMs > 0) {
                commitAsyncIfChanged(); // about to wait: commit the acks first
            }
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
            boolean none = recs.isEmpty();
            lookedWithoutWaiting = lookedWithoutWaiting || pollMs == 0 && none;
            deliverBuffered(out, maxCount);
            takeDue(out, maxCount);
            if (out.size() >= maxCount || (!out.isEmpty() && none) || System.nanoTime() - deadline >= 0) {
                break;
            }
        }
        commitAsyncIfChanged();
        return out;
    }

    /** Delivered, not acked events of the owned partitions; under the state lock. */
    private int inflightCount() {
        int n = 0;
        for (PartitionState st : owned.values()) {
            n += st.window.inflight();
        }
        return n;
    }

    /**
     * Milliseconds until the next ack-timeout redelivery may be due (Long.MAX_VALUE if none). Each
     * partition keeps a lower bound of its deadlines, so this looks at no event; a bound that is too
     * early (its event was acked) only makes {@link #takeDue} look once and tighten it.
     */
    private long nextDueInMs() {
        long now = now();
        long best = Long.MAX_VALUE;
        synchronized (state) {
            for (PartitionState st : owned.values()) {
                if (st.window.inflight() > 0 && st.minDeadlineMs != Long.MAX_VALUE) {
                    best = Math.min(best, Math.max(0, st.minDeadlineMs - now));
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
                DeliveryWindow w = st.window;
                if (w.inflight() == 0) {
                    st.minDeadlineMs = Long.MAX_VALUE;
                    continue;
                }
                if (st.minDeadlineMs > now) {
                    continue; // nothing due in this partition
                }
                long min = Long.MAX_VALUE;
                for (int i = 0, n = w.size(); i < n; i++) {
                    if (!w.inflightAt(i)) {
                        continue;
                    }
                    long dl = w.deadlineAt(i);
                    if (dl <= now && out.size() < maxCount) {
                        StreamEvent ev = w.eventAt(i);
                        ev = ev.withDeliveryCount(w.countAt(i) + 1);
                        dl = now + ackTimeoutMs;
                        w.redelivered(i, ev, dl);
                        out.add(ev);
                        st.lastDeliveryMs = now;
                        st.deliveredUpTo = Math.max(st.deliveredUpTo, w.offsetAt(i) + 1);
                    }
                    min = Math.min(min, dl);
                }
                st.minDeadlineMs = min;
            }
        }
    }

    private void deliverBuffered(List<StreamEvent> out, int maxCount) {
        if (buffer.isEmpty()) {
            return;
        }
        long now = now();
        boolean partitioned = client.settings().partitioned();
        synchronized (state) {
            int inflight = inflightCount();
            int lastPartition = -1;
            PartitionState st = null;
            while (!buffer.isEmpty() && out.size() < maxCount && inflight < maxUnacked) {
                ConsumerRecord<byte[], byte[]> r = buffer.pollFirst();
                if (r.partition() != lastPartition || st == null) {
                    st = owned.get(new TopicPartition(r.topic(), r.partition()));
                    lastPartition = st == null ? -1 : r.partition();
                }
                long off = r.offset();
                if (st == null || off < st.committed || st.window.contains(off)
                        || (!st.ackedElsewhere.isEmpty() && st.ackedElsewhere.contains(off))) {
                    continue;
                }
                if (off < st.priorUpTo) {
                    int prior = st.priorCounts.getOrDefault(off, 1);
                    long holdUntil = st.priorDeliveryMs + ackTimeoutMs;
                    StreamEvent ev = Records.toEvent(stream, r, partitioned, prior);
                    if (now < holdUntil) {
                        // delivered by the previous owner recently: wait for its ack timeout first
                        st.window.add(off, ev, prior, holdUntil);
                        st.minDeadlineMs = Math.min(st.minDeadlineMs, holdUntil);
                        inflight++;
                        continue;
                    }
                    ev = ev.withDeliveryCount(prior + 1);
                    st.window.add(off, ev, prior + 1, now + ackTimeoutMs);
                    out.add(ev);
                } else {
                    StreamEvent ev = Records.toEvent(stream, r, partitioned, 1);
                    st.window.add(off, ev, 1, now + ackTimeoutMs);
                    out.add(ev);
                }
                inflight++;
                st.minDeadlineMs = Math.min(st.minDeadlineMs, now + ackTimeoutMs);
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
            int lastPartition = -1;
            PartitionState st = null;
            for (EventId id : ids) {
                if (id == null) {
                    throw StreamException.invalid("ids must not contain null");
                }
                if (id.isPair() != partitioned) {
                    unknown++;
                    continue;
                }
                int p = Records.partition(id, partitioned);
                if (p != lastPartition) {
                    st = owned.get(new TopicPartition(topic, p));
                    lastPartition = p;
                }
                if (st != null && st.window.ack(Records.offset(id, partitioned))) {
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
                if (st != null && st.window.nack(Records.offset(id, partitioned))) {
                    st.minDeadlineMs = 0;
                }
            }
        }
    }

    /** Moves the committed offset over the contiguous acked prefix; under the state lock. */
    private static void advanceCommitted(PartitionState st) {
        long c = st.committed;
        while (true) {
            long next = st.window.popAckedPrefix(c);
            if (!st.ackedElsewhere.isEmpty() && st.ackedElsewhere.remove(next)) {
                c = next + 1;
                continue;
            }
            c = next;
            break;
        }
        st.committed = c;
        if (!st.ackedElsewhere.isEmpty()) {
            st.ackedElsewhere.headSet(c).clear();
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
                advanceCommitted(st);
                GroupMeta m = new GroupMeta(ackTimeoutMs);
                if (st.deliveredUpTo > st.committed) {
                    m.deliveredUpTo = st.deliveredUpTo;
                    m.lastDeliveryMs = st.lastDeliveryMs;
                    DeliveryWindow w = st.window;
                    for (int i = 0, n = w.size(); i < n; i++) {
                        if (!w.inflightAt(i)) {
                            m.acked.add(w.offsetAt(i));
                        } else if (w.countAt(i) >= 2) {
                            m.counts.put(w.offsetAt(i), w.countAt(i));
                        }
                    }
                    m.acked.addAll(st.ackedElsewhere);
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
                        st.ackedElsewhere.addAll(m.acked.tailSet(om.offset(), true));
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
        st.ackedElsewhere.addAll(prev.ackedElsewhere.tailSet(st.committed, true));
        DeliveryWindow w = prev.window;
        for (int i = 0, n = w.size(); i < n; i++) {
            if (!w.inflightAt(i) && w.offsetAt(i) >= st.committed) {
                st.ackedElsewhere.add(w.offsetAt(i));
            }
        }
        if (prev.deliveredUpTo > st.committed) {
            Map<Long, Integer> counts = new HashMap<>(st.priorCounts);
            for (int i = 0, n = w.size(); i < n; i++) {
                if (w.inflightAt(i) && w.offsetAt(i) >= st.committed) {
                    counts.merge(w.offsetAt(i), w.countAt(i), Math::max);
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
            return new long[] {st.window.inflight(), Math.max(st.deliveredUpTo, st.committed), st.deliveredUpTo};
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
