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
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded pool of group-less consumers for tail and range reads. A read borrows one, assigns the
 * partition it needs and seeks to its cursor (skipping the seek when the consumer already stands
 * there, which keeps its prefetched records), and returns it. At most {@code max} consumers exist;
 * a borrower waits for one up to its timeout and then fails with {@link ErrorKind#BACKPRESSURE}.
 *
 * <p>Kafka consumers are single-threaded: a lease is used by its borrower only. {@link #close}
 * wakes every borrowed consumer (their blocked polls end with a wakeup) and closes idle ones;
 * borrowed ones are closed when their borrower returns them.
 */
final class ConsumerPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerPool.class);

    /** A borrowed consumer and what it is positioned on. */
    static final class Lease {
        final KafkaConsumer<byte[], byte[]> consumer;
        TopicPartition assigned;
        long expectedNext = -1;

        Lease(KafkaConsumer<byte[], byte[]> consumer) {
            this.consumer = consumer;
        }

        /** Assigns {@code tp} and positions the consumer at {@code offset} unless it stands there already. */
        void position(TopicPartition tp, long offset) {
            if (!tp.equals(assigned)) {
                consumer.assign(Set.of(tp));
                assigned = tp;
                expectedNext = -1;
            }
            if (expectedNext != offset) {
                consumer.seek(tp, offset);
                expectedNext = offset;
            }
        }

        /** Records that the borrower consumed up to (excluding) {@code next} and the consumer stands there. */
        void positionedAt(long next) {
            expectedNext = next;
        }

        /** Forgets the position (after an error or when records were fetched beyond what was returned). */
        void forget() {
            expectedNext = -1;
        }
    }

    private final Supplier<KafkaConsumer<byte[], byte[]>> factory;
    private final int max;
    private final Duration closeTimeout;
    private final Deque<Lease> idle = new ArrayDeque<>();
    private final Set<Lease> busy = new HashSet<>();
    private int created;
    private boolean closed;

    ConsumerPool(Supplier<KafkaConsumer<byte[], byte[]>> factory, int max, Duration closeTimeout) {
        this.factory = factory;
        this.max = max;
        this.closeTimeout = closeTimeout;
    }

    /** Borrows a consumer, preferring one already assigned to {@code tp}. */
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
                if (best == null) {
                    best = idle.pollFirst();
                } else {
                    idle.remove(best);
                }
                if (best != null) {
                    busy.add(best);
                    return best;
                }
                if (created < max) {
                    created++;
                    break;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new StreamException(ErrorKind.BACKPRESSURE, "all " + max + " reader consumers are busy; "
                            + "raise the readerConsumers option or read less concurrently");
                }
                try {
                    long ms = Math.max(1, left / 1_000_000);
                    wait(ms);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StreamException(ErrorKind.RETRYABLE, "interrupted while waiting for a reader consumer", e);
                }
            }
        }
        Lease lease;
        try {
            lease = new Lease(factory.get());
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
        for (Iterator<Lease> it = toClose.iterator(); it.hasNext();) {
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
