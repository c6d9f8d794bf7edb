package dev.tributary.tck.processor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.Capability;
import dev.tributary.EventId;
import dev.tributary.Headers;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.core.Codecs;
import dev.tributary.core.GroupProcessor;
import dev.tributary.core.Handler;
import dev.tributary.core.Processor;
import dev.tributary.core.ProcessorState;
import dev.tributary.core.Publisher;
import dev.tributary.core.TailProcessor;
import dev.tributary.tck.BrokerControl;
import dev.tributary.tck.HistoryChecker;
import dev.tributary.tck.Tck;
import dev.tributary.tck.internal.Expect;
import dev.tributary.tck.internal.Io;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Assumptions;

/**
 * Rules C7 and C8: what a broker restart does to the publishing and processing side, judged with
 * every setting at its default — the defaults are what most users run.
 */
public final class RecoveryRules {
    private static final int KEYS = 10;

    private final ProcessorKit kit;

    public RecoveryRules(ProcessorKit kit) {
        this.kit = kit;
    }

    private BrokerControl control(String rule) {
        Assumptions.assumeTrue(
                kit.fixture().control().isPresent(),
                rule + " skipped: the fixture has no BrokerControl "
                        + "(a broker reached by URI cannot be restarted by the kit)");
        return kit.fixture().control().get();
    }

    /**
     * C7: a default {@link Publisher} publishes {@value #KEYS} keys round-robin, about 200 events a
     * second, while the broker stops for 3 s and starts again. Every publish succeeds (the default
     * delivery deadline outlasts a routine restart) — except that a backend without idempotent append
     * may report {@code INDETERMINATE} for events cut off by the restart, as the Publisher documents (a
     * retry could store them twice) — and the stream read back holds every acknowledged event with
     * each key's events in publish order (first occurrences; duplicates are counted).
     */
    public void c7() throws InterruptedException {
        BrokerControl control = control("C7");
        StreamClient client = kit.client();
        StreamName s = kit.created(client, "c7");
        HistoryChecker history = new HistoryChecker("C7 Publisher, " + KEYS + " keys, broker restarted");
        Map<String, CompletableFuture<EventId>> futures = new LinkedHashMap<>();
        List<String> refused = new ArrayList<>();
        try (Publisher<String> publisher =
                Publisher.builder(client, s, Codecs.utf8()).build()) {
            long stopAt = System.nanoTime() + Tck.scaled(Duration.ofSeconds(1)).toNanos();
            long restartAt = stopAt + Tck.scaled(Duration.ofSeconds(3)).toNanos();
            long endAt = restartAt + Tck.scaled(Duration.ofSeconds(2)).toNanos();
            boolean stopped = false;
            boolean restarted = false;
            try {
                for (int seq = 0; System.nanoTime() < endAt || !restarted; seq++) {
                    long now = System.nanoTime();
                    if (!stopped && now >= stopAt) {
                        control.stop();
                        stopped = true;
                    } else if (stopped && !restarted && now >= restartAt) {
                        control.start();
                        restarted = true;
                    }
                    String producer = "k" + (seq % KEYS);
                    String identity = producer + "/" + (seq / KEYS);
                    history.invoked(identity);
                    try {
                        CompletableFuture<EventId> f =
                                publisher.publish(identity, producer, Headers.of(Io.KEY_HEADER, identity));
                        futures.put(identity, f);
                    } catch (StreamException e) {
                        history.failed(identity, e);
                        refused.add(identity + ": " + e.kind());
                    }
                    Tck.sleep(Duration.ofMillis(5));
                }
            } finally {
                if (stopped && !restarted) {
                    control.start();
                }
            }
            assertTrue(
                    publisher.flush(Tck.scaled(Duration.ofSeconds(120))),
                    "the publisher settled every event within " + "its delivery deadline; in flight: "
                            + publisher.inFlight());
        }
        List<String> failed = new ArrayList<>(refused);
        boolean idempotent = client.supports(Capability.IDEMPOTENT_APPEND);
        futures.forEach((identity, f) -> {
            try {
                history.ok(identity, f.join());
            } catch (RuntimeException e) {
                StreamException se = StreamException.unwrap(e);
                if (se.kind() == dev.tributary.ErrorKind.INDETERMINATE) {
                    history.indeterminate(identity, se);
                    if (idempotent) {
                        failed.add(identity + ": " + se.kind() + " " + se.getMessage());
                    }
                } else {
                    history.failed(identity, se);
                    failed.add(identity + ": " + se.kind() + " " + se.getMessage());
                }
            }
        });
        for (StreamEvent e : Io.readToLast(client, s, Position.earliest())) {
            history.delivered("reader", Io.keyOf(e), e.id());
        }
        HistoryChecker.Report r = history.report();
        System.out.println("[C7] " + r.summary());
        assertEquals(
                List.of(),
                failed.subList(0, Math.min(10, failed.size())),
                failed.size() + " publishes failed: "
                        + "the default delivery deadline must ride out a 3 s restart (INDETERMINATE is allowed only without "
                        + "IDEMPOTENT_APPEND); " + r.summary());
        assertEquals(List.of(), r.lost(), "every acknowledged publish is stored: " + r.summary());
        assertEquals(
                List.of(),
                r.reordered(),
                "each key's events are stored in publish order across retries: " + r.summary());
        assertEquals(List.of(), r.unexpected(), r.summary());
        assertEquals(List.of(), r.mismatched(), r.summary());
    }

