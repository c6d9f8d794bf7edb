package dev.tributary.tck.processor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.Capability;
import dev.tributary.ClientConfig;
import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.Headers;
import dev.tributary.StreamClient;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.core.Codecs;
import dev.tributary.core.GroupProcessor;
import dev.tributary.core.Handler;
import dev.tributary.core.Processor;
import dev.tributary.core.Publisher;
import dev.tributary.core.TailProcessor;
import dev.tributary.tck.BrokerControl;
import dev.tributary.tck.FaultProxyFixture;
import dev.tributary.tck.HistoryChecker;
import dev.tributary.tck.ProxyControl;
import dev.tributary.tck.Tck;
import dev.tributary.tck.internal.Expect;
import dev.tributary.tck.internal.Io;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;

/**
 * Rule F11, a randomized fault run in the manner of Jepsen: a default {@link Publisher} publishes
 * {@value #KEYS} keys round-robin while a {@link GroupProcessor} (where the backend has groups) and
 * a {@link TailProcessor} handle the stream, and a random mix of faults hits the broker and, when
 * the fixture has a fault proxy, the network: kills (or graceful restarts where a kill may lose
 * acknowledged data), pauses, connection resets, black-holes and added latency. Each processor's
 * deliveries are judged by its own {@link HistoryChecker}: 0 acknowledged events lost, 0 per-key
 * reorders (redeliveries excepted), nothing unexpected; duplicates are counted and printed with the
 * longest stall of each processor and the fault timeline. The seed is printed, and
 * {@value #SEED_PROPERTY} replays a run's fault schedule.
 */
public final class RandomFaultRules {
    /** System property that fixes the seed of the fault schedule. */
    public static final String SEED_PROPERTY = "tributary.tck.f11.seed";
    /** System property for the length of the faulty phase (default 60 s, scaled). */
    public static final String DURATION_PROPERTY = "tributary.tck.f11.duration";

    private static final int KEYS = 20;

    private final ProcessorKit kit;

    public RandomFaultRules(ProcessorKit kit) {
        this.kit = kit;
    }

    public void f11(boolean killLosesNothing) throws InterruptedException {
        BrokerControl broker = kit.fixture().control().orElse(null);
        Assumptions.assumeTrue(broker != null, "F11 needs a fixture with BrokerControl");
        FaultProxyFixture proxy = kit.fixture().proxy().orElse(null);
        ClientConfig cfg = (proxy != null ? proxy.config() : kit.fixture().config())
                .toBuilder()
                        .requestTimeout(Tck.scaled(Duration.ofSeconds(3)))
                        .connectTimeout(Tck.scaled(Duration.ofSeconds(3)))
                        .closeTimeout(Tck.scaled(Duration.ofSeconds(3)))
                        .build();
        StreamClient producer = kit.client(cfg);
        StreamClient consumer = kit.client(cfg);
        StreamName s = kit.created(producer, "f11");
        long seed = Long.getLong(SEED_PROPERTY, System.nanoTime());
        Duration faulty = Tck.scaled(Duration.ofSeconds(Long.getLong(DURATION_PROPERTY, 60)));
        Map<String, Lane> lanes = new LinkedHashMap<>();
        lanes.put("tail", new Lane("F11 tail processor, seed " + seed));
        List<Processor> processors = new ArrayList<>();
        processors.add(kit.track(TailProcessor.builder(consumer, s, Codecs.utf8())
                .name(Tck.name("f11-tail"))
                .handler(lanes.get("tail").handler("tail"))
                .build()));
        String group = Tck.name("f11-group");
        boolean groups = consumer.supports(Capability.CONSUMER_GROUPS);
        if (groups) {
            lanes.put("group", new Lane("F11 group processor, seed " + seed));
            processors.add(kit.track(GroupProcessor.builder(consumer, s, group, Codecs.utf8())
                    .name(Tck.name("f11-group"))
                    .concurrency(4)
                    .handler(lanes.get("group").handler("group"))
                    .build()));
        }
        processors.forEach(Processor::start);
        FaultSchedule faults =
                new FaultSchedule(new Random(seed), broker, proxy == null ? null : proxy.control(), killLosesNothing);
        Map<String, CompletableFuture<EventId>> published = new LinkedHashMap<>();
        try (Publisher<String> publisher =
                Publisher.builder(producer, s, Codecs.utf8()).build()) {
            long end = System.nanoTime() + faulty.toNanos();
            long nextFault =
                    System.nanoTime() + Tck.scaled(Duration.ofSeconds(2)).toNanos();
            try {
                for (int seq = 0; System.nanoTime() < end; seq++) {
                    if (System.nanoTime() >= nextFault) {
                        nextFault = System.nanoTime() + faults.next().toNanos();
                    }
                    faults.tick();
                    String key = "k" + (seq % KEYS);
                    String identity = key + "/" + (seq / KEYS);
                    lanes.values().forEach(l -> l.history.invoked(identity));
                    try {
                        published.put(identity, publisher.publish(identity, key, Headers.of(Io.KEY_HEADER, identity)));
                    } catch (StreamException e) {
                        lanes.values().forEach(l -> l.history.failed(identity, e)); // BACKPRESSURE: not stored
                    }
                    Tck.sleep(Duration.ofMillis(10));
                }
            } finally {
                faults.healAll();
            }
            assertTrue(
                    publisher.flush(Tck.scaled(Duration.ofSeconds(150))),
                    "the publisher settled every event "
                            + "within its delivery deadline once the faults ended; in flight: " + publisher.inFlight());
        }
        published.forEach((identity, f) -> record(lanes, identity, f));
        for (Lane lane : lanes.values()) {
            Expect.eventually(
                    Tck.scaled(Duration.ofSeconds(90)),
                    () -> lane.history.report().summary() + "; seed " + seed + ", faults: " + faults.timeline()
                            + "; longest stall " + lane.longestStallMs() + " ms"
                            + (groups ? "; " + Diagnostics.group(producer, s, group) : "")
                            + Diagnostics.processors(processors),
                    () -> lane.history.report().lost().isEmpty());
        }
        for (Processor p : processors) {
            assertTrue(p.stop(Tck.scaled(Duration.ofSeconds(10))), p + " stopped");
        }
        System.out.println("[F11] seed " + seed + " (replay with -D" + SEED_PROPERTY + "=" + seed + "); faults: "
                + faults.timeline());
        for (Map.Entry<String, Lane> e : lanes.entrySet()) {
            HistoryChecker.Report r = e.getValue().history.report();
            System.out.println("[F11] " + r.summary() + " Longest stall of the " + e.getKey() + " processor: "
                    + e.getValue().longestStallMs() + " ms.");
            assertEquals(List.of(), r.lost(), e.getKey() + ": every acknowledged event handled: " + r.summary());
            assertEquals(List.of(), r.reordered(), e.getKey() + ": per-key order (seed " + seed + "): " + r.summary());
            assertEquals(List.of(), r.unexpected(), e.getKey() + ": " + r.summary());
            assertEquals(List.of(), r.mismatched(), e.getKey() + ": " + r.summary());
        }
    }

