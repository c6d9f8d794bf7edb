package dev.tributary.tck.internal;

import dev.tributary.EventId;
import dev.tributary.GroupConsumer;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import dev.tributary.tck.HistoryChecker;
import dev.tributary.tck.Tck;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The workload of the cluster rules: 20 producers appending one record at a time (retrying failed
 * appends of a key, with an idempotency id where the backend has them) and one group member polling
 * and acking, all recorded in a {@link HistoryChecker}. A {@link Mark} taken before a fault tells when
 * the first append <em>started after</em> it was acknowledged and when the first such record was
 * delivered: how long the client took to follow the cluster without help.
 */
final class ClusterWorkload {
    static final int PRODUCERS = 20;

    /** A point in time and the first acknowledgement and delivery of an append started after it. */
    static final class Mark {
        final long at = System.nanoTime();
        final AtomicLong firstAck = new AtomicLong();
        final AtomicLong firstDelivery = new AtomicLong();

        Optional<Duration> ackAfter() {
            long t = firstAck.get();
            return t == 0 ? Optional.empty() : Optional.of(Duration.ofNanos(t - at));
        }

        Optional<Duration> deliveryAfter() {
            long t = firstDelivery.get();
            return t == 0 ? Optional.empty() : Optional.of(Duration.ofNanos(t - at));
        }

        boolean recovered() {
            return firstAck.get() != 0 && firstDelivery.get() != 0;
        }
    }

    final HistoryChecker history;
    private final StreamClient producers;
    private final StreamClient consumer;
    private final StreamName stream;
    private final String group;
    private final boolean idempotent;
    private final AtomicBoolean producing = new AtomicBoolean(true);
    private final AtomicBoolean consuming = new AtomicBoolean(true);
    private final AtomicReference<Throwable> error = new AtomicReference<>();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final Map<String, Long> firstInvoked = new ConcurrentHashMap<>();
    private final List<Mark> marks = new CopyOnWriteArrayList<>();
    private final CountDownLatch producersDone = new CountDownLatch(PRODUCERS);
    private Thread consumerThread;

    ClusterWorkload(
            String name,
            StreamClient producers,
            StreamClient consumer,
            StreamName stream,
            String group,
            boolean idempotent) {
        this.history = new HistoryChecker(name);
        this.producers = producers;
        this.consumer = consumer;
        this.stream = stream;
        this.group = group;
        this.idempotent = idempotent;
    }

    void start(Duration giveUpAfter) {
        long giveUp = System.nanoTime() + giveUpAfter.toNanos();
        for (int p = 0; p < PRODUCERS; p++) {
            String producer = "p" + p;
            daemon("tributary-tck-cluster-" + producer, () -> produce(producer, giveUp));
        }
        consumerThread = daemon("tributary-tck-cluster-consumer", this::consume);
    }

    private static Thread daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void produce(String producer, long giveUp) {
        try {
            for (int seq = 0; producing.get() && System.nanoTime() < giveUp; seq++) {
                String key = producer + "/" + seq;
                StreamRecord r = Outage.producerRecord(stream, producer, key, idempotent);
                // a record is retried until it is acknowledged or the workload stops: a record the
                // broker keeps answering INDETERMINATE (a NATS id held as "being stored" for its
                // duplicate window) is left INDETERMINATE, and finish() does not wait for it
                while (producing.get() && System.nanoTime() < giveUp) {
                    long started = System.nanoTime();
                    firstInvoked.putIfAbsent(key, started);
                    history.invoked(key);
                    try {
                        EventId id = producers.append(stream, r);
                        history.ok(key, id);
                        acked.incrementAndGet();
                        long now = System.nanoTime();
                        for (Mark m : marks) {
                            if (started > m.at) {
                                m.firstAck.compareAndSet(0, now);
                            }
                        }
                        break;
                    } catch (StreamException e) {
                        retried.incrementAndGet();
                        if (!FaultRules.APPEND_DOWN.contains(e.kind())) {
                            throw new AssertionError(
                                    "an append failed with the non-retryable " + e.kind()
                                            + " while the cluster had a quorum: " + e.getMessage(),
                                    e);
                        }
                        Outage.failedAttempt(history, key, e);
                        Tck.sleep(Duration.ofMillis(100));
                    }
                }
                Tck.sleep(Duration.ofMillis(20));
            }
        } catch (Throwable e) {
            error.compareAndSet(null, e);
        } finally {
            producersDone.countDown();
        }
    }

    private void consume() {
        GroupConsumer m = null;
        try {
            m = consumer.openGroupConsumer(stream, group, "c1");
            GroupConsumer member = m;
            while (consuming.get()) {
                Outage.waitingOut(
                        Outage.CONSUME_DOWN,
                        null,
                        e -> "the group consumer failed with the non-retryable " + e.kind()
                                + " while the cluster had a quorum: " + e.getMessage(),
                        () -> {
                            consumeOnce(member);
                            return null;
                        });
            }
        } catch (Throwable t) {
            error.compareAndSet(null, t);
        } finally {
            KitContext.closeQuietly(m);
        }
    }

    /** One poll of the group: records the deliveries (and when a mark's first one came), then acks them. */
    private void consumeOnce(GroupConsumer m) {
        List<StreamEvent> got = m.poll(100, Duration.ofMillis(200));
        long now = System.nanoTime();
        for (StreamEvent e : got) {
            String key = Io.keyOf(e);
            history.delivered("c1", key, e.id(), e.deliveryCount());
            Long invoked = firstInvoked.get(key);
            for (Mark mark : marks) {
                if (invoked != null && invoked > mark.at) {
                    mark.firstDelivery.compareAndSet(0, now);
                }
            }
        }
        if (!got.isEmpty()) {
            m.ack(Io.ids(got));
        }
    }

    /** A mark at this instant. */
    Mark mark() {
        Mark m = new Mark();
        marks.add(m);
        return m;
    }

    long acked() {
        return acked.get();
    }

    Throwable error() {
        return error.get();
    }

    /** Waits until {@code n} appends were acknowledged; fails after {@code bound}. */
    void awaitAcked(long n, Duration bound) {
        Expect.eventually(
                bound,
                () -> "the workload did not get " + n + " appends acknowledged on the healthy cluster: " + acked.get()
                        + " acknowledged, error " + error.get(),
                () -> acked.get() >= n || error.get() != null);
    }

    /** Waits until {@code m} saw an acknowledgement and a delivery, the workload failed, or {@code bound} passed. */
    void awaitRecovered(Mark m, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!m.recovered() && error.get() == null && System.nanoTime() < deadline) {
            Tck.sleep(Duration.ofMillis(50));
        }
    }

    /**
     * Stops the producers, waits until every acknowledged append was delivered (or deliveries stall for
     * a scaled 10 s, or a scaled 60 s pass), stops the consumer and returns the report.
     */
    HistoryChecker.Report finish() {
        producing.set(false);
        try {
            if (!producersDone.await(Tck.scaled(Duration.ofSeconds(60)).toMillis(), TimeUnit.MILLISECONDS)) {
                error.compareAndSet(null, new AssertionError("producers did not finish within 60 s"));
            }
            Outage.drain(history, error);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            producing.set(false);
            consuming.set(false);
        }
        try {
            consumerThread.join(Tck.scaled(Duration.ofSeconds(10)).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return history.report();
    }

    /** Stops everything without waiting (for a rule that failed early). */
    void abort() {
        producing.set(false);
        consuming.set(false);
    }

    long retried() {
        return retried.get();
    }
}
