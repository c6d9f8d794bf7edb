package dev.tributary.kafka.internal;

import dev.tributary.AckResult;
import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.Limits;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.spi.AbstractGroupConsumer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member of a group: a Kafka consumer-group member with manual commits of the contiguous acked
 * prefix. This class does the I/O (fetch, rebalance, commit, leave); what is delivered, redelivered
 * and committed is decided by its {@link GroupLedger}. The Kafka consumer is used only by the thread
 * inside {@link #doPoll} (or by {@link #doClose} once no poll runs); acks and nacks from other
 * threads change the ledger and are committed by the next poll (with a {@code commitInterval}, at
 * most that often while events flow, at once when a poll finds nothing) or by close.
 */
final class KafkaGroupConsumer extends AbstractGroupConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaGroupConsumer.class);

    private final GroupManager manager;
    private final KafkaSettings settings;
    private final Clock clock;
    private final String groupId;
    private final GroupLedger ledger;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final ReentrantLock pollLock = new ReentrantLock();
    /** Fetched, not yet delivered; poll thread only. */
    private final Deque<ConsumerRecord<byte[], byte[]>> buffer = new ArrayDeque<>();

    private volatile boolean deleted;
    /** Why the group is gone, once known (see {@link #gone()}). */
    private volatile StreamException goneWhy;
    /** The topic's id when this member joined (null if unknown); another one later means the data was lost. */
    private final Uuid topicId;

    private boolean consumerClosed;

    /** While events flow, acks are committed at most this often; 0: after every poll. */
    private final long commitEveryNanos;

    /** When the last asynchronous commit was sent; poll thread only. */
    private long lastCommitNanos;

    KafkaGroupConsumer(
            GroupManager manager,
            KafkaConnector connector,
            Clock clock,
            Limits limits,
            StreamName stream,
            String group,
            String member,
            long ackTimeoutMs,
            Uuid topicId) {
        super(stream, group, member, limits);
        this.topicId = topicId;
        this.manager = manager;
        this.settings = connector.settings();
        this.clock = clock;
        this.groupId = settings.groupId(stream, group);
        String topic = settings.topic(stream);
        this.commitEveryNanos = settings.commitInterval().toNanos();
        this.lastCommitNanos = System.nanoTime() - commitEveryNanos;
        this.ledger = new GroupLedger(stream, topic, settings.partitioned(), ackTimeoutMs, settings.maxUnacked());
        long interval = Math.max(5_000, Math.min(300_000, 2 * ackTimeoutMs));
        this.consumer = connector.memberConsumer(member, groupId, Duration.ofMillis(interval));
        this.consumer.subscribe(List.of(topic), new Listener());
    }

    String groupId() {
        return groupId;
    }

    Uuid topicId() {
        return topicId;
    }

    @Override
    protected List<StreamEvent> doPoll(int maxCount, Duration wait) {
        pollLock.lock();
        try {
            ensureOpen();
            return pollLocked(maxCount, wait);
        } catch (WakeupException e) {
            ensureOpen();
            if (deleted) {
                throw gone();
            }
            return List.of();
        } catch (NoOffsetForPartitionException e) {
            deleted = true;
            throw gone();
        } catch (StreamException e) {
            throw e;
        } catch (KafkaException e) {
            throw KafkaErrors.map("polling group " + group() + " of " + stream(), e);
        } finally {
            if ((isClosed() || deleted) && !consumerClosed) {
                closeConsumer(Duration.ofMillis(
                        Math.min(2_000, settings.closeTimeout().toMillis())));
            }
            pollLock.unlock();
        }
    }

    /**
     * Why the group is gone, decided once the broker can tell: {@code DATA_LOSS} when the topic changed
     * under the member (the broker lost its data, or the topic was created again), else
     * {@code NOT_FOUND} (deleted). A retryable failure to tell is returned as it is and asked again.
     */
    private StreamException gone() {
        StreamException why = goneWhy;
        if (why == null) {
            why = manager.groupGone(this, notFound());
            if (why.isRetryable()) {
                return why;
            }
            goneWhy = why;
        }
        return new StreamException(why.kind(), why.getMessage());
    }

    private StreamException notFound() {
        return new StreamException(
                ErrorKind.NOT_FOUND,
                "group " + group() + " of stream " + stream()
                        + " does not exist (deleted); create it again with createGroup");
    }

    private List<StreamEvent> pollLocked(int maxCount, Duration wait) {
        List<StreamEvent> out = new ArrayList<>(Math.min(maxCount, 1_024));
        long deadline = System.nanoTime() + wait.toNanos();
        boolean lookedWithoutWaiting = false;
        while (true) {
            if (deleted) {
                throw gone();
            }
            ledger.takeDue(clock.millis(), out, maxCount);
            deliverBuffered(out, maxCount);
            if (out.size() >= maxCount) {
                break;
            }
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (!out.isEmpty() || !lookedWithoutWaiting) {
                // events to return (only what is fetched already is added), or a first look without waiting
                left = 0;
            }
            long pollMs = Math.max(0, Math.min(left, ledger.nextDueInMs(clock.millis())));
            if (pollMs > 0) {
                commitAsyncIfChanged(true); // about to wait: commit the acks first
            }
            Set<TopicPartition> assigned = consumer.assignment();
            if (!buffer.isEmpty() || ledger.full()) {
                consumer.pause(assigned);
            } else if (!consumer.paused().isEmpty()) {
                consumer.resume(consumer.paused());
            }
            ConsumerRecords<byte[], byte[]> recs;
            try {
                recs = consumer.poll(Duration.ofMillis(pollMs));
            } catch (OffsetOutOfRangeException e) {
                for (TopicPartition tp : e.partitions()) {
                    LOG.warn(
                            "group {} of {}: offsets of partition {} were trimmed before the group read them; "
                                    + "continuing at the oldest retained event",
                            group(),
                            stream(),
                            tp.partition());
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
            ledger.takeDue(clock.millis(), out, maxCount);
            if (out.size() >= maxCount || (!out.isEmpty() && none) || System.nanoTime() - deadline >= 0) {
                break;
            }
        }
        commitAsyncIfChanged(out.isEmpty());
        return out;
    }

    private void deliverBuffered(List<StreamEvent> out, int maxCount) {
        if (!buffer.isEmpty()) {
            ledger.deliver(buffer, clock.millis(), out, maxCount);
        }
    }

    @Override
    protected AckResult doAck(List<EventId> ids) {
        if (deleted) {
            throw gone();
        }
        return ledger.ack(ids);
    }

    @Override
    protected void doNack(List<EventId> ids) {
        if (deleted) {
            throw gone();
        }
        ledger.nack(ids);
    }

    /**
     * Commits what was acked since the last commit: at once when {@code now} (the poll is about to
     * wait or found nothing), else at most every {@link #commitEveryNanos} while events flow.
     */
    private void commitAsyncIfChanged(boolean now) {
        if (deleted) {
            return;
        }
        long t = System.nanoTime();
        if (!now && t - lastCommitNanos < commitEveryNanos) {
            return;
        }
        lastCommitNanos = t;
        Map<TopicPartition, OffsetAndMetadata> c = ledger.pendingCommits(ledger.owned());
        if (!c.isEmpty()) {
            consumer.commitAsync(c, (offsets, ex) -> {
                if (ex != null) {
                    LOG.debug(
                            "group {} of {}: commit failed ({}); it is retried with the next change",
                            group(),
                            stream(),
                            ex.toString());
                    ledger.commitFailed(offsets.keySet());
                }
            });
        }
    }

    private void commitSync(Collection<TopicPartition> which, Duration timeout) {
        if (deleted) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> c = ledger.pendingCommits(which);
        if (!c.isEmpty()) {
            try {
                consumer.commitSync(c, timeout);
            } catch (KafkaException e) {
                LOG.debug("group {} of {}: final commit failed: {}", group(), stream(), e.toString());
            }
        }
    }

    /** Tracks partition ownership; runs inside {@code consumer.poll} on the poll thread. */
    private final class Listener implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            commitSync(partitions, settings.requestTimeout());
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
            Map<TopicPartition, OffsetAndMetadata> committed =
                    consumer.committed(Set.copyOf(partitions), settings.requestTimeout());
            for (TopicPartition tp : partitions) {
                OffsetAndMetadata om = committed.get(tp);
                if (om != null) {
                    ledger.assigned(tp, om.offset(), om.metadata());
                    continue;
                }
                // no committed offset: the group was deleted, or the partition is new
                OptionalLong begin = manager.beginningIfGroupExists(groupId, tp);
                if (begin.isEmpty()) {
                    deleted = true;
                    return;
                }
                consumer.seek(tp, begin.getAsLong());
                ledger.assignedFresh(tp, begin.getAsLong());
            }
        }

        private void drop(Collection<TopicPartition> partitions) {
            ledger.drop(partitions);
            buffer.removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
        }
    }

    /** Pending, reached and delivered-up-to of a partition this member owns, or null (for groupInfo). */
    long[] figures(TopicPartition tp) {
        return ledger.figures(tp);
    }

    /** Marks the group deleted: further polls fail NOT_FOUND; nothing more is committed. */
    void markDeleted() {
        goneWhy = notFound();
        deleted = true;
        consumer.wakeup();
    }

    /**
     * Wakes a blocked poll (whose thread then closes the Kafka consumer) or, when no poll runs,
     * commits what was acked and leaves the group, within half the close timeout.
     */
    @Override
    protected void doClose() {
        manager.unregister(this);
        consumer.wakeup();
        Duration budget = settings.closeTimeout().dividedBy(2);
        boolean locked = false;
        try {
            locked = pollLock.tryLock(Math.min(budget.toMillis(), 1_000), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (locked) {
            try {
                if (!consumerClosed) {
                    closeConsumer(budget);
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
        long budget = Math.max(2, timeout.toMillis());
        try {
            if (!deleted) {
                commitSync(ledger.owned(), Duration.ofMillis(budget / 2));
            }
        } catch (WakeupException e) {
            // closing anyway
        } catch (RuntimeException e) {
            LOG.debug("group {} of {}: commit at close failed: {}", group(), stream(), e.toString());
        }
        try {
            consumer.close(CloseOptions.timeout(Duration.ofMillis(budget / 2)));
        } catch (RuntimeException e) {
            LOG.debug("group {} of {}: closing the consumer failed: {}", group(), stream(), e.toString());
        }
    }
}