    private static void record(Map<String, Lane> lanes, String identity, CompletableFuture<EventId> f) {
        try {
            EventId id = f.join();
            lanes.values().forEach(l -> l.history.ok(identity, id));
        } catch (RuntimeException e) {
            StreamException se = StreamException.unwrap(e);
            if (se.kind() == ErrorKind.INDETERMINATE) {
                lanes.values().forEach(l -> l.history.indeterminate(identity, se));
            } else {
                lanes.values().forEach(l -> l.history.failed(identity, se));
            }
        }
    }

    /** One processor's history and its longest pause between two handled events. */
    private static final class Lane {
        final HistoryChecker history;
        final AtomicLong last = new AtomicLong();
        final AtomicLong longestStall = new AtomicLong();

        Lane(String name) {
            this.history = new HistoryChecker(name);
        }

        Handler<String> handler(String name) {
            return m -> {
                long now = System.nanoTime();
                long before = last.getAndSet(now);
                if (before != 0) {
                    longestStall.accumulateAndGet(now - before, Math::max);
                }
                history.delivered(
                        name, m.headers().first(Io.KEY_HEADER).orElse("?" + m.id()), m.id(), m.deliveryCount());
            };
        }

        long longestStallMs() {
            return longestStall.get() / 1_000_000;
        }
    }

    /** The random faults: one at a time, each undone before the next starts. */
    private static final class FaultSchedule {
        private final Random random;
        private final BrokerControl broker;
        private final ProxyControl proxy;
        private final boolean kill;
        private final List<String> timeline = new ArrayList<>();
        private final long t0 = System.nanoTime();
        private Runnable undo;
        private long undoAt;

        FaultSchedule(Random random, BrokerControl broker, ProxyControl proxy, boolean kill) {
            this.random = random;
            this.broker = broker;
            this.proxy = proxy;
            this.kill = kill;
        }

        /** Undoes the running fault once its time is up. */
        void tick() {
            if (undo != null && System.nanoTime() >= undoAt) {
                Runnable u = undo;
                undo = null;
                u.run();
            }
        }

        /** Starts the next fault (after undoing the running one); returns the pause before the one after. */
        Duration next() {
            if (undo != null) {
                undo.run();
                undo = null;
            }
            int kinds = proxy == null ? 2 : 6;
            long lastsMs = 1_000L + random.nextInt(4_000);
            switch (random.nextInt(kinds)) {
                case 0 -> {
                    note((kill ? "kill" : "stop") + " for " + lastsMs + " ms");
                    if (kill) {
                        broker.kill();
                    } else {
                        broker.stop();
                    }
                    until(lastsMs, broker::start);
                }
                case 1 -> {
                    note("pause for " + lastsMs + " ms");
                    broker.pause();
                    until(lastsMs, broker::resume);
                }
                case 2, 3 -> {
                    note("reset every connection");
                    proxy.resetAll();
                }
                case 4 -> {
                    note("black-hole for " + lastsMs + " ms");
                    proxy.blackhole(true);
                    until(lastsMs, () -> proxy.blackhole(false));
                }
                default -> {
                    note("200 ms latency for " + lastsMs + " ms");
                    proxy.latency(Duration.ofMillis(200));
                    until(lastsMs, () -> proxy.latency(Duration.ZERO));
                }
            }
            return Tck.scaled(Duration.ofMillis(lastsMs + 2_000 + random.nextInt(4_000)));
        }

        private void until(long ms, Runnable u) {
            undo = u;
            undoAt = System.nanoTime() + Tck.scaledMillis(ms).toNanos();
        }

        private void note(String fault) {
            timeline.add(String.format("%.1fs %s", (System.nanoTime() - t0) / 1e9, fault));
        }

        /** Undoes the running fault and heals everything, whatever happened. */
        void healAll() {
            try {
                tick();
                if (undo != null) {
                    undo.run();
                    undo = null;
                }
            } finally {
                if (proxy != null) {
                    proxy.heal();
                }
                broker.resume();
                broker.start();
            }
        }

        String timeline() {
            return String.join(", ", timeline);
        }
    }
}
