package dev.tributary.tck.internal;

import static dev.tributary.tck.internal.FaultRules.APPEND_DOWN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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
import dev.tributary.tck.FaultProxyFixture;
import dev.tributary.tck.HistoryChecker;
import dev.tributary.tck.ProxyControl;
import dev.tributary.tck.Tck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;

/**
 * Rules F8–F10: the network fails, not the broker. They need a fixture with a fault proxy
 * ({@code fixture().proxy()}); without one they are skipped with that reason. Clients of these rules
 * reach the broker only through the proxy; every rule heals the proxy when it ends.
 */
public final class NetworkFaultRules {
    private static final int PRODUCERS = 8;
    private static final int BATCH = 20;

    private final KitContext ctx;

    public NetworkFaultRules(KitContext ctx) {
        this.ctx = ctx;
    }

    private FaultProxyFixture proxy(String rule) {
        return ctx.fixture().proxy().orElseThrow(() -> {
            Assumptions.abort(rule + " needs a fixture with a fault proxy between the client and the broker "
                    + "(fixture '" + ctx.fixture().describe() + "' returns an empty proxy()); see FaultProxy");
            return new IllegalStateException();
        });
    }

    /** The proxy route with short, scaled timeouts, so that faults are noticed quickly. */
    private static ClientConfig shortTimeouts(FaultProxyFixture p, int maxInFlight) {
        return Outage.shortTimeouts(p.config(), maxInFlight);
    }

    /**
     * F8: while 8 producers append one record at a time, one appends batches of 20, and a group
     * member (or a tail reader) consumes, every connection is reset three times: no acknowledged append
     * is lost, and the same clients go on appending and consuming without help.
     */
    public void f8() {
        ProxyControl ctl = proxy("F8").control();
        ClientConfig cfg = shortTimeouts(proxy("F8"), 1_000);
        StreamClient producers = ctx.client(cfg);
        StreamClient consumers = ctx.client(cfg);
        StreamName s = ctx.created(producers, "f8");
        String g = Outage.groupIfSupported(producers, s);
        boolean groups = g != null;
        HistoryChecker history = new HistoryChecker("F8 every connection reset 3 times; " + PRODUCERS + " producers, "
                + "batches of " + BATCH + ", " + (groups ? "a group member" : "a tail reader"));
        AtomicBoolean producing = new AtomicBoolean(true);
        AtomicBoolean consuming = new AtomicBoolean(true);
        AtomicReference<Throwable> error = new AtomicReference<>();
        AtomicLong acknowledged = new AtomicLong();
        long giveUp = System.nanoTime() + Tck.scaled(Duration.ofSeconds(60)).toNanos();
        CountDownLatch done = new CountDownLatch(PRODUCERS + 1);
        for (int p = 0; p <= PRODUCERS; p++) {
            String producer = p == PRODUCERS ? "batch" : "p" + p;
            daemon("tributary-tck-f8-" + producer, () -> {
                try {
                    for (int seq = 0;
                            producing.get() && System.nanoTime() < giveUp;
                            seq += producer.equals("batch") ? BATCH : 1) {
                        List<String> keys = new ArrayList<>();
                        for (int i = 0; i < (producer.equals("batch") ? BATCH : 1); i++) {
                            keys.add(producer + "/" + (seq + i));
                        }
                        appendUntilAcknowledged(producers, s, keys, history, giveUp);
                        acknowledged.addAndGet(keys.size());
                        Tck.sleep(Duration.ofMillis(10));
                    }
                } catch (Throwable t) {
                    error.compareAndSet(null, t);
                } finally {
                    done.countDown();
                }
            });
        }
        Thread consumer =
                daemon("tributary-tck-f8-consumer", () -> Outage.consume(consumers, s, g, history, consuming, error));
        long beforeLastReset;
        try {
            Tck.sleep(Tck.scaled(Duration.ofSeconds(1)));
            for (int i = 0; i < 3; i++) {
                ctl.resetAll();
                Tck.sleep(Tck.scaled(Duration.ofSeconds(1)));
            }
            beforeLastReset = acknowledged.get();
            ctl.resetAll();
            Tck.sleep(Tck.scaled(Duration.ofSeconds(3)));
        } finally {
            producing.set(false);
            ctl.heal();
        }
        Outage.finish(done, Tck.scaled(Duration.ofSeconds(60)), history, error, consuming, consumer);
        HistoryChecker.Report r = history.report();
        System.out.println(r.summary());
        if (error.get() != null) {
            throw new AssertionError(
                    "a producer or the consumer failed: " + error.get() + "; " + r.summary(), error.get());
        }
        assertTrue(
                acknowledged.get() > beforeLastReset,
                "no append was acknowledged after the last reset: the client " + "did not recover by itself; "
                        + r.summary());
        assertEquals(List.of(), r.lost(), "every acknowledged append must be delivered: " + r.summary());
        assertEquals(
                List.of(),
                r.unexpected(),
                "an append that failed RETRYABLE or BACKPRESSURE (\"not stored\") was "
                        + "delivered; an append that may have reached the broker must fail INDETERMINATE: "
                        + r.summary());
        assertEquals(List.of(), r.reordered(), "per producer order must hold: " + r.summary());
        assertEquals(List.of(), r.mismatched(), "deliveries under the ids their appends returned: " + r.summary());
        long bound = Math.max(200, r.ok() / 10);
        assertTrue(
                r.duplicateDeliveries() <= bound,
                "duplicates after resets must be bounded (" + bound + "): " + r.summary());
    }

