package dev.tributary.tck.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tributary.Capability;
import dev.tributary.ClientConfig;
import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.GroupConsumer;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamClients;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamReader;
import dev.tributary.StreamRecord;
import dev.tributary.core.Backoff;
import dev.tributary.core.CircuitBreaker;
import dev.tributary.core.Codecs;
import dev.tributary.core.DeadLetterPolicy;
import dev.tributary.core.FileCheckpointStore;
import dev.tributary.core.GroupProcessor;
import dev.tributary.core.Processor;
import dev.tributary.core.ProcessorListener;
import dev.tributary.core.ProcessorState;
import dev.tributary.core.RetryPolicy;
import dev.tributary.core.TailProcessor;
import dev.tributary.spi.ForwardingStreamClient;
import dev.tributary.spi.ForwardingStreamReader;
import dev.tributary.tck.BrokerControl;
import dev.tributary.tck.BrokerFixture;
import dev.tributary.tck.HistoryChecker;
import dev.tributary.tck.RuleHint;
import dev.tributary.tck.Tck;
import dev.tributary.tck.internal.RuleExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The processor rules (C family of TCK-RULES.md): stream-core's {@link TailProcessor} and
 * {@link GroupProcessor} driven against a backend. A backend's test extends this class:
 *
 * <pre>{@code
 * class AcmeProcessorTckIT extends ProcessorTck {
 *     protected BrokerFixture fixture() { return AcmeFixture.shared(); }
 * }
 * }</pre>
 *
 * <p>C5 needs a fixture with {@link BrokerControl}; without one it is skipped with that reason. C2 and
 * C6 also run a group processor where the backend declares {@link Capability#CONSUMER_GROUPS}; C6
 * checks that a group processor fails with {@code UNSUPPORTED} where it does not. Every rule uses
 * fresh names containing the run id, closes its clients and deletes its streams. Waits are scaled by
 * {@value Tck#TIMEOUT_SCALE_PROPERTY}; each failure ends with a "check …" hint.
 *
 * <p>Hooks: {@link #fixture()} (required), {@link #openClient()}, {@link #openClient(ClientConfig)}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(RuleExtension.class)
public abstract class ProcessorTck {
    /** Header that carries a record's identity for the history checker. */
    static final String KEY_HEADER = "tck-key";

    private final List<StreamClient> clients = Collections.synchronizedList(new ArrayList<>());
    private final List<StreamName> streams = Collections.synchronizedList(new ArrayList<>());
    private final List<Processor> processors = Collections.synchronizedList(new ArrayList<>());
    private final List<Path> dirs = Collections.synchronizedList(new ArrayList<>());

    /** The broker of this run; return one shared instance (started once per JVM). */
    protected abstract BrokerFixture fixture();

    /** Opens a fresh client; the kit closes it. Defaults to {@link StreamClients#open(ClientConfig)}. */
    protected StreamClient openClient() {
        return StreamClients.open(fixture().config());
    }

    /** Opens a client with another configuration (C5: shorter timeouts). */
    protected StreamClient openClient(ClientConfig config) {
        return StreamClients.open(config);
    }

    // ------------------------------------------------------------------------------------------ C1

    @Test
    @DisplayName("C1 a tail processor with a checkpoint store, restarted 5 times while events flow, handles every event")
    @RuleHint(value = "that poll() advances to the last id returned and that openReader(after(id)) is exclusive; "
            + "a checkpoint past an unhandled event or a skipped id loses events", budgetSeconds = 120)
    void required_C1_tailProcessorRestartedFiveTimesHandlesEveryEvent() throws Exception {
        StreamClient client = client();
        StreamName s = created(client, "c1");
        FileCheckpointStore store = new FileCheckpointStore(tempDir("c1"));
        String name = Tck.name("c1");
        HistoryChecker history = new HistoryChecker("C1");
        int total = 600;
        AtomicReference<Throwable> producerError = new AtomicReference<>();
        Thread producer = new Thread(() -> {
            try {
                for (int i = 0; i < total; i++) {
                    String key = "p0/" + i;
                    history.invoked(key);
                    try {
                        EventId id = client.append(s, StreamRecord.builder().payload(key).header(KEY_HEADER, key).build());
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
                producerError.set(e);
            }
        }, "tck-c1-producer");
        producer.setDaemon(true);
        producer.start();

        Supplier<TailProcessor<String>> build = () -> track(TailProcessor.builder(client, s, Codecs.utf8())
                .name(name)
                .checkpointStore(store)
                .batchSize(50)
                .pollWait(Duration.ofMillis(50))
                .handler(m -> history.delivered("tail", m.headers().first(KEY_HEADER).orElse("?" + m.id()), m.id()))
                .build());
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        for (int round = 0; round < 5; round++) {
            TailProcessor<String> p = build.get();
            assertTrue(p.start(), "start() of a new processor returns true");
            Tck.sleep(Duration.ofMillis(60 + rnd.nextInt(120)));
            assertTrue(p.stop(Tck.scaled(Duration.ofSeconds(10))), "round " + (round + 1) + ": stop() within its bound");
            assertEquals(ProcessorState.STOPPED, p.state(), "round " + (round + 1) + ": failure " + p.failure());
        }
        producer.join(Tck.scaled(Duration.ofSeconds(60)).toMillis());
        assertTrue(!producer.isAlive(), "the producer finished");
        if (producerError.get() != null) {
            fail("the producer failed: " + producerError.get());
        }
        TailProcessor<String> last = build.get();
        last.start();
        awaitUntil(Tck.scaled(Duration.ofSeconds(30)), () -> history.report().lost().isEmpty()
                || last.state() == ProcessorState.FAILED, () -> "every acknowledged event handled; " + history.report().summary());
        assertTrue(last.stop(Tck.scaled(Duration.ofSeconds(10))));
        HistoryChecker.Report report = history.report();
        System.out.println("[C1] " + report.summary());
        assertEquals(ProcessorState.STOPPED, last.state(), "the last processor ran cleanly: " + last.failure());
        assertTrue(report.lost().isEmpty(), "events skipped across restarts: " + report.summary());
        assertTrue(report.unexpected().isEmpty(), "unexpected deliveries: " + report.summary());
        assertTrue(report.reordered().isEmpty(), "first deliveries out of order: " + report.summary());
        assertTrue(report.ok() > 0, "the producer stored events: " + report.summary());
    }

    // ------------------------------------------------------------------------------------------ C2

    @Test
    @DisplayName("C2 a handler that throws for one event: retried as configured, dead-lettered with the reason, the rest continue")
    @RuleHint(value = "that headers with any Unicode value round-trip and that appending to the <stream>-dlq stream "
            + "works (create it if the backend needs creation)", budgetSeconds = 90)
    void required_C2_failingEventIsRetriedThenDeadLetteredAndTheRestContinue() throws Exception {
        StreamClient client = client();
        StreamName s = created(client, "c2");
        List<EventId> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ids.add(client.append(s, StreamRecord.builder().payload("c2-" + i).header(KEY_HEADER, "c2-" + i).build()));
        }
        runC2(client, s, ids, null);
        if (client.supports(Capability.CONSUMER_GROUPS)) {
            StreamName g = created(client, "c2g");
            List<EventId> gids = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                gids.add(client.append(g, StreamRecord.builder().payload("c2-" + i).header(KEY_HEADER, "c2-" + i).build()));
            }
            runC2(client, g, gids, Tck.name("c2-group"));
        }
    }

    private void runC2(StreamClient client, StreamName s, List<EventId> ids, String group) throws Exception {
        StreamName dlq = DeadLetterPolicy.defaultName(s);
        streams.add(dlq);
        String poison = "c2-4";
        AtomicInteger poisonCalls = new AtomicInteger();
        Set<String> handled = ConcurrentHashMap.newKeySet();
        RetryPolicy retry = RetryPolicy.of(3, Backoff.exponential(Duration.ofMillis(10), Duration.ofMillis(40)));
        dev.tributary.core.Handler<String> handler = m -> {
            if (m.value().equals(poison)) {
                poisonCalls.incrementAndGet();
                throw new IllegalStateException("C2 poison \"" + poison + "\": ✗ refusé");
            }
            handled.add(m.value());
        };
        Processor p = group == null
                ? track(TailProcessor.builder(client, s, Codecs.utf8()).name(Tck.name("c2")).retry(retry)
                        .pollWait(Duration.ofMillis(50)).handler(handler).build())
                : track(GroupProcessor.builder(client, s, group, Codecs.utf8()).retry(retry)
                        .pollWait(Duration.ofMillis(50)).handler(handler).build());
        String what = group == null ? "tail processor" : "group processor";
        p.start();
        awaitUntil(Tck.scaled(Duration.ofSeconds(30)), () -> handled.size() == 9 || p.state() == ProcessorState.FAILED,
                () -> what + ": the 9 good events handled (got " + handled.size() + ", state " + p.state() + " "
                        + p.failure() + ")");
        awaitUntil(Tck.scaled(Duration.ofSeconds(30)), () -> client.info(dlq).length() >= 1 || p.state() == ProcessorState.FAILED,
                () -> what + ": a dead letter in " + dlq + " (state " + p.state() + " " + p.failure() + ")");
        assertEquals(ProcessorState.RUNNING, p.state(), what + " still runs: " + p.failure());
        assertEquals(3, poisonCalls.get(), what + ": the failing event is handled exactly maxAttempts times");
        List<StreamEvent> dead = client.range(dlq, Position.earliest(), null, 100);
        assertEquals(1, dead.size(), what + ": one dead letter");
        StreamEvent d = dead.get(0);
        assertEquals(poison, d.payloadAsString(), what + ": the dead letter carries the original payload");
        assertEquals(Optional.of(poison), d.headers().first(KEY_HEADER), what + ": original headers are kept");
        assertEquals(Optional.of(s.value()), d.headers().first(DeadLetterPolicy.HEADER_STREAM), what + ": dlq stream header");
        assertEquals(Optional.of(ids.get(4).toString()), d.headers().first(DeadLetterPolicy.HEADER_ID), what + ": dlq id header");
        assertEquals(Optional.of("3"), d.headers().first(DeadLetterPolicy.HEADER_ATTEMPTS), what + ": dlq attempts header");
        String error = d.headers().first(DeadLetterPolicy.HEADER_ERROR).orElse("");
        assertTrue(error.contains("C2 poison") && error.contains("✗ refusé"), what + ": the reason is in the error header: " + error);
        assertEquals(Optional.ofNullable(group), d.headers().first(DeadLetterPolicy.HEADER_GROUP), what + ": dlq group header");
        if (group != null) {
            awaitUntil(Tck.scaled(Duration.ofSeconds(30)), () -> client.groupInfo(s, group).pending() == 0,
                    () -> "group processor: every event acked, the dead-lettered one too (pending "
                            + client.groupInfo(s, group).pending() + ")");
        }
        assertTrue(p.stop(Tck.scaled(Duration.ofSeconds(10))));
    }

    // ------------------------------------------------------------------------------------------ C3

    @Test
    @DisplayName("C3 concurrent start/stop from 8 threads: one running loop at most, no leak, final state consistent")
    @RuleHint(value = "that StreamReader.close() is idempotent and wakes a blocked poll, and that openReader does not "
            + "block beyond the request timeout", budgetSeconds = 120)
    void required_C3_concurrentStartStopRunsOneLoopAtMostAndLeaksNothing() throws Exception {
        StreamClient real = client();
        StreamName s = created(real, "c3");
        for (int i = 0; i < 20; i++) {
            real.append(s, StreamRecord.of("c3-" + i));
        }
        AtomicInteger open = new AtomicInteger();
        AtomicInteger maxOpen = new AtomicInteger();
        AtomicInteger opened = new AtomicInteger();
        AtomicInteger closed = new AtomicInteger();
        StreamClient counting = new ForwardingStreamClient(real) {
            @Override
            public StreamReader openReader(StreamName stream, Position from) {
                StreamReader r = super.openReader(stream, from);
                opened.incrementAndGet();
                maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
                return new ForwardingStreamReader(r) {
                    private boolean done;

                    @Override
                    public void close() {
                        synchronized (this) {
                            if (!done) {
                                done = true;
                                open.decrementAndGet();
                                closed.incrementAndGet();
                            }
                        }
                        super.close();
                    }
                };
            }
        };
        String prefix = "tck-c3-loop-" + Tck.runId() + "-";
        AtomicInteger threadsMade = new AtomicInteger();
        TailProcessor<String> p = track(TailProcessor.builder(counting, s, Codecs.utf8())
                .name(Tck.name("c3"))
                .pollWait(Duration.ofMillis(10))
                .threadFactory(r -> {
                    Thread t = new Thread(r, prefix + threadsMade.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                })
                .handler(m -> { })
                .build());
        int threads = 8;
        int rounds = 50;
        CyclicBarrier go = new CyclicBarrier(threads);
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                try {
                    go.await();
                    ThreadLocalRandom rnd = ThreadLocalRandom.current();
                    for (int i = 0; i < rounds; i++) {
                        if (rnd.nextBoolean()) {
                            p.start();
                        } else if (!p.stop(Tck.scaled(Duration.ofSeconds(10)))) {
                            errors.add(new AssertionError("stop() did not end the loop within its bound"));
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }, "tck-c3-worker-" + t);
            w.setDaemon(true);
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            w.join(Tck.scaled(Duration.ofSeconds(90)).toMillis());
            assertTrue(!w.isAlive(), w.getName() + " did not finish: start/stop hang");
        }
        assertTrue(errors.isEmpty(), "start/stop from 8 threads threw: " + errors);
        assertTrue(p.stop(Tck.scaled(Duration.ofSeconds(10))), "a final stop ends the loop");
        ProcessorState end = p.state();
        assertTrue(end == ProcessorState.STOPPED || end == ProcessorState.NEW, "final state " + end + " " + p.failure());
        assertTrue(maxOpen.get() <= 1, "two loops ran at once: " + maxOpen.get() + " readers were open together");
        assertEquals(opened.get(), closed.get(), "every reader a loop opened was closed");
        awaitUntil(Tck.scaled(Duration.ofSeconds(5)), () -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith(prefix) && t.isAlive()), () -> "no processor thread left behind");
    }

    // ------------------------------------------------------------------------------------------ C4

    @Test
    @DisplayName("C4 stop from inside the handler returns; the processor stops after that batch")
    @RuleHint(value = "that poll returns the events it has without waiting for a full batch, and that nothing in "
            + "the backend blocks the processor's thread after the stop", budgetSeconds = 60)
    void required_C4_stopFromInsideTheHandlerReturnsAndStopsAfterThatBatch() throws Exception {
        StreamClient client = client();
        StreamName s = created(client, "c4");
        for (int i = 0; i < 20; i++) {
            client.append(s, StreamRecord.of("c4-" + i));
        }
        AtomicInteger batches = new AtomicInteger();
        AtomicLong stopNanos = new AtomicLong(-1);
        AtomicReference<Boolean> stopResult = new AtomicReference<>();
        AtomicReference<EventId> lastOfBatch = new AtomicReference<>();
        FileCheckpointStore store = new FileCheckpointStore(tempDir("c4"));
        String name = Tck.name("c4");
        TailProcessor<String> p = track(TailProcessor.builder(client, s, Codecs.utf8())
                .name(name)
                .checkpointStore(store)
                .batchSize(100)
                .pollWait(Duration.ofMillis(50))
                .batchHandler(batch -> {
                    batches.incrementAndGet();
                    lastOfBatch.set(batch.get(batch.size() - 1).id());
                    long t0 = System.nanoTime();
                    stopResult.set(batch.get(0).processor().stop());
                    stopNanos.set(System.nanoTime() - t0);
                })
                .build());
        p.start();
        assertTrue(p.awaitTermination(Tck.scaled(Duration.ofSeconds(20))), "the processor stopped after the batch "
                + "in which its handler called stop(); state " + p.state());
        assertEquals(ProcessorState.STOPPED, p.state(), "state after a stop from the handler: " + p.failure());
        assertEquals(Boolean.TRUE, stopResult.get(), "stop() called from the handler returned true");
        assertTrue(stopNanos.get() < Tck.scaled(Duration.ofSeconds(1)).toNanos(),
                "stop() from the handler returned at once, took " + stopNanos.get() / 1_000_000 + " ms");
        assertEquals(1, batches.get(), "no batch is handled after the one that called stop()");
        assertEquals(Optional.of(lastOfBatch.get()), store.load(name), "that batch was checkpointed");
        client.append(s, StreamRecord.of("c4-late"));
        Tck.sleep(Tck.scaled(Duration.ofMillis(200)));
        assertEquals(1, batches.get(), "nothing is read after the stop");
    }

    // ------------------------------------------------------------------------------------------ C5

    @Test
    @DisplayName("C5 backend unreachable: backoff grows with jitter to its cap; the breaker opens and half-opens; the processor recovers")
    @RuleHint(value = "that poll() fails with RETRYABLE (not an empty answer forever, not a fatal kind) while the broker "
            + "is down, within the request timeout, and that the client reconnects by itself", budgetSeconds = 240)
    void required_C5_unreachableBackendBacksOffOpensTheBreakerAndRecovers() throws Exception {
        Optional<BrokerControl> maybeControl = fixture().control();
        Assumptions.assumeTrue(maybeControl.isPresent(),
                "C5 skipped: the fixture has no BrokerControl (a broker reached by URI cannot be stopped by the kit)");
        BrokerControl control = maybeControl.get();
        ClientConfig shortTimeouts = fixture().config().toBuilder()
                .connectTimeout(Tck.scaled(Duration.ofSeconds(2)))
                .requestTimeout(Tck.scaled(Duration.ofSeconds(2)))
                .closeTimeout(Tck.scaled(Duration.ofSeconds(2)))
                .build();
        StreamClient client = openClient(shortTimeouts);
        clients.add(client);
        StreamName s = created(client, "c5");
        for (int i = 0; i < 3; i++) {
            client.append(s, StreamRecord.of("before-" + i));
        }
        Backoff backoff = new Backoff(Duration.ofMillis(50), Duration.ofMillis(800), 2.0);
        List<long[]> retries = new CopyOnWriteArrayList<>(); // {attempt, delayNanos}
        List<String> circuit = new CopyOnWriteArrayList<>();
        Set<String> handled = ConcurrentHashMap.newKeySet();
        TailProcessor<String> p = track(TailProcessor.builder(client, s, Codecs.utf8())
                .name(Tck.name("c5"))
                .pollWait(Duration.ofMillis(100))
                .sourceBackoff(backoff)
                .circuitBreaker(new CircuitBreaker.Settings(3, Duration.ofSeconds(1), 1))
                .listener(new ProcessorListener() {
                    @Override
                    public void onRetry(String processor, String operation, int attempt, Duration delay, Throwable error) {
                        if (operation.equals("poll") || operation.equals("open")) {
                            retries.add(new long[] {attempt, delay.toNanos()});
                        }
                    }

                    @Override
                    public void onCircuitStateChange(String processor, CircuitBreaker.State from, CircuitBreaker.State to) {
                        circuit.add(from + "->" + to);
                    }
                })
                .handler(m -> handled.add(m.value()))
                .build());
        p.start();
        awaitUntil(Tck.scaled(Duration.ofSeconds(20)), () -> handled.size() == 3, () -> "the first 3 events handled");
        control.stop();
        try {
            awaitUntil(Tck.scaled(Duration.ofSeconds(90)),
                    () -> p.state() != ProcessorState.RUNNING
                            || (circuit.contains("OPEN->HALF_OPEN") && circuit.contains("HALF_OPEN->OPEN")
                                    && retries.stream().anyMatch(r -> r[0] >= 7)),
                    () -> "while the broker is down: 7 retries and the breaker open, half-open and open again; saw "
                            + retries.size() + " retries, breaker " + circuit + ", state " + p.state() + " " + p.failure());
            assertEquals(ProcessorState.RUNNING, p.state(), "an unreachable broker is retried, not fatal: " + p.failure());
        } finally {
            control.start();
        }
        long deadline = System.nanoTime() + Tck.scaled(Duration.ofSeconds(60)).toNanos();
        for (int i = 0; i < 3; i++) {
            while (true) {
                try {
                    client.append(s, StreamRecord.of("after-" + i));
                    break;
                } catch (StreamException e) {
                    if (!e.isRetryable() || System.nanoTime() > deadline) {
                        throw new AssertionError("append after the broker returned: " + e, e);
                    }
                    Tck.sleep(Duration.ofMillis(200));
                }
            }
        }
        awaitUntil(Tck.scaled(Duration.ofSeconds(60)), () -> handled.size() == 6 || p.state() != ProcessorState.RUNNING,
                () -> "the processor recovered and handled the events appended after the broker returned (handled "
                        + handled.size() + ", state " + p.state() + " " + p.failure() + ")");
        assertEquals(ProcessorState.RUNNING, p.state(), "state after recovery: " + p.failure());
        awaitUntil(Tck.scaled(Duration.ofSeconds(10)), () -> p.circuitState() == CircuitBreaker.State.CLOSED,
                () -> "the breaker closed after recovery: " + circuit);
        assertTrue(circuit.get(0).equals("CLOSED->OPEN"), "the breaker opened first: " + circuit);
        long maxAttempt = 0;
        Set<Long> capDelays = new java.util.HashSet<>();
        for (long[] r : retries) {
            Duration ceiling = backoff.ceiling((int) r[0]);
            assertTrue(r[1] >= 0 && r[1] <= ceiling.toNanos(), "retry " + r[0] + " waited " + r[1] / 1_000_000
                    + " ms, outside [0, " + ceiling.toMillis() + " ms]");
            maxAttempt = Math.max(maxAttempt, r[0]);
            if (ceiling.equals(backoff.max())) {
                capDelays.add(r[1]);
            }
        }
        assertTrue(maxAttempt >= 5, "the backoff reached its cap (attempt 5 has the 800 ms ceiling): " + maxAttempt);
        assertTrue(capDelays.size() >= 2, "delays at the cap are jittered, not constant: " + capDelays);
        assertTrue(p.stop(Tck.scaled(Duration.ofSeconds(10))));
    }

    // ------------------------------------------------------------------------------------------ C6

    @Test
    @DisplayName("C6 a fatal error (authentication, unsupported) fails the processor visibly, no retry loop")
    @RuleHint(value = "the mapping of native errors onto ErrorKind: credentials → AUTHENTICATION, an undeclared "
            + "capability → UNSUPPORTED, both fatal", budgetSeconds = 60)
    void required_C6_fatalErrorFailsTheProcessorAtOnceWithoutRetry() throws Exception {
        StreamClient real = client();
        StreamName s = created(real, "c6");
        real.append(s, StreamRecord.of("c6"));
        AtomicInteger polls = new AtomicInteger();
        StreamClient denied = new ForwardingStreamClient(real) {
            @Override
            public StreamReader openReader(StreamName stream, Position from) {
                return new ForwardingStreamReader(super.openReader(stream, from)) {
                    @Override
                    public List<StreamEvent> poll(int maxCount, Duration wait) {
                        polls.incrementAndGet();
                        throw new StreamException(ErrorKind.AUTHENTICATION, "C6: permission denied on " + stream);
                    }
                };
            }
        };
        RetryCounter retries = new RetryCounter();
        TailProcessor<String> tail = track(TailProcessor.builder(denied, s, Codecs.utf8()).name(Tck.name("c6"))
                .listener(retries).handler(m -> { }).build());
        tail.start();
        expectFailed(tail, ErrorKind.AUTHENTICATION, "tail processor, AUTHENTICATION from poll");
        assertEquals(1, polls.get(), "AUTHENTICATION is not retried");
        assertEquals(0, retries.count.get(), "no retry was scheduled");
        assertEquals(List.of(ProcessorState.RUNNING, ProcessorState.FAILED), retries.states,
                "the listener heard RUNNING then FAILED");

        RetryCounter groupRetries = new RetryCounter();
        if (!real.supports(Capability.CONSUMER_GROUPS)) {
            GroupProcessor<String> g = track(GroupProcessor.builder(real, s, Tck.name("c6-group"), Codecs.utf8())
                    .listener(groupRetries).handler(m -> { }).build());
            g.start();
            expectFailed(g, ErrorKind.UNSUPPORTED, "group processor on a backend without CONSUMER_GROUPS");
        } else {
            AtomicInteger groupPolls = new AtomicInteger();
            StreamClient misconfigured = new ForwardingStreamClient(real) {
                @Override
                public GroupConsumer openGroupConsumer(StreamName stream, String group, String member) {
                    GroupConsumer c = super.openGroupConsumer(stream, group, member);
                    return new GroupConsumer() {
                        @Override
                        public StreamName stream() {
                            return c.stream();
                        }

                        @Override
                        public String group() {
                            return c.group();
                        }

                        @Override
                        public String member() {
                            return c.member();
                        }

                        @Override
                        public List<StreamEvent> poll(int maxCount, Duration wait) {
                            groupPolls.incrementAndGet();
                            throw new StreamException(ErrorKind.CONFIGURATION, "C6: wrong type of key");
                        }

                        @Override
                        public dev.tributary.AckResult ack(java.util.Collection<EventId> ids) {
                            return c.ack(ids);
                        }

                        @Override
                        public void nack(java.util.Collection<EventId> ids) {
                            c.nack(ids);
                        }

                        @Override
                        public void close() {
                            c.close();
                        }
                    };
                }
            };
            GroupProcessor<String> g = track(GroupProcessor.builder(misconfigured, s, Tck.name("c6-group"), Codecs.utf8())
                    .listener(groupRetries).handler(m -> { }).build());
            g.start();
            expectFailed(g, ErrorKind.CONFIGURATION, "group processor, CONFIGURATION from poll");
            assertEquals(1, groupPolls.get(), "CONFIGURATION is not retried");
        }
        assertEquals(0, groupRetries.count.get(), "no retry was scheduled for the group processor");
    }

    private static void expectFailed(Processor p, ErrorKind kind, String what) throws InterruptedException {
        assertTrue(p.awaitTermination(Tck.scaled(Duration.ofSeconds(20))), what + ": the processor ended; state "
                + p.state());
        assertEquals(ProcessorState.FAILED, p.state(), what + ": state");
        Throwable cause = p.failure().orElse(null);
        assertTrue(cause instanceof StreamException se && se.kind() == kind, what + ": failure() is the " + kind
                + " error, got " + cause);
    }

    private static final class RetryCounter implements ProcessorListener {
        final AtomicInteger count = new AtomicInteger();
        final List<ProcessorState> states = new CopyOnWriteArrayList<>();

        @Override
        public void onRetry(String processor, String operation, int attempt, Duration delay, Throwable error) {
            count.incrementAndGet();
        }

        @Override
        public void onStateChange(String processor, ProcessorState from, ProcessorState to, Throwable cause) {
            states.add(to);
        }
    }

    // ------------------------------------------------------------------------------------- support

    private StreamClient client() {
        StreamClient c = openClient();
        if (c == null) {
            throw new AssertionError("openClient() returned null; it must return a connected client");
        }
        clients.add(c);
        return c;
    }

    private StreamName created(StreamClient client, String tag) {
        StreamName s = Tck.streamName(tag);
        streams.add(s);
        streams.add(DeadLetterPolicy.defaultName(s));
        client.createStream(s);
        return s;
    }

    private <P extends Processor> P track(P p) {
        processors.add(p);
        return p;
    }

    private Path tempDir(String tag) throws IOException {
        Path d = Files.createTempDirectory("tributary-tck-" + tag + "-");
        dirs.add(d);
        return d;
    }

    private static void awaitUntil(Duration timeout, BooleanSupplier condition, Supplier<String> what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + timeout.toMillis() + " ms waiting for: " + what.get());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while waiting for: " + what.get());
            }
        }
    }

    @AfterEach
    void stopProcessorsCloseClientsAndDeleteStreams() {
        List<Processor> ps;
        synchronized (processors) {
            ps = new ArrayList<>(processors);
            processors.clear();
        }
        for (Processor p : ps) {
            try {
                p.stop(Tck.scaled(Duration.ofSeconds(5)));
            } catch (RuntimeException e) {
                System.err.println("[ProcessorTck] stopping " + p + " failed: " + e);
            }
        }
        List<StreamClient> cs;
        synchronized (clients) {
            cs = new ArrayList<>(clients);
            clients.clear();
        }
        List<StreamName> ss;
        synchronized (streams) {
            ss = new ArrayList<>(streams);
            streams.clear();
        }
        if (!cs.isEmpty()) {
            for (StreamName s : ss) {
                try {
                    cs.get(0).deleteStream(s);
                } catch (RuntimeException e) {
                    // best effort: the broker may be down after a fault rule
                }
            }
        }
        for (StreamClient c : cs) {
            try {
                c.close();
            } catch (RuntimeException e) {
                System.err.println("[ProcessorTck] closing a client failed: " + e);
            }
        }
        List<Path> ds;
        synchronized (dirs) {
            ds = new ArrayList<>(dirs);
            dirs.clear();
        }
        for (Path d : ds) {
            try (Stream<Path> files = Files.walk(d)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException | RuntimeException e) {
                // best effort
            }
        }
    }
}
