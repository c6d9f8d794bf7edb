package dev.tributary.tck.processor.internal;

import static dev.tributary.tck.processor.internal.ProcessorKit.KEY_HEADER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tributary.Capability;
import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import dev.tributary.core.Backoff;
import dev.tributary.core.Codecs;
import dev.tributary.core.DeadLetterPolicy;
import dev.tributary.core.FileCheckpointStore;
import dev.tributary.core.GroupProcessor;
import dev.tributary.core.Handler;
import dev.tributary.core.Processor;
import dev.tributary.core.ProcessorState;
import dev.tributary.core.RetryPolicy;
import dev.tributary.core.TailProcessor;
import dev.tributary.tck.HistoryChecker;
import dev.tributary.tck.Tck;
import dev.tributary.tck.internal.Expect;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/** Rules C1 and C2: what reaches the handler — across checkpointed restarts, and around a failing event. */
public final class DeliveryRules {
    private final ProcessorKit kit;

    public DeliveryRules(ProcessorKit kit) {
        this.kit = kit;
    }

    /** C1: a tail processor with a checkpoint store, stopped and restarted 5 times while 600 events flow. */
    public void c1() throws Exception {
        StreamClient client = kit.client();
        StreamName s = kit.created(client, "c1");
        FileCheckpointStore store = new FileCheckpointStore(kit.tempDir("c1"));
        String name = Tck.name("c1");
        HistoryChecker history = new HistoryChecker("C1");
        AtomicReference<Throwable> producerError = new AtomicReference<>();
        Thread producer = new Thread(() -> produce(client, s, 600, history, producerError), "tck-c1-producer");
        producer.setDaemon(true);
        producer.start();

        Supplier<TailProcessor<String>> build = () -> kit.track(TailProcessor.builder(client, s, Codecs.utf8())
                .name(name)
                .checkpointStore(store)
                .batchSize(50)
                .pollWait(Duration.ofMillis(50))
                .handler(m ->
                        history.delivered("tail", m.headers().first(KEY_HEADER).orElse("?" + m.id()), m.id()))
                .build());
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        for (int round = 0; round < 5; round++) {
            TailProcessor<String> p = build.get();
            assertTrue(p.start(), "start() of a new processor returns true");
            Tck.sleep(Duration.ofMillis(60 + rnd.nextInt(120)));
            assertTrue(
                    p.stop(Tck.scaled(Duration.ofSeconds(10))), "round " + (round + 1) + ": stop() within its bound");
            assertEquals(ProcessorState.STOPPED, p.state(), "round " + (round + 1) + ": failure " + p.failure());
        }
        producer.join(Tck.scaled(Duration.ofSeconds(60)).toMillis());
        assertFalse(producer.isAlive(), "the producer finished");
        if (producerError.get() != null) {
            fail("the producer failed: " + producerError.get());
        }
        TailProcessor<String> last = build.get();
        last.start();
        Expect.eventually(
                Tck.scaled(Duration.ofSeconds(30)),
                () -> "every acknowledged event handled; " + history.report().summary(),
                () -> history.report().lost().isEmpty() || last.state() == ProcessorState.FAILED);
        assertTrue(last.stop(Tck.scaled(Duration.ofSeconds(10))));
        HistoryChecker.Report report = history.report();
        System.out.println("[C1] " + report.summary());
        assertEquals(ProcessorState.STOPPED, last.state(), "the last processor ran cleanly: " + last.failure());
        assertTrue(report.lost().isEmpty(), "events skipped across restarts: " + report.summary());
        assertTrue(report.unexpected().isEmpty(), "unexpected deliveries: " + report.summary());
        assertTrue(report.reordered().isEmpty(), "first deliveries out of order: " + report.summary());
        assertTrue(report.ok() > 0, "the producer stored events: " + report.summary());
    }

    /** C1's producer: {@code total} keyed appends, a short pause every 10, each outcome recorded in {@code history}. */
    private static void produce(
            StreamClient client, StreamName s, int total, HistoryChecker history, AtomicReference<Throwable> error) {
        try {
            for (int i = 0; i < total; i++) {
                String key = "p0/" + i;
                history.invoked(key);
                try {
                    EventId id = client.append(
                            s,
                            StreamRecord.builder()
                                    .payload(key)
                                    .header(KEY_HEADER, key)
                                    .build());
                    history.ok(key, id);
                } catch (StreamException e) {
                    if (e.kind() == ErrorKind.INDETERMINATE) {
                        history.indeterminate(key, e);
                    } else {
                        history.failed(key, e);
                    }
                }
                if (i % 10 == 9) {
                    Thread.sleep(8);
                }
            }
        } catch (Throwable e) {
            error.set(e);
        }
    }