    /** Appends {@code keys} (one record, or one batch) with retry until acknowledged, recording every attempt. */
    private static void appendUntilAcknowledged(
            StreamClient c, StreamName s, List<String> keys, HistoryChecker history, long giveUp) {
        List<StreamRecord> records = new ArrayList<>();
        for (String k : keys) {
            records.add(Io.rec(k, k.substring(0, k.indexOf('/'))));
        }
        StreamException last = null;
        while (System.nanoTime() < giveUp) {
            keys.forEach(history::invoked);
            try {
                List<EventId> ids = keys.size() == 1 ? List.of(c.append(s, records.get(0))) : c.appendBatch(s, records);
                for (int i = 0; i < keys.size(); i++) {
                    history.ok(keys.get(i), ids.get(i));
                }
                return;
            } catch (StreamException e) {
                if (!APPEND_DOWN.contains(e.kind())) {
                    throw new AssertionError(
                            "an append failed with a non-retryable " + e.kind() + " after a " + "connection reset: "
                                    + e.getMessage(),
                            e);
                }
                for (String k : keys) {
                    Outage.failedAttempt(history, k, e);
                }
                last = e;
                Tck.sleep(Duration.ofMillis(100));
            }
        }
        throw new AssertionError("appends did not succeed again within the rule's bound; last error: " + last, last);
    }

