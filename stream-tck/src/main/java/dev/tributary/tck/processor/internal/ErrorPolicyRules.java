package dev.tributary.tck.processor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.Capability;
import dev.tributary.ClientConfig;
import dev.tributary.ErrorKind;
import dev.tributary.GroupConsumer;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamReader;
import dev.tributary.StreamRecord;
import dev.tributary.core.Backoff;
import dev.tributary.core.CircuitBreaker;
import dev.tributary.core.Codecs;
import dev.tributary.core.GroupProcessor;
import dev.tributary.core.Processor;
import dev.tributary.core.ProcessorListener;
import dev.tributary.core.ProcessorState;
import dev.tributary.core.TailProcessor;
import dev.tributary.spi.ForwardingGroupConsumer;
import dev.tributary.spi.ForwardingStreamClient;
import dev.tributary.spi.ForwardingStreamReader;
import dev.tributary.tck.BrokerControl;
import dev.tributary.tck.Tck;
import dev.tributary.tck.internal.Expect;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;

/** Rules C5 and C6: the error policy — backoff and breaker while the broker is away, no retry of a fatal error. */
public final class ErrorPolicyRules {
    private final ProcessorKit kit;

    public ErrorPolicyRules(ProcessorKit kit) {
        this.kit = kit;
    }

    /** C5: the broker stops under a running tail processor and comes back. Needs {@link BrokerControl}. */
    public void c5() {
        Optional<BrokerControl> maybeControl = kit.fixture().control();
        Assumptions.assumeTrue(
                maybeControl.isPresent(),
                "C5 skipped: the fixture has no BrokerControl (a broker reached by URI cannot be stopped by the kit)");
        BrokerControl control = maybeControl.get();
        ClientConfig shortTimeouts = kit.fixture().config().toBuilder()
                .connectTimeout(Tck.scaled(Duration.ofSeconds(2)))
                .requestTimeout(Tck.scaled(Duration.ofSeconds(2)))
                .closeTimeout(Tck.scaled(Duration.ofSeconds(2)))
                .build();
        StreamClient client = kit.client(shortTimeouts);
        StreamName s = kit.created(client, "c5");
        for (int i = 0; i < 3; i++) {
            client.append(s, StreamRecord.of("before-" + i));
        }
        Backoff backoff = new Backoff(Duration.ofMillis(50), Duration.ofMillis(800), 2.0);
        List<long[]> retries = new CopyOnWriteArrayList<>(); // {attempt, delayNanos}
        List<String> circuit = new CopyOnWriteArrayList<>();
        Set<String> handled = ConcurrentHashMap.newKeySet();
        TailProcessor<String> p = kit.track(TailProcessor.builder(client, s, Codecs.utf8())
                .name(Tck.name("c5"))
                .pollWait(Duration.ofMillis(100))
                .sourceBackoff(backoff)
                .circuitBreaker(new CircuitBreaker.Settings(3, Duration.ofSeconds(1), 1))
                .listener(new ProcessorListener() {
                    @Override
                    public void onRetry(
                            String processor, String operation, int attempt, Duration delay, Throwable error) {
                        if (operation.equals("poll") || operation.equals("open")) {
                            retries.add(new long[] {attempt, delay.toNanos()});
                        }
                    }

                    @Override
                    public void onCircuitStateChange(
                            String processor, CircuitBreaker.State from, CircuitBreaker.State to) {
                        circuit.add(from + "->" + to);
                    }
                })
                .handler(m -> handled.add(m.value()))
                .build());
        p.start();
        Expect.eventually(
                Tck.scaled(Duration.ofSeconds(20)), () -> "the first 3 events handled", () -> handled.size() == 3);
        control.stop();
        try {
            Expect.eventually(
                    Tck.scaled(Duration.ofSeconds(90)),
                    () -> "while the broker is down: 7 retries and the breaker open, half-open and open again; saw "
                            + retries.size() + " retries, breaker " + circuit + ", state " + p.state() + " "
                            + p.failure(),
                    () -> p.state() != ProcessorState.RUNNING
                            || (circuit.contains("OPEN->HALF_OPEN")
                                    && circuit.contains("HALF_OPEN->OPEN")
                                    && retries.stream().anyMatch(r -> r[0] >= 7)));
            assertEquals(
                    ProcessorState.RUNNING, p.state(), "an unreachable broker is retried, not fatal: " + p.failure());
        } finally {
            control.start();
        }
        appendWhenBack(client, s, "after-", 3);
        Expect.eventually(
                Tck.scaled(Duration.ofSeconds(60)),
                () -> "the processor recovered and handled the events appended after the broker returned (handled "
                        + handled.size() + ", state " + p.state() + " " + p.failure() + ")",
                () -> handled.size() == 6 || p.state() != ProcessorState.RUNNING);
        assertEquals(ProcessorState.RUNNING, p.state(), "state after recovery: " + p.failure());
        Expect.eventually(
                Tck.scaled(Duration.ofSeconds(10)),
                () -> "the breaker closed after recovery: " + circuit,
                () -> p.circuitState() == CircuitBreaker.State.CLOSED);
        assertTrue(circuit.get(0).equals("CLOSED->OPEN"), "the breaker opened first: " + circuit);
        long maxAttempt = 0;
        Set<Long> capDelays = new HashSet<>();
        for (long[] r : retries) {
            Duration ceiling = backoff.ceiling((int) r[0]);
            assertTrue(
                    r[1] >= 0 && r[1] <= ceiling.toNanos(),
                    "retry " + r[0] + " waited " + r[1] / 1_000_000 + " ms, outside [0, " + ceiling.toMillis()
                            + " ms]");
            maxAttempt = Math.max(maxAttempt, r[0]);
            if (ceiling.equals(backoff.max())) {
                capDelays.add(r[1]);
            }
        }
        assertTrue(maxAttempt >= 5, "the backoff reached its cap (attempt 5 has the 800 ms ceiling): " + maxAttempt);
        assertTrue(capDelays.size() >= 2, "delays at the cap are jittered, not constant: " + capDelays);
        assertTrue(p.stop(Tck.scaled(Duration.ofSeconds(10))));
    }

