package dev.tributary.kafka.internal;

import dev.tributary.ErrorKind;
import dev.tributary.StreamException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded pool of group-less consumers for tail and range reads. A read borrows one, assigns the
 * partition it needs and seeks to its cursor (skipping the seek when the consumer already stands
 * there, which keeps its prefetched records), and returns it. At most {@code max} consumers exist;
 * a borrower waits for one up to its timeout and then fails with {@link ErrorKind#BACKPRESSURE}.
 *
 * <p>A lease keeps the records its last poll fetched beyond what its borrower took (the read-ahead,
 * bounded by the reader consumer's {@code max.poll.records}, option {@code kafka.max.poll.records},
 * so it holds at most one poll), and the next borrower that reads on from there is served from it
 * first: a batch smaller than a poll never makes the consumer seek back and fetch the same records
 * again.
 *
 * <p>Kafka consumers are single-threaded: a lease is used by its borrower only. {@link #close}
 * wakes every borrowed consumer (their blocked polls end with a wakeup) and closes idle ones;
 * borrowed ones are closed when their borrower returns them.
 */
final class ConsumerPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerPool.class);

    /**
     * A borrowed consumer and what it is positioned on: the partition assigned, the offset its next
     * borrower may read from without a seek, and the records fetched beyond that offset and not yet
     * handed out (the read-ahead, in offset order; no record exists between {@link #expectedNext} and
     * the first of them).
     */
    static final class Lease {
        final Consumer<byte[], byte[]> consumer;
        private final int readAheadBound;
        private final ArrayDeque<ConsumerRecord<byte[], byte[]>> readAhead = new ArrayDeque<>();
        TopicPartition assigned;
        long expectedNext = -1;
        /** Seeks made through this lease (a measure of refetching, for diagnostics). */
        long seeks;

        Lease(Consumer<byte[], byte[]> consumer, int readAheadBound) {
            this.consumer = consumer;
            this.readAheadBound = readAheadBound;
        }

        /**
         * Assigns {@code tp} and positions the lease at {@code offset} unless it stands there already
         * (then the read-ahead and the consumer's prefetch are kept).
         */
        void position(TopicPartition tp, long offset) {
            if (!tp.equals(assigned)) {
                consumer.assign(Set.of(tp));
                assigned = tp;
                forget();
            }
            if (expectedNext != offset) {
                consumer.seek(tp, offset);
                seeks++;
                readAhead.clear();
                expectedNext = offset;
            }
        }

        /**
         * Keeps a polled record of the assigned partition for a borrower to take. When the read-ahead
         * is full (a poll larger than the bound) the record is not kept and the consumer is moved back
         * to it, so it is fetched again instead of lost.
         *
         * @return whether it was kept
         */
        boolean keep(ConsumerRecord<byte[], byte[]> rec) {
            if (readAhead.size() >= readAheadBound) {
                consumer.seek(assigned, rec.offset());
                seeks++;
                return false;
            }
            readAhead.addLast(rec);
            return true;
        }

        /** The first record of the read-ahead without taking it, or null when it is empty. */
        ConsumerRecord<byte[], byte[]> peek() {
            return readAhead.peekFirst();
        }

        /** Takes the first record of the read-ahead, or null when it is empty. */
        ConsumerRecord<byte[], byte[]> take() {
            return readAhead.pollFirst();
        }

        /** How many records the read-ahead holds. */
        int readAhead() {
            return readAhead.size();
        }

        /** Records that the borrower consumed up to (excluding) {@code next}: the next read may go on from there. */
        void positionedAt(long next) {
            expectedNext = next;
        }

        /** Forgets the position and the read-ahead (after an error): the next read seeks. */
        void forget() {
            expectedNext = -1;
            readAhead.clear();
        }
    }

    private final Supplier<? extends Consumer<byte[], byte[]>> factory;
    private final int max;
    private final int readAheadBound;
    private final Duration closeTimeout;
    private final Deque<Lease> idle = new ArrayDeque<>();
    private final Set<Lease> busy = new HashSet<>();
    private int created;
    private boolean closed;

    /**
     * A pool of at most {@code max} consumers made by {@code factory}, each keeping a read-ahead of at
     * most {@code readAheadBound} records (the consumers' {@code max.poll.records}).
     */
    ConsumerPool(
            Supplier<? extends Consumer<byte[], byte[]>> factory, int max, int readAheadBound, Duration closeTimeout) {
        if (readAheadBound < 1) {
            throw new IllegalArgumentException("readAheadBound must be at least 1: " + readAheadBound);
        }
        this.factory = factory;
        this.max = max;
        this.readAheadBound = readAheadBound;
        this.closeTimeout = closeTimeout;
    }

    /**
     * Borrows a consumer: one already assigned to {@code tp} if idle, else a new one while fewer than
     * the pool's bound exist, else the idle one used longest ago (reassigned to {@code tp}).
     */
    Lease borrow(TopicPartition tp, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (true) {
                if (closed) {
                    throw StreamException.closed("Kafka client");
                }
                Lease best = null;
                for (Lease l : idle) {
                    if (tp.equals(l.assigned)) {
                        best = l;
                        break;
                    }
                }
                if (best == null && created < max) {
                    // a consumer of its own rather than one assigned elsewhere: taking that one would
                    // reassign it and drop its fetch position and read-ahead (a reader of several
                    // partitions would otherwise move one consumer from partition to partition)
                    created++;
                    break;
                }
                if (best == null) {
                    best = idle.pollLast(); // released leases go first: the last is the one used longest ago
                } else {
                    idle.remove(best);
                }
                if (best != null) {
                    busy.add(best);
                    return best;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new StreamException(
                            ErrorKind.BACKPRESSURE,
                            "all " + max + " reader consumers are busy; "
                                    + "raise the readerConsumers option or read less concurrently");
                }
                try {
                    long ms = Math.max(1, left / 1_000_000);
                    wait(ms);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StreamException(
                            ErrorKind.RETRYABLE, "interrupted while waiting for a reader consumer", e);
                }
            }
        }
        Lease lease;
        try {
            lease = new Lease(factory.get(), readAheadBound);
        } catch (RuntimeException e) {
            synchronized (this) {
                created--;
                notifyAll();
            }
            throw KafkaErrors.map("creating a Kafka consumer", e);
        }
        synchronized (this) {
            if (closed) {
                created--;
                closeQuietly(lease);
                throw StreamException.closed("Kafka client");
            }
            busy.add(lease);
        }
        return lease;
    }

    /** Returns a lease; a broken one ({@code healthy == false}) is closed and replaced later. */
    void release(Lease lease, boolean healthy) {
        boolean close;
        synchronized (this) {
            busy.remove(lease);
            close = closed || !healthy;
            if (close) {
                created--;
            } else {
                idle.addFirst(lease);
            }
            notifyAll();
        }
        if (close) {
            closeQuietly(lease);
        }
    }

    /** Wakes every borrowed consumer and closes the idle ones. */
    @Override
    public void close() {
        Deque<Lease> toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            for (Lease l : busy) {
                l.consumer.wakeup();
            }
            toClose = new ArrayDeque<>(idle);
            created -= idle.size();
            idle.clear();
            notifyAll();
        }
        for (Iterator<Lease> it = toClose.iterator(); it.hasNext(); ) {
            closeQuietly(it.next());
        }
    }

    private void closeQuietly(Lease l) {
        try {
            l.consumer.close(CloseOptions.timeout(closeTimeout));
        } catch (RuntimeException e) {
            LOG.debug("closing a reader consumer failed", e);
        }
    }
}