    /**
     * F9: with every byte black-holed for longer than the request and connect timeouts, an append
     * fails RETRYABLE, BACKPRESSURE or INDETERMINATE, info and range fail RETRYABLE, and polls return
     * (empty or RETRYABLE), each within its bound; once healed, the same client, reader and group
     * member go on. An append that failed "not stored" must not show up once the held bytes flow.
     */
    public void f9() {
        FaultProxyFixture p = proxy("F9");
        ProxyControl ctl = p.control();
        ClientConfig cfg = shortTimeouts(p, 100);
        StreamClient c = ctx.client(cfg);
        StreamName s = ctx.created(c, "f9");
        String g = Outage.groupIfSupported(c, s);
        HistoryChecker history = new HistoryChecker("F9 traffic black-holed, then healed");
        StreamReader reader = c.openReader(s, Position.earliest());
        GroupConsumer m = g != null ? c.openGroupConsumer(s, g, "m1") : null;
        try {
            history.invoked("f9/0");
            history.ok("f9/0", c.append(s, Io.rec("f9/0")));
            deliver(history, "reader", Io.read(reader, 1, Tck.scaled(Duration.ofSeconds(10))));
            if (m != null) {
                deliver(history, "m1", Io.poll(m, 1, Tck.scaled(Duration.ofSeconds(10)), true));
            }
            Duration timeouts = cfg.requestTimeout().compareTo(cfg.connectTimeout()) > 0
                    ? cfg.requestTimeout()
                    : cfg.connectTimeout();
            Duration bound = timeouts.plus(Tck.scaled(Duration.ofSeconds(5)));
            long t0 = System.nanoTime();
            try {
                ctl.blackhole(true);
                List<Call> calls = new ArrayList<>();
                calls.add(Call.start("append", () -> {
                    history.invoked("f9/1");
                    try {
                        history.ok("f9/1", c.append(s, Io.rec("f9/1")));
                        return "an id";
                    } catch (StreamException e) {
                        if (e.kind() == ErrorKind.INDETERMINATE) {
                            history.indeterminate("f9/1", e);
                        } else {
                            history.failed("f9/1", e);
                        }
                        throw e;
                    }
                }));
                calls.add(Call.start("info", () -> c.info(s)));
                calls.add(Call.start("range", () -> c.range(s, Position.earliest(), null, 10)));
                calls.add(Call.start("reader poll", () -> reader.poll(10, Duration.ofMillis(200))));
                if (m != null) {
                    calls.add(Call.start("group poll", () -> m.poll(10, Duration.ofMillis(200))));
                }
                for (Call call : calls) {
                    call.expect(
                            bound,
                            call.name().equals("append") ? APPEND_DOWN : java.util.EnumSet.of(ErrorKind.RETRYABLE),
                            call.name().endsWith("poll"));
                }
                // black-holed longer than every timeout of the client
                Tck.sleep(Duration.ofNanos(Math.max(
                        0, t0 + timeouts.plus(Tck.scaled(Duration.ofSeconds(1))).toNanos() - System.nanoTime())));
            } finally {
                ctl.heal();
            }
            System.out.println("F9: black-holed for "
                    + Duration.ofNanos(System.nanoTime() - t0).toMillis() + " ms");
            history.invoked("f9/2");
            EventId after = Outage.appendWithRetry(c, s, Io.rec("f9/2"), Tck.scaled(Duration.ofSeconds(30)));
            history.ok("f9/2", after);
            awaitKey(history, "reader", "f9/2", () -> reader.poll(10, Duration.ofMillis(200)), null);
            if (m != null) {
                awaitKey(history, "m1", "f9/2", () -> m.poll(10, Duration.ofMillis(200)), m);
            }
            deliver(history, "range", c.range(s, Position.earliest(), null, 100));
            HistoryChecker.Report r = history.report();
            System.out.println(r.summary());
            assertEquals(
                    List.of(),
                    r.unexpected(),
                    "the append made during the black hole failed RETRYABLE or "
                            + "BACKPRESSURE (\"not stored\") but was stored once the network healed: it had been sent, so it "
                            + "must fail INDETERMINATE; " + r.summary());
            assertEquals(List.of(), r.lost(), "after healing: " + r.summary());
            assertTrue(c.info(s).lastId().isPresent(), "info after healing");
            assertTrue(c.health().up(), "health after healing");
        } finally {
            KitContext.closeQuietly(reader);
            KitContext.closeQuietly(m);
        }
    }

    private static void awaitKey(
            HistoryChecker history,
            String consumer,
            String key,
            java.util.function.Supplier<List<StreamEvent>> poll,
            GroupConsumer ackWith) {
        long deadline = System.nanoTime() + Tck.scaled(Duration.ofSeconds(30)).toNanos();
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            List<StreamEvent> got;
            try {
                got = poll.get();
                if (ackWith != null && !got.isEmpty()) {
                    ackWith.ack(Io.ids(got));
                }
            } catch (StreamException e) {
                if (e.kind() != ErrorKind.RETRYABLE) {
                    throw new AssertionError(
                            "after healing, the " + consumer + " failed with a non-retryable " + e.kind()
                                    + "; it must recover by itself: " + e.getMessage(),
                            e);
                }
                Tck.sleep(Duration.ofMillis(100));
                continue;
            }
            deliver(history, consumer, got);
            seen.addAll(Io.keys(got));
            if (seen.contains(key)) {
                return;
            }
        }
        fail("the same " + consumer + " did not receive " + key + " within 30 s after the network healed; it received "
                + seen);
    }

    private static void deliver(HistoryChecker history, String consumer, List<StreamEvent> events) {
        for (StreamEvent e : events) {
            history.delivered(consumer, Io.keyOf(e), e.id(), e.deliveryCount());
        }
    }

    /**
     * F10: with 200 ms added in each direction, the fixture's configuration (its default timeouts)
     * appends pipelined, one at a time and in batches, reads, ranges, answers info and (with groups)
     * delivers and acks — all correct and without a single failure.
     */
    public void f10() {
        FaultProxyFixture p = proxy("F10");
        ProxyControl ctl = p.control();
        Duration latency = Duration.ofMillis(200);
        try {
            ctl.latency(latency);
            new LatencyWorkload(ctx, p.config(), "F10 " + latency.toMillis() + " ms each way").run();
        } catch (StreamException e) {
            throw new AssertionError(
                    "a call failed with " + latency.toMillis() + " ms of latency each way and the "
                            + "default timeouts (a spurious failure): " + e.kind() + ": " + e.getMessage(),
                    e);
        } finally {
            ctl.heal();
        }
    }

    static Thread daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