    /**
     * C8: a tail processor (and a group processor where the backend has groups), built with default
     * settings, runs while the broker is stopped for 8 s — long enough for the breaker to open and
     * the backoff to grow. Once the broker answers again and an event is stored, each processor
     * handles it within a scaled 3 s: the breaker's probe cap (1 s by default) plus its jitter, a
     * poll and the client's reconnect.
     */
    public void c8() throws InterruptedException {
        BrokerControl control = control("C8");
        StreamClient client = kit.client();
        StreamClient producer = kit.client();
        StreamName s = kit.created(client, "c8");
        boolean groups = client.supports(Capability.CONSUMER_GROUPS);
        Map<String, Long> handledAt = new ConcurrentHashMap<>();
        List<Processor> processors = new ArrayList<>();
        processors.add(kit.track(TailProcessor.builder(client, s, Codecs.utf8())
                .name(Tck.name("c8-tail"))
                .handler(recorder("tail", handledAt))
                .build()));
        if (groups) {
            processors.add(kit.track(GroupProcessor.builder(client, s, Tck.name("c8-group"), Codecs.utf8())
                    .name(Tck.name("c8-group"))
                    .handler(recorder("group", handledAt))
                    .build()));
        }
        processors.forEach(Processor::start);
        producer.append(s, Io.rec("before"));
        Expect.eventually(
                Tck.scaled(Duration.ofSeconds(30)),
                () -> "each processor handled the first event: " + handledAt.keySet(),
                () -> handledAt.size() == processors.size());
        control.stop();
        try {
            Tck.sleep(Tck.scaled(Duration.ofSeconds(8)));
        } finally {
            control.start();
        }
        long back = System.nanoTime();
        appendWhenBack(producer, s);
        long stored = System.nanoTime();
        Duration bound = Tck.scaled(Duration.ofSeconds(3));
        List<String> recovery = new ArrayList<>();
        for (String who : groups ? List.of("tail", "group") : List.of("tail")) {
            String key = who + ":after";
            Expect.eventually(
                    bound.plus(Tck.scaled(Duration.ofSeconds(30))),
                    () -> who + " processor handled the event " + "appended after the restart; states "
                            + states(processors),
                    () -> handledAt.containsKey(key));
            long ms = (handledAt.get(key) - stored) / 1_000_000;
            recovery.add(who + " " + ms + " ms after the event was stored");
            assertTrue(
                    ms <= bound.toMillis(),
                    who + " processor handled the first event after the restart "
                            + ms + " ms after it was stored (broker back " + (stored - back) / 1_000_000
                            + " ms before that); "
                            + "the bound is " + bound.toMillis() + " ms");
        }
        System.out.println(
                "[C8] broker answered; first append stored after " + (stored - back) / 1_000_000 + " ms; " + recovery);
        for (Processor p : processors) {
            assertEquals(ProcessorState.RUNNING, p.state(), p + ": " + p.failure());
        }
    }

    private static Handler<String> recorder(String who, Map<String, Long> handledAt) {
        return m -> handledAt.putIfAbsent(
                who + ":" + m.headers().first(Io.KEY_HEADER).orElse("?"), System.nanoTime());
    }

    private static String states(List<Processor> processors) {
        StringBuilder b = new StringBuilder();
        for (Processor p : processors) {
            b.append(p)
                    .append('=')
                    .append(p.state())
                    .append(p.failure().map(f -> " (" + f + ")").orElse(""))
                    .append(' ');
        }
        return b.toString().trim();
    }

    /** Appends the event "after" once the broker takes appends again (retryable failures retried for 60 s). */
    private static void appendWhenBack(StreamClient c, StreamName s) {
        Expect.eventually(Tck.scaled(Duration.ofSeconds(60)), () -> "an append after the broker restarted", () -> {
            try {
                c.append(s, Io.rec("after"));
                return true;
            } catch (StreamException e) {
                if (!e.isRetryable() && e.kind() != dev.tributary.ErrorKind.INDETERMINATE) {
                    throw new AssertionError("append after the restart failed with " + e.kind() + ": " + e, e);
                }
                return false;
            }
        });
    }
}
