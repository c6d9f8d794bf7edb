package dev.tributary.tck.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tributary.Capability;
import dev.tributary.ClientConfig;
import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.GroupConsumer;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamReader;
import dev.tributary.StreamRecord;
import dev.tributary.tck.BrokerControl;
import dev.tributary.tck.HistoryChecker;
import dev.tributary.tck.Tck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.function.Executable;

/**
 * Rules F1–F5: faults. They need a fixture that controls its broker ({@code fixture().control()});
 * without one they are skipped with that reason. Every rule leaves the broker running (resumed and
 * started) whatever happens.
 */
public final class FaultRules {
    /** Kinds an append may fail with while the broker is down: retry may succeed, or the outcome is unknown. */
    static final Set<ErrorKind> APPEND_DOWN =
            EnumSet.of(ErrorKind.RETRYABLE, ErrorKind.BACKPRESSURE, ErrorKind.INDETERMINATE);
    /** Kinds a read or info may fail with while the broker is down. */
    static final Set<ErrorKind> READ_DOWN = EnumSet.of(ErrorKind.RETRYABLE, ErrorKind.BACKPRESSURE);

    private final KitContext ctx;

    public FaultRules(KitContext ctx) {
        this.ctx = ctx;
    }

    private BrokerControl control() {
        return ctx.fixture().control().orElseThrow(() -> {
            Assumptions.abort(
                    "fixture '" + ctx.fixture().describe() + "' offers no broker control (fixture().control() "
                            + "is empty); the F rules need a fixture that can stop, start, kill, pause and resume its broker");
            return new IllegalStateException();
        });
    }

    /** The fixture's configuration with short, scaled timeouts, so outages are noticed quickly. */
    private ClientConfig shortTimeouts(int maxInFlight) {
        return Outage.shortTimeouts(ctx.fixture().config(), maxInFlight);
    }

    private void restore(BrokerControl ctl) {
        try {
            ctl.resume();
        } finally {
            ctl.start();
        }
    }

    /** {@code call}, made during the outage, fails with one of {@code kinds} within {@code bound}; returns the failure. */
    private static StreamException failsWithin(
            Duration bound, String what, Set<ErrorKind> kinds, String expectation, Executable call) {
        return Expect.within(bound, what, () -> Expect.kindIn(kinds, expectation, call));
    }

    /** A rule's broker control, its client with short timeouts ({@link #shortTimeouts}), and a fresh stream. */
    private record Setup(String rule, BrokerControl ctl, ClientConfig cfg, StreamClient c, StreamName s) {
        /** Appends the rule's first event, {@code rule/0}, before the outage. */
        Setup withFirstEvent() {
            c.append(s, Io.rec(rule + "/0"));
            return this;
        }

        /**
         * The first append with the broker {@code state} ({@code rule/1}) fails with a retryable kind
         * within {@code bound}; prints how.
         */
        void firstAppendFails(Duration bound, String state, String expectation) {
            StreamException e = failsWithin(
                    bound,
                    "append with the broker " + state,
                    APPEND_DOWN,
                    expectation,
                    () -> c.append(s, Io.rec(rule + "/1")));
            System.out.println(rule.toUpperCase(java.util.Locale.ROOT) + ": append with the broker " + state
                    + " failed with " + e.kind() + ": " + e.getMessage());
        }

        /** The bound of one call during the outage: the request timeout plus a scaled 5 s. */
        Duration callBound() {
            return cfg.requestTimeout().plus(Tck.scaled(Duration.ofSeconds(5)));
        }
    }

    private Setup setup(String rule, int maxInFlight) {
        BrokerControl ctl = control();
        ClientConfig cfg = shortTimeouts(maxInFlight);
        StreamClient c = ctx.client(cfg);
        return new Setup(rule, ctl, cfg, c, ctx.created(c, rule));
    }