    /**
     * Appends {@code count} records {@code prefix0…} once the broker answers again, retrying retryable
     * and indeterminate failures for a scaled 60 s in all (a record sent again after INDETERMINATE may
     * be stored twice, which the rule's set of handled values absorbs: a replicated broker can leave an
     * append unanswered while it elects leaders after the restart); any other failure fails the rule at
     * once.
     */
    private static void appendWhenBack(StreamClient client, StreamName s, String prefix, int count) {
        AtomicInteger appended = new AtomicInteger();
        AtomicReference<StreamException> lastError = new AtomicReference<>();
        Expect.eventually(
                Tck.scaled(Duration.ofSeconds(60)),
                () -> "append after the broker returned: " + lastError.get(),
                () -> {
                    while (appended.get() < count) {
                        try {
                            client.append(s, StreamRecord.of(prefix + appended.get()));
                            appended.incrementAndGet();
                        } catch (StreamException e) {
                            if (!e.isRetryable() && e.kind() != ErrorKind.INDETERMINATE) {
                                throw new AssertionError("append after the broker returned: " + e, e);
                            }
                            lastError.set(e);
                            return false;
                        }
                    }
                    return true;
                });
    }

    /** C6: AUTHENTICATION from a tail processor's poll; UNSUPPORTED or CONFIGURATION for a group processor. */
    public void c6() throws InterruptedException {
        StreamClient real = kit.client();
        StreamName s = kit.created(real, "c6");
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
        TailProcessor<String> tail = kit.track(TailProcessor.builder(denied, s, Codecs.utf8())
                .name(Tck.name("c6"))
                .listener(retries)
                .handler(m -> {})
                .build());
        tail.start();
        expectFailed(tail, ErrorKind.AUTHENTICATION, "tail processor, AUTHENTICATION from poll");
        assertEquals(1, polls.get(), "AUTHENTICATION is not retried");
        assertEquals(0, retries.count.get(), "no retry was scheduled");
        assertEquals(
                List.of(ProcessorState.RUNNING, ProcessorState.FAILED),
                retries.states,
                "the listener heard RUNNING then FAILED");

        RetryCounter groupRetries = new RetryCounter();
        if (!real.supports(Capability.CONSUMER_GROUPS)) {
            GroupProcessor<String> g = kit.track(GroupProcessor.builder(real, s, Tck.name("c6-group"), Codecs.utf8())
                    .listener(groupRetries)
                    .handler(m -> {})
                    .build());
            g.start();
            expectFailed(g, ErrorKind.UNSUPPORTED, "group processor on a backend without CONSUMER_GROUPS");
        } else {
            AtomicInteger groupPolls = new AtomicInteger();
            StreamClient misconfigured = new ForwardingStreamClient(real) {
                @Override
                public GroupConsumer openGroupConsumer(StreamName stream, String group, String member) {
                    return new ForwardingGroupConsumer(super.openGroupConsumer(stream, group, member)) {
                        @Override
                        public List<StreamEvent> poll(int maxCount, Duration wait) {
                            groupPolls.incrementAndGet();
                            throw new StreamException(ErrorKind.CONFIGURATION, "C6: wrong type of key");
                        }
                    };
                }
            };
            GroupProcessor<String> g =
                    kit.track(GroupProcessor.builder(misconfigured, s, Tck.name("c6-group"), Codecs.utf8())
                            .listener(groupRetries)
                            .handler(m -> {})
                            .build());
            g.start();
            expectFailed(g, ErrorKind.CONFIGURATION, "group processor, CONFIGURATION from poll");
            assertEquals(1, groupPolls.get(), "CONFIGURATION is not retried");
        }
        assertEquals(0, groupRetries.count.get(), "no retry was scheduled for the group processor");
    }

    private static void expectFailed(Processor p, ErrorKind kind, String what) throws InterruptedException {
        assertTrue(
                p.awaitTermination(Tck.scaled(Duration.ofSeconds(20))),
                what + ": the processor ended; state " + p.state());
        assertEquals(ProcessorState.FAILED, p.state(), what + ": state");
        Throwable cause = p.failure().orElse(null);
        assertTrue(
                cause instanceof StreamException se && se.kind() == kind,
                what + ": failure() is the " + kind + " error, got " + cause);
    }

    /** Counts scheduled retries and records the states a processor went through. */
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
}
