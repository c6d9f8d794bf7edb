package dev.tributary.tck.internal;

import static dev.tributary.tck.internal.FaultRules.APPEND_DOWN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.Capability;
import dev.tributary.ClientConfig;
import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.GroupConsumer;
import dev.tributary.GroupOptions;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamReader;
import dev.tributary.StreamRecord;
import dev.tributary.tck.HistoryChecker;
import dev.tributary.tck.Tck;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the outage rules share (broker faults F1–F5, network faults F8–F9, cluster failovers R1–R3):
 * the short-timeout configuration, the group they read through, the consumer and drain of a workload
 * across the outage, and the judgement of its history.
 */
final class Outage {
    /** Kinds a consumer's poll or ack may fail with during an outage and then recover from by itself. */
    static final Set<ErrorKind> CONSUME_DOWN =
            EnumSet.of(ErrorKind.RETRYABLE, ErrorKind.BACKPRESSURE, ErrorKind.INDETERMINATE);

    private Outage() {}

    /** {@code base} with short, scaled timeouts, so that outages are noticed quickly. */
    static ClientConfig shortTimeouts(ClientConfig base, int maxInFlight) {
        Duration t = Tck.scaled(Duration.ofSeconds(3));
        return base.toBuilder()
                .requestTimeout(t)
                .connectTimeout(t)
                .closeTimeout(t)
                .maxInFlightAppends(maxInFlight)
                .build();
    }

    /** Creates a group with a scaled 5 s ack timeout (redeliveries after an outage come soon); returns its name. */
    static String shortAckGroup(StreamClient c, StreamName s) {
        String g = Tck.name("g");
        KitContext.createGroup(c, s, g, GroupOptions.defaults().withAckTimeout(Tck.scaled(Duration.ofSeconds(5))));
        return g;
    }

    /** {@link #shortAckGroup} when the backend declares CONSUMER_GROUPS; otherwise null (read with a tail reader). */
    static String groupIfSupported(StreamClient c, StreamName s) {
        return c.supports(Capability.CONSUMER_GROUPS) ? shortAckGroup(c, s) : null;
    }

    /**
     * The record a workload's producer appends as {@code key}: partitioned by producer and, when the
     * backend deduplicates, with an idempotency id unique to the run, stream and key.
     */
    static StreamRecord producerRecord(StreamName s, String producer, String key, boolean idempotent) {
        StreamRecord r = Io.rec(key, producer);
        return idempotent
                ? r.withIdempotencyId("tck-" + Tck.runId() + "-" + s.value() + "-" + key.replace('/', '-'))
                : r;
    }

    /** Records an append attempt of {@code key} that failed with {@code e}: INDETERMINATE may be stored, any other was not. */
    static void failedAttempt(HistoryChecker history, String key, StreamException e) {
        if (e.kind() == ErrorKind.INDETERMINATE) {
            history.indeterminate(key, e);
        } else {
            history.failed(key, e);
        }
    }

    /**
     * Runs one {@code step} of a client that must ride out an outage: a failure of a kind in {@code
     * waitOut} is waited out (100 ms, then {@code meanwhile} is returned); any other fails the rule with
     * the message {@code failure} makes of it.
     */
    static <T> T waitingOut(
            Set<ErrorKind> waitOut, T meanwhile, Function<StreamException, String> failure, Supplier<T> step) {
        try {
            return step.get();
        } catch (StreamException e) {
            if (!waitOut.contains(e.kind())) {
                throw new AssertionError(failure.apply(e), e);
            }
            Tck.sleep(Duration.ofMillis(100));
            return meanwhile;
        }
    }

    /** Appends with retry until stored or {@code bound} passes. */
    static EventId appendWithRetry(StreamClient c, StreamName s, StreamRecord r, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        StreamException last = null;
        while (System.nanoTime() < deadline) {
            try {
                return c.append(s, r);
            } catch (StreamException e) {
                if (!APPEND_DOWN.contains(e.kind())) {
                    throw new AssertionError(
                            "after the broker returned, an append failed with a non-retryable " + e.kind() + ": "
                                    + e.getMessage(),
                            e);
                }
                last = e;
                Tck.sleep(Duration.ofMillis(100));
            }
        }
        throw new AssertionError(
                "the client did not recover within " + bound + " after the broker returned; last error: " + last, last);
    }