    /** C2: one poison event among 10, with a tail processor and, where groups are declared, a group processor. */
    public void c2() {
        StreamClient client = kit.client();
        StreamName s = kit.created(client, "c2");
        runC2(client, s, appendTen(client, s), null);
        if (client.supports(Capability.CONSUMER_GROUPS)) {
            StreamName g = kit.created(client, "c2g");
            runC2(client, g, appendTen(client, g), Tck.name("c2-group"));
        }
    }

    private static List<EventId> appendTen(StreamClient client, StreamName s) {
        List<EventId> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ids.add(client.append(
                    s,
                    StreamRecord.builder()
                            .payload("c2-" + i)
                            .header(KEY_HEADER, "c2-" + i)
                            .build()));
        }
        return ids;
    }

    /** Runs C2 on {@code s} with a tail processor ({@code group} null) or a group processor. */
    private void runC2(StreamClient client, StreamName s, List<EventId> ids, String group) {
        StreamName dlq = DeadLetterPolicy.defaultName(s);
        String poison = "c2-4";
        AtomicInteger poisonCalls = new AtomicInteger();
        Set<String> handled = ConcurrentHashMap.newKeySet();
        RetryPolicy retry = RetryPolicy.of(3, Backoff.exponential(Duration.ofMillis(10), Duration.ofMillis(40)));
        Handler<String> handler = m -> {
            if (m.value().equals(poison)) {
                poisonCalls.incrementAndGet();
                throw new IllegalStateException("C2 poison \"" + poison + "\": ✗ refusé");
            }
            handled.add(m.value());
        };
        Processor p = group == null
                ? kit.track(TailProcessor.builder(client, s, Codecs.utf8())
                        .name(Tck.name("c2"))
                        .retry(retry)
                        .pollWait(Duration.ofMillis(50))
                        .handler(handler)
                        .build())
                : kit.track(GroupProcessor.builder(client, s, group, Codecs.utf8())
                        .retry(retry)
                        .pollWait(Duration.ofMillis(50))
                        .handler(handler)
                        .build());
        String what = group == null ? "tail processor" : "group processor";
        p.start();
        Expect.eventually(
                Tck.scaled(Duration.ofSeconds(30)),
                () -> what + ": the 9 good events handled (got "
                        + handled.size() + ", state " + p.state() + " " + p.failure() + ")"
                        + (group == null
                                ? ""
                                : "; the group was created on a stream already holding them: check its start position (G11, C10)"),
                () -> handled.size() == 9 || p.state() == ProcessorState.FAILED);
        Expect.eventually(
                Tck.scaled(Duration.ofSeconds(30)),
                () -> what + ": a dead letter in " + dlq + " (state " + p.state() + " " + p.failure() + ")",
                () -> client.info(dlq).length() >= 1 || p.state() == ProcessorState.FAILED);
        assertEquals(ProcessorState.RUNNING, p.state(), what + " still runs: " + p.failure());
        assertEquals(3, poisonCalls.get(), what + ": the failing event is handled exactly maxAttempts times");
        List<StreamEvent> dead = client.range(dlq, Position.earliest(), null, 100);
        assertEquals(1, dead.size(), what + ": one dead letter");
        StreamEvent d = dead.get(0);
        assertEquals(poison, d.payloadAsString(), what + ": the dead letter carries the original payload");
        assertEquals(Optional.of(poison), d.headers().first(KEY_HEADER), what + ": original headers are kept");
        assertEquals(
                Optional.of(s.value()),
                d.headers().first(DeadLetterPolicy.HEADER_STREAM),
                what + ": dlq stream header");
        assertEquals(
                Optional.of(ids.get(4).toString()),
                d.headers().first(DeadLetterPolicy.HEADER_ID),
                what + ": dlq id header");
        assertEquals(
                Optional.of("3"), d.headers().first(DeadLetterPolicy.HEADER_ATTEMPTS), what + ": dlq attempts header");
        String error = d.headers().first(DeadLetterPolicy.HEADER_ERROR).orElse("");
        assertTrue(
                error.contains("C2 poison") && error.contains("✗ refusé"),
                what + ": the reason is in the error header: " + error);
        assertEquals(
                Optional.ofNullable(group),
                d.headers().first(DeadLetterPolicy.HEADER_GROUP),
                what + ": dlq group header");
        if (group != null) {
            Expect.eventually(
                    Tck.scaled(Duration.ofSeconds(30)),
                    () -> "group processor: every event acked, the " + "dead-lettered one too (pending "
                            + client.groupInfo(s, group).pending() + ")",
                    () -> client.groupInfo(s, group).pending() == 0);
        }
        assertTrue(p.stop(Tck.scaled(Duration.ofSeconds(10))));
    }
}