    public void f1() {
        Setup x = setup("f1", 50).withFirstEvent();
        BrokerControl ctl = x.ctl();
        StreamClient c = x.c();
        StreamName s = x.s();
        Duration bound = x.callBound();
        try {
            ctl.stop();
            x.firstAppendFails(bound, "stopped", "append with the broker stopped fails with a retryable kind");
            // no unbounded buffering: 2x the in-flight window of appends all end, none is kept for later
            List<CompletableFuture<EventId>> futures = new ArrayList<>();
            Expect.within(
                    bound.multipliedBy(4), "100 appendAsync calls with the broker stopped and a window of 50", () -> {
                        for (int i = 0; i < 100; i++) {
                            try {
                                futures.add(c.appendAsync(s, Io.rec("f1/w" + i)));
                            } catch (StreamException se) {
                                if (!APPEND_DOWN.contains(se.kind())) {
                                    throw new AssertionError(
                                            "appendAsync with the broker stopped threw " + se.kind(), se);
                                }
                            }
                        }
                        return null;
                    });
            for (CompletableFuture<EventId> f : futures) {
                try {
                    EventId id = Io.await(f, bound.multipliedBy(2));
                    fail("an append with the broker stopped succeeded with id " + id);
                } catch (StreamException se) {
                    assertTrue(
                            APPEND_DOWN.contains(se.kind()),
                            "a pending append failed with " + se.kind() + "; expected a retryable kind");
                }
            }
            failsWithin(
                    bound,
                    "range with the broker stopped",
                    READ_DOWN,
                    "range must propagate the broker failure (H2), never return an empty list",
                    () -> c.range(s, Position.earliest(), null, 10));
            failsWithin(
                    bound,
                    "info with the broker stopped",
                    READ_DOWN,
                    "info must propagate the broker failure, never answer 'missing'",
                    () -> c.info(s));
        } finally {
            restore(ctl);
        }
        Outage.appendWithRetry(c, s, Io.rec("f1/after"), Tck.scaled(Duration.ofSeconds(60)));
        List<String> keys = Io.keys(Io.readExactly(c, s, Position.earliest(), 2));
        assertEquals(
                List.of("f1/0", "f1/after"),
                keys,
                "only the appends acknowledged are stored: nothing buffered " + "during the outage was written later");
    }

    public void f2() {
        BrokerControl ctl = control();
        ClientConfig cfg = shortTimeouts(1000);
        StreamClient producerClient = ctx.client(cfg);
        StreamClient consumerClient = ctx.client(cfg);
        StreamName s = ctx.created(producerClient, "f2");
        String g = Outage.groupIfSupported(producerClient, s);
        boolean groups = g != null;
        boolean idempotent = producerClient.supports(Capability.IDEMPOTENT_APPEND);
        HistoryChecker history =
                new HistoryChecker("F2 20 producers, broker " + (ctx.hooks().faultsKillBroker() ? "killed" : "stopped")
                        + " and restarted" + (groups ? ", group consumer" : ", tail reader"));
        AtomicBoolean producing = new AtomicBoolean(true);
        AtomicBoolean consuming = new AtomicBoolean(true);
        AtomicReference<Throwable> error = new AtomicReference<>();
        java.util.concurrent.atomic.AtomicLong retried = new java.util.concurrent.atomic.AtomicLong();
        long giveUp = System.nanoTime() + Tck.scaled(Duration.ofSeconds(120)).toNanos();
        CountDownLatch producersDone = new CountDownLatch(20);
        for (int p = 0; p < 20; p++) {
            String producer = "p" + p;
            Thread t = new Thread(
                    () -> {
                        try {
                            for (int seq = 0; producing.get() && System.nanoTime() < giveUp; seq++) {
                                String key = producer + "/" + seq;
                                StreamRecord r = Outage.producerRecord(s, producer, key, idempotent);
                                while (System.nanoTime() < giveUp) {
                                    history.invoked(key);
                                    try {
                                        history.ok(key, producerClient.append(s, r));
                                        break;
                                    } catch (StreamException e) {
                                        retried.incrementAndGet();
                                        if (!APPEND_DOWN.contains(e.kind())) {
                                            throw e;
                                        }
                                        Outage.failedAttempt(history, key, e);
                                        Tck.sleep(Duration.ofMillis(100));
                                    }
                                }
                                Tck.sleep(Duration.ofMillis(10));
                            }
                        } catch (Throwable e) {
                            error.compareAndSet(null, e);
                        } finally {
                            producersDone.countDown();
                        }
                    },
                    "tributary-tck-f2-" + producer);
            t.setDaemon(true);
            t.start();
        }
        Thread consumer = new Thread(
                () -> Outage.consume(consumerClient, s, g, history, consuming, error), "tributary-tck-f2-consumer");
        consumer.setDaemon(true);
        consumer.start();
        try {
            Tck.sleep(Tck.scaled(Duration.ofMillis(1500)));
            if (ctx.hooks().faultsKillBroker()) {
                ctl.kill();
            } else {
                ctl.stop();
            }
            // down longer than the request timeout, so that appends fail and producers retry
            Tck.sleep(cfg.requestTimeout().plus(Tck.scaled(Duration.ofSeconds(1))));
        } finally {
            restore(ctl);
        }
        Tck.sleep(Tck.scaled(Duration.ofSeconds(2)));
        producing.set(false);
        Outage.finish(producersDone, Tck.scaled(Duration.ofSeconds(120)), history, error, consuming, consumer);
        HistoryChecker.Report r = history.report();
        System.out.println(r.summary() + " " + retried.get() + " append attempts failed and were retried.");
        Outage.assertHistoryHeld(error.get(), r);
        Outage.assertDuplicatesBounded(r, "a restart");
    }