    /**
     * Waits until every acknowledged append was delivered, the consumer failed, deliveries made no
     * progress for a scaled 10 s, or a scaled 60 s passed.
     */
    static void drain(HistoryChecker history, AtomicReference<Throwable> error) {
        long deadline = System.nanoTime() + Tck.scaled(Duration.ofSeconds(60)).toNanos();
        long stall = Tck.scaled(Duration.ofSeconds(10)).toNanos();
        long lastCount = -1;
        long lastChange = System.nanoTime();
        while (error.get() == null
                && System.nanoTime() < deadline
                && !Thread.currentThread().isInterrupted()) {
            HistoryChecker.Report r = history.report();
            if (r.lost().isEmpty()) {
                return;
            }
            if (r.deliveries() != lastCount) {
                lastCount = r.deliveries();
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > stall) {
                return;
            }
            Tck.sleep(Duration.ofMillis(100));
        }
    }

    /**
     * Ends a workload whose producers were told to stop: waits up to {@code producersBound} for them
     * (the rule fails if they do not finish), then for the deliveries ({@link #drain}); the consumer is
     * told to stop whatever happens, and its thread is given a scaled 10 s to end.
     */
    static void finish(
            CountDownLatch producersDone,
            Duration producersBound,
            HistoryChecker history,
            AtomicReference<Throwable> error,
            AtomicBoolean consuming,
            Thread consumer) {
        try {
            assertTrue(
                    producersDone.await(producersBound.toMillis(), TimeUnit.MILLISECONDS), "producers did not finish");
            drain(history, error);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            consuming.set(false);
        }
        try {
            consumer.join(Tck.scaled(Duration.ofSeconds(10)).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Consumes {@code s} as member c1 of {@code group} (acking each batch), or with a tail reader from
     * earliest when {@code group} is null, recording every delivery, until {@code running} is cleared;
     * retryable read failures are waited out, anything else is put in {@code error}.
     */
    static void consume(
            StreamClient c,
            StreamName s,
            String group,
            HistoryChecker history,
            AtomicBoolean running,
            AtomicReference<Throwable> error) {
        GroupConsumer m = null;
        StreamReader reader = null;
        try {
            if (group != null) {
                m = c.openGroupConsumer(s, group, "c1");
            } else {
                reader = c.openReader(s, Position.earliest());
            }
            GroupConsumer member = m;
            StreamReader tail = reader;
            while (running.get()) {
                waitingOut(
                        CONSUME_DOWN,
                        null,
                        e -> "the consumer failed with a non-retryable " + e.kind() + " during the outage: "
                                + e.getMessage(),
                        () -> {
                            List<StreamEvent> got = member != null
                                    ? member.poll(100, Duration.ofMillis(200))
                                    : tail.poll(100, Duration.ofMillis(200));
                            for (StreamEvent e : got) {
                                history.delivered("c1", Io.keyOf(e), e.id(), e.deliveryCount());
                            }
                            if (member != null && !got.isEmpty()) {
                                member.ack(Io.ids(got));
                            }
                            return null;
                        });
            }
        } catch (Throwable t) {
            error.compareAndSet(null, t);
        } finally {
            KitContext.closeQuietly(m);
            KitContext.closeQuietly(reader);
        }
    }

    /**
     * A workload across an outage kept its promises: no producer or consumer failed, something was
     * appended, nothing acknowledged was lost, nothing was invented, and per producer order held.
     */
    static void assertHistoryHeld(Throwable error, HistoryChecker.Report r) {
        if (error != null) {
            throw new AssertionError("a producer or the consumer failed: " + error + "; " + r.summary(), error);
        }
        assertTrue(r.ok() > 0, "nothing was appended: " + r.summary());
        assertEquals(List.of(), r.lost(), "every acknowledged append must be delivered: " + r.summary());
        assertEquals(
                List.of(),
                r.unexpected(),
                "nothing may be delivered that was not appended or definitely failed: " + r.summary());
        assertEquals(List.of(), r.reordered(), "per producer order must hold: " + r.summary());
    }

    /** Duplicate deliveries after {@code what} (e.g. "a restart") are at most 200 or a tenth of the acknowledged. */
    static void assertDuplicatesBounded(HistoryChecker.Report r, String what) {
        long bound = Math.max(200, r.ok() / 10);
        assertTrue(
                r.duplicateDeliveries() <= bound,
                "duplicates are expected after " + what + " but must be bounded (" + bound + "): " + r.summary());
    }
}
