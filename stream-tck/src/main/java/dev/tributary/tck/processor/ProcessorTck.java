package dev.tributary.tck.processor;

import dev.tributary.Capability;
import dev.tributary.ClientConfig;
import dev.tributary.StreamClient;
import dev.tributary.StreamClients;
import dev.tributary.core.GroupProcessor;
import dev.tributary.core.TailProcessor;
import dev.tributary.tck.BrokerControl;
import dev.tributary.tck.BrokerFixture;
import dev.tributary.tck.RuleHint;
import dev.tributary.tck.Tck;
import dev.tributary.tck.internal.KitContext;
import dev.tributary.tck.internal.KitHooks;
import dev.tributary.tck.internal.RuleExtension;
import dev.tributary.tck.processor.internal.DeliveryRules;
import dev.tributary.tck.processor.internal.ErrorPolicyRules;
import dev.tributary.tck.processor.internal.GroupStartRules;
import dev.tributary.tck.processor.internal.ProcessorFactory;
import dev.tributary.tck.processor.internal.ProcessorHistoryRules;
import dev.tributary.tck.processor.internal.ProcessorKit;
import dev.tributary.tck.processor.internal.RandomFaultRules;
import dev.tributary.tck.processor.internal.RecoveryRules;
import dev.tributary.tck.processor.internal.StartStopRules;
import dev.tributary.tck.processor.internal.WipeRules;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The kit for the processor rules (C family of TCK-RULES.md): stream-core's {@link TailProcessor}
 * and {@link GroupProcessor} driven against a backend, one {@link Nested} group per concern and one
 * test per rule. A backend's test extends this class:
 *
 * <pre>{@code
 * class AcmeProcessorTckIT extends ProcessorTck {
 *     protected BrokerFixture fixture() { return AcmeFixture.shared(); }
 * }
 * }</pre>
 *
 * <p>Test names carry the rule id and strength ({@code required_C1_…}). C5, C7 and C8 need a fixture with
 * {@link BrokerControl}; without one it is skipped with that reason. C2 and C6 also run a group
 * processor where the backend declares {@link Capability#CONSUMER_GROUPS}, and so does C9 (C10 needs it); C6 checks that a group
 * processor fails with {@code UNSUPPORTED} where it does not. Every rule uses fresh names containing
 * the run id, stops its processors, closes its clients and deletes its streams. Waits are scaled by
 * {@value Tck#TIMEOUT_SCALE_PROPERTY}; each failure ends with a "check …" hint.
 *
 * <p>Hooks: {@link #fixture()} (required), {@link #openClient()}, {@link #openClient(ClientConfig)}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(RuleExtension.class)
@Execution(ExecutionMode.SAME_THREAD) // rules count threads and share the kit's per-rule cleanup: never in parallel
public abstract class ProcessorTck {
    private ProcessorKit kit;

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

    /**
     * True when this backend's fixture keeps every acknowledged append through a SIGKILL of the broker
     * (default false): F11 then kills the broker among its faults, else it stops it gracefully.
     */
    protected boolean faultsKillBroker() {
        return false;
    }

    /**
     * The processors C9 and C10 judge: stream-core's. Package-private on purpose: the kit's self-tests
     * hand in broken processors here; a backend's kit always judges stream-core's processors.
     */
    ProcessorFactory processors() {
        return ProcessorFactory.STREAM_CORE;
    }

    /** The rule bodies' view of this kit. */
    final ProcessorKit kit() {
        if (kit == null) {
            // the contract kit's credentials and ack-timeout hooks are not used by the processor rules
            kit = new ProcessorKit(
                    new KitContext(KitHooks.of(
                            this::fixture,
                            this::openClient,
                            this::openClient,
                            Optional::empty,
                            () -> Tck.scaled(Duration.ofSeconds(1)),
                            this::faultsKillBroker)),
                    processors());
        }
        return kit;
    }

    @AfterEach
    void stopProcessorsCloseClientsAndDeleteStreams() {
        kit().cleanup();
    }

    @Nested
    @DisplayName("C — delivery: checkpoints and dead letters")
    class Delivery {
        @Test
        @DisplayName(
                "C1 a tail processor with a checkpoint store, restarted 5 times while events flow, handles every event")
        @RuleHint(
                value = "that poll() advances to the last id returned and that openReader(after(id)) is exclusive; "
                        + "a checkpoint past an unhandled event or a skipped id loses events",
                budgetSeconds = 120)
        void required_C1_tailProcessorRestartedFiveTimesHandlesEveryEvent() throws Exception {
            new DeliveryRules(kit()).c1();
        }

        @Test
        @DisplayName(
                "C2 a handler that throws for one event: retried as configured, dead-lettered with the reason, the rest continue")
        @RuleHint(
                value = "good events not all handled: the group's start position (G11, C10 — C2's group is created "
                        + "on a stream that already holds its events); the dead letter missing or wrong: that headers with any "
                        + "Unicode value round-trip and that appending to the <stream>-dlq stream works (create it if the "
                        + "backend needs creation)",
                budgetSeconds = 90)
        void required_C2_failingEventIsRetriedThenDeadLetteredAndTheRestContinue() {
            new DeliveryRules(kit()).c2();
        }
    }

    @Nested
    @DisplayName("C — processors judged against the history")
    class History {
        @Test
        @DisplayName(
                "C9 a tail processor (checkpoint store, restarted) and a group processor (4 lanes) under 4 producers: every acknowledged event handled, per-key order within a lane, no checkpoint ahead of what was handled")
        @RuleHint(
                value = "the failure names the likely cause per symptom: lost events → the reader's after(id) and "
                        + "poll (A2, P3) or the group's start and redelivery (G5, C10); reordered → A8 or the processor's lanes; "
                        + "a checkpoint ahead → the processor's save order, never the backend",
                budgetSeconds = 150)
        void required_C9_processorsHandleEveryAcknowledgedEventInOrderAndNeverCheckpointAhead() throws Exception {
            new ProcessorHistoryRules(kit()).c9();
        }

        @Test
        @DisplayName(
                "C10 a group processor created on a non-empty stream starts where it was asked: earliest, latest or after(id)")
        @RuleHint(
                value = "G11 first (the backend's createGroup honours the start position); if G11 passes, that the "
                        + "processor hands its groupOptions' start to createGroup",
                budgetSeconds = 90)
        void optional_C10_groupProcessorOnANonEmptyStreamStartsWhereAsked() {
            new GroupStartRules(kit()).c10();
        }
    }

    @Nested
    @DisplayName("C — lifecycle: concurrent start/stop, stop from the handler")
    class Lifecycle {
        @Test
        @DisplayName(
                "C3 concurrent start/stop from 8 threads: one running loop at most, no leak, final state consistent")
        @RuleHint(
                value =
                        "that StreamReader.close() is idempotent and wakes a blocked poll, and that openReader does not "
                                + "block beyond the request timeout",
                budgetSeconds = 120)
        void required_C3_concurrentStartStopRunsOneLoopAtMostAndLeaksNothing() throws Exception {
            new StartStopRules(kit()).c3();
        }

        @Test
        @DisplayName("C4 stop from inside the handler returns; the processor stops after that batch")
        @RuleHint(
                value = "that poll returns the events it has without waiting for a full batch, and that nothing in "
                        + "the backend blocks the processor's thread after the stop",
                budgetSeconds = 60)
        void required_C4_stopFromInsideTheHandlerReturnsAndStopsAfterThatBatch() throws Exception {
            new StartStopRules(kit()).c4();
        }
    }

    @Nested
    @DisplayName("C — error policy: backoff, circuit breaker, fatal errors")
    class ErrorPolicy {
        @Test
        @DisplayName(
                "C5 backend unreachable: backoff grows with jitter to its cap; the breaker opens and half-opens; the processor recovers")
        @RuleHint(
                value =
                        "that poll() fails with RETRYABLE (not an empty answer forever, not a fatal kind) while the broker "
                                + "is down, within the request timeout, and that the client reconnects by itself",
                budgetSeconds = 240)
        void required_C5_unreachableBackendBacksOffOpensTheBreakerAndRecovers() {
            new ErrorPolicyRules(kit()).c5();
        }

        @Test
        @DisplayName("C6 a fatal error (authentication, unsupported) fails the processor visibly, no retry loop")
        @RuleHint(
                value = "the mapping of native errors onto ErrorKind: credentials → AUTHENTICATION, an undeclared "
                        + "capability → UNSUPPORTED, both fatal",
                budgetSeconds = 60)
        void required_C6_fatalErrorFailsTheProcessorAtOnceWithoutRetry() throws Exception {
            new ErrorPolicyRules(kit()).c6();
        }
    }

    @Nested
    @DisplayName("C — recovery: a broker restart under the defaults")
    class Recovery {
        @Test
        @DisplayName("C7 Publisher keeps order per key across retries while the broker restarts")
        @RuleHint(
                value =
                        "that an append cut off by the restart fails INDETERMINATE or RETRYABLE (never OK without "
                                + "being stored), and that the client reconnects by itself well within the Publisher's 2 min deadline",
                budgetSeconds = 180)
        void required_C7_publisherKeepsOrderPerKeyAcrossARestart() throws Exception {
            new RecoveryRules(kit()).c7();
        }

        @Test
        @DisplayName(
                "C8 a processor handles the next event within about a second (scaled, plus jitter) of the broker answering again")
        @RuleHint(
                value = "the client's own reconnect delay (it must not back off for tens of seconds) and that poll "
                        + "fails fast (RETRYABLE) while the broker is down instead of hanging",
                budgetSeconds = 120)
        void required_C8_processorResumesWithinAboutASecondOfTheBrokerReturning() throws Exception {
            new RecoveryRules(kit()).c8();
        }
    }

    @Nested
    @DisplayName("F — the broker loses its data under processors")
    class Wipe {
        @Test
        @DisplayName(
                "F7 the broker loses its data: a running tail and group processor and a tail restarted from its checkpoint report onGap and fail DATA_LOSS, never handle the new stream")
        @RuleHint(
                value = "the reader's and group member's F7 rule first (the processors only pass DATA_LOSS on), then "
                        + "that the tail loop hands a DATA_LOSS poll to the gap policy",
                budgetSeconds = 180)
        void required_F7_processorsReportTheBrokersDataLoss() throws Exception {
            new WipeRules(kit()).f7();
        }
    }

    @Nested
    @DisplayName("F — a randomized fault run under processors")
    class RandomFaults {
        @Test
        @DisplayName(
                "F11 a random mix of kills, pauses, resets, black-holes and latency under the Publisher + group + tail workload: 0 acknowledged lost, 0 per-key reorders, duplicates counted")
        @RuleHint(
                value =
                        "the seed printed with the failure replays the fault schedule (-Dtributary.tck.f11.seed); "
                                + "check the rule the failing fault belongs to first (F1-F4 for the broker, F8-F10 for the network)",
                budgetSeconds = 420)
        void required_F11_randomizedFaultsLoseNothingAndKeepPerKeyOrder() throws Exception {
            new RandomFaultRules(kit()).f11(kit().faultsKillBroker());
        }
    }
}