    public void f3() {
        Setup x = setup("f3", 100).withFirstEvent();
        BrokerControl ctl = x.ctl();
        StreamClient c = x.c();
        StreamName s = x.s();
        Duration bound = x.callBound();
        try {
            ctl.pause();
            x.firstAppendFails(
                    bound,
                    "paused",
                    "append with the broker paused fails with a retryable kind after the request timeout");
            failsWithin(
                    bound,
                    "info with the broker paused",
                    READ_DOWN,
                    "info with the broker paused fails with a retryable kind",
                    () -> c.info(s));
            failsWithin(
                    bound,
                    "range with the broker paused",
                    READ_DOWN,
                    "range with the broker paused fails with a retryable kind",
                    () -> c.range(s, Position.earliest(), null, 10));
        } finally {
            restore(ctl);
        }
        EventId id = Outage.appendWithRetry(c, s, Io.rec("f3/after"), Tck.scaled(Duration.ofSeconds(60)));
        // f3/1 may or may not be stored; a replicated cluster may answer RETRYABLE for a moment after the append
        List<String> read = new ArrayList<>();
        Expect.eventually(
                Tck.scaled(Duration.ofSeconds(30)), () -> "the same client reads after resume: " + read, () -> {
                    try {
                        read.clear();
                        read.addAll(Io.keys(Io.readAvailable(c, s, Position.earliest())));
                        return read.contains("f3/after");
                    } catch (StreamException e) {
                        if (!e.isRetryable()) {
                            throw e;
                        }
                        return false;
                    }
                });
        assertEquals(id, c.info(s).lastId().orElse(null), "info after resume");
        assertTrue(c.health().up(), "health after resume");
    }

    public void f4() {
        Setup x = setup("f4", 100);
        BrokerControl ctl = x.ctl();
        StreamClient c = x.c();
        StreamName s = x.s();
        String g = Outage.groupIfSupported(c, s);
        HistoryChecker history = new HistoryChecker("F4 group deliveries across a broker restart");
        StreamReader reader = c.openReader(s, Position.earliest());
        GroupConsumer m = g != null ? c.openGroupConsumer(s, g, "m1") : null;
        try {
            for (int i = 0; i < 5; i++) {
                String k = "f4/" + i;
                history.invoked(k);
                history.ok(k, c.append(s, Io.rec(k)));
            }
            assertEquals(
                    Io.expectedKeys("f4", 0, 5),
                    Io.keys(Io.read(reader, 5, Tck.scaled(Duration.ofSeconds(10)))),
                    "reader before the outage");
            if (m != null) {
                for (StreamEvent e : Io.poll(m, 5, Tck.scaled(Duration.ofSeconds(10)), true)) {
                    history.delivered("m1", Io.keyOf(e), e.id(), e.deliveryCount());
                }
            }
            try {
                if (ctx.hooks().faultsKillBroker()) {
                    ctl.kill();
                } else {
                    ctl.stop();
                }
                long until =
                        System.nanoTime() + Tck.scaled(Duration.ofSeconds(1)).toNanos();
                while (System.nanoTime() < until) {
                    pollThroughOutage(() -> reader.poll(10, Duration.ofMillis(200)), "reader");
                    if (m != null) {
                        pollThroughOutage(() -> m.poll(10, Duration.ofMillis(200)), "group consumer");
                    }
                }
            } finally {
                restore(ctl);
            }
            for (int i = 5; i < 10; i++) {
                String k = "f4/" + i;
                history.invoked(k);
                history.ok(k, Outage.appendWithRetry(c, s, Io.rec(k), Tck.scaled(Duration.ofSeconds(60))));
            }
            List<StreamEvent> after = new ArrayList<>();
            long deadline =
                    System.nanoTime() + Tck.scaled(Duration.ofSeconds(60)).toNanos();
            while (after.size() < 5 && System.nanoTime() < deadline) {
                after.addAll(pollThroughOutage(() -> reader.poll(10, Duration.ofMillis(200)), "reader"));
            }
            after.addAll(pollThroughOutage(() -> reader.poll(10, Duration.ofMillis(200)), "reader"));
            assertEquals(
                    Io.expectedKeys("f4", 5, 10),
                    Io.keys(after),
                    "the same reader resumes after the reconnect " + "exactly where it was, without help");
            if (m != null) {
                deadline =
                        System.nanoTime() + Tck.scaled(Duration.ofSeconds(60)).toNanos();
                while (!history.report().lost().isEmpty() && System.nanoTime() < deadline) {
                    List<StreamEvent> got =
                            pollThroughOutage(() -> m.poll(10, Duration.ofMillis(200)), "group consumer");
                    for (StreamEvent e : got) {
                        history.delivered("m1", Io.keyOf(e), e.id(), e.deliveryCount());
                    }
                    if (!got.isEmpty()) {
                        m.ack(Io.ids(got));
                    }
                }
                HistoryChecker.Report r = history.report();
                System.out.println(r.summary());
                assertTrue(
                        r.clean(),
                        "the same group consumer resumes deliveries after the reconnect without help: " + r.summary());
            }
        } finally {
            KitContext.closeQuietly(reader);
            KitContext.closeQuietly(m);
        }
    }

    private static List<StreamEvent> pollThroughOutage(
            java.util.function.Supplier<List<StreamEvent>> poll, String what) {
        return Outage.waitingOut(
                READ_DOWN,
                List.of(),
                e -> "the " + what + " failed with a non-retryable " + e.kind()
                        + " during or after the outage; it must recover by itself: " + e.getMessage(),
                poll);
    }

    public void f5() {
        Setup x = setup("f5", 100).withFirstEvent();
        BrokerControl ctl = x.ctl();
        StreamClient c = x.c();
        StreamName s = x.s();
        StreamReader reader = c.openReader(s, Position.latest());
        Duration bound = Tck.scaled(Duration.ofSeconds(5));
        AtomicReference<Object> outcome = new AtomicReference<>();
        try {
            ctl.pause();
            Thread poller = new Thread(
                    () -> {
                        try {
                            outcome.set(reader.poll(10, Duration.ofSeconds(30)));
                        } catch (Throwable t) {
                            outcome.set(t);
                        }
                    },
                    "tributary-tck-f5-poller");
            poller.setDaemon(true);
            poller.start();
            Tck.sleep(Tck.scaledMillis(300));
            long t0 = System.nanoTime();
            Expect.within(bound.plus(Tck.scaled(Duration.ofSeconds(10))), "close() with the broker paused", () -> {
                c.close();
                return null;
            });
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertTrue(
                    took.compareTo(bound) <= 0,
                    "close() with the broker paused took " + took + "; it must return " + "within " + bound);
            poller.join(bound.toMillis());
            assertFalse(poller.isAlive(), "close() with the broker paused did not wake a blocked poll within " + bound);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            restore(ctl);
        }
    }
}
