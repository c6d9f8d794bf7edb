package dev.tributary.tck;

import dev.tributary.ClientConfig;
import dev.tributary.StreamClient;
import dev.tributary.StreamClients;
import dev.tributary.tck.internal.AppendRules;
import dev.tributary.tck.internal.DataLossRules;
import dev.tributary.tck.internal.ErrorRules;
import dev.tributary.tck.internal.FaultRules;
import dev.tributary.tck.internal.GroupRules;
import dev.tributary.tck.internal.HistoryRules;
import dev.tributary.tck.internal.KitContext;
import dev.tributary.tck.internal.KitHooks;
import dev.tributary.tck.internal.LifecycleRules;
import dev.tributary.tck.internal.NetworkFaultRules;
import dev.tributary.tck.internal.PartitionRules;
import dev.tributary.tck.internal.PositionRules;
import dev.tributary.tck.internal.PromiseRules;
import dev.tributary.tck.internal.RuleExtension;
import dev.tributary.tck.internal.WindowRules;
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
 * The kit for the contract rules: the L, A, P, H, G, E, K and F families of TCK-RULES.md, one
 * {@link Nested} group per family and one test per rule. A backend's test extends this class and
 * supplies a {@link BrokerFixture}:
 *
 * <pre>{@code
 * class AcmeTckIT extends StreamClientTck {
 *     protected BrokerFixture fixture() { return AcmeFixture.shared(); }
 * }
 * }</pre>
 *
 * <p>Test names carry the rule id and strength ({@code required_A4_…}, {@code optional_G3_…}). A rule
 * gated by a capability the backend does not declare first checks that using it fails fast with
 * {@code UNSUPPORTED}, then is reported as skipped with the capability named. The fault rules (F)
 * are skipped with that reason when the fixture offers no {@link BrokerControl}. Every rule uses
 * fresh stream names containing the run id ({@link Tck#runId()}), closes the clients it opened and
 * deletes its streams. Each failure message ends with a one-line "if this fails, check …" hint.
 * All waits are scaled by {@value Tck#TIMEOUT_SCALE_PROPERTY}.
 *
 * <p>Hooks: {@link #fixture()} (required), {@link #openClient()}, {@link #openClient(ClientConfig)},
 * {@link #wrongCredentials()}, {@link #groupAckTimeout()}, {@link #faultsKillBroker()},
 * {@link #partitionedStreamsConfig()}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(RuleExtension.class)
@Execution(ExecutionMode.SAME_THREAD) // rules count threads and share the kit's per-rule cleanup: never in parallel
public abstract class StreamClientTck {
    private KitContext context;

    /** The broker of this run; return one shared instance (started once per JVM). */
    protected abstract BrokerFixture fixture();

    /** Opens a fresh client; the kit closes it. Defaults to {@link StreamClients#open(ClientConfig)}. */
    protected StreamClient openClient() {
        return StreamClients.open(fixture().config());
    }

    /**
     * Opens a client with another configuration — the fixture's with shorter timeouts, for the fault
     * rules. Defaults to {@link StreamClients#open(ClientConfig)}.
     */
    protected StreamClient openClient(ClientConfig config) {
        return StreamClients.open(config);
    }

    /** A configuration with wrong credentials for rule E5; empty: E5 is skipped with that reason. */
    protected Optional<ClientConfig> wrongCredentials() {
        return Optional.empty();
    }

    /** The ack timeout G5 creates its group with (default 1 s, scaled); raise it if the backend has a minimum. */
    protected Duration groupAckTimeout() {
        return Tck.scaled(Duration.ofSeconds(1));
    }

    /**
     * Whether F2 and F4 kill the broker (SIGKILL) rather than stop it gracefully. Default false: a
     * killed broker may lose acknowledged appends it had not persisted, which is a property of its
     * configuration rather than of the client.
     */
    protected boolean faultsKillBroker() {
        return false;
    }

    /**
     * The configuration whose clients create and read partitioned streams, for the K rules, when the
     * backend's default client does not (Kafka: {@code partitions=N}). Default empty: the K rules use
     * {@link #openClient()}.
     */
    protected Optional<ClientConfig> partitionedStreamsConfig() {
        return Optional.empty();
    }

    /** The rule bodies' view of this kit. */
    final KitContext kit() {
        if (context == null) {
            context = new KitContext(KitHooks.of(
                    this::fixture,
                    this::openClient,
                    this::openClient,
                    this::wrongCredentials,
                    this::groupAckTimeout,
                    this::faultsKillBroker,
                    this::partitionedStreamsConfig));
        }
        return context;
    }

    @AfterEach
    void closeClientsAndDeleteStreams() {
        kit().cleanup();
    }

    @Nested
    @DisplayName("L — discovery and lifecycle")
    class Lifecycle {
        @Test
        @DisplayName("L1 the backend is found by ServiceLoader under its declared name and URI scheme")
        @RuleHint(
                "the META-INF/services/dev.tributary.spi.StreamProvider entry (or @AutoService), name() and schemes()")
        void required_L1_backendIsFoundByServiceLoaderUnderItsNameAndScheme() {
            new LifecycleRules(kit()).l1();
        }

        @Test
        @DisplayName("L2 open with valid config; a health check answers")
        @RuleHint("the provider's create() connects within connectTimeout and health() pings the broker")
        void required_L2_openWithValidConfigAndHealthAnswers() {
            new LifecycleRules(kit()).l2();
        }

        @Test
        @DisplayName("L3 close() twice is a no-op; every call after close fails with CLOSED")
        @RuleHint("a closed flag checked at the top of every public method, before validation or I/O")
        void required_L3_closeIsIdempotentAndCallsAfterCloseFailClosed() {
            new LifecycleRules(kit()).l3();
        }

        @Test
        @DisplayName("L4 close() during a blocked read wakes it within 2 s; no thread left behind")
        @RuleHint("close() of the client and StreamReader.close() must signal every blocked poll they own "
                + "(condition/wakeup), and the client stops or joins every thread it started")
        void required_L4_closeWakesABlockedReadAndLeavesNoThread() {
            new LifecycleRules(kit()).l4();
        }

        @Test
        @DisplayName("L5 100 open/close cycles leave threads and open files at baseline")
        @RuleHint("close() releases sockets, executors and event loops the client created; shared resources are reused")
        void required_L5_openCloseCyclesLeaveThreadsAndFilesAtBaseline() {
            new LifecycleRules(kit()).l5();
        }

        @Test
        @DisplayName("L6 creating a stream or group twice is fine (idempotent)")
        @RuleHint(
                "'already exists' answers of the broker (BUSYGROUP, TopicExistsException, stream name in use) are success")
        void required_L6_creatingAStreamOrGroupTwiceIsIdempotent() {
            new LifecycleRules(kit()).l6();
        }

        @Test
        @DisplayName(
                "L7 a poll on an interrupted thread returns promptly (events or RETRYABLE) and the interrupt flag stays set")
        @RuleHint(
                "a blocking wait inside poll must end on interrupt and restore the flag (Thread.currentThread().interrupt()) instead of swallowing it")
        void required_L7_aPollOnAnInterruptedThreadReturnsPromptlyAndKeepsTheFlag() {
            new PromiseRules(kit()).l7();
        }

        @Test
        @DisplayName(
                "L8 every method after close(), parseId included, fails CLOSED; a poll blocked when close() runs ends CLOSED")
        @RuleHint(
                "build the client on dev.tributary.spi.AbstractStreamClient/AbstractStreamReader/AbstractGroupConsumer, which own the closed flag and map a poll woken by close to CLOSED")
        void required_L8_everyMethodAfterCloseAndEveryBlockedPollEndClosed() {
            new LifecycleRules(kit()).l8();
        }
    }

    @Nested
    @DisplayName("A — append and read")
    class AppendAndRead {
        @Test
        @DisplayName("A1 append returns the broker-assigned id; ids are strictly increasing")
        @RuleHint("the id returned by append is the one the broker stored, mapped without loss to EventId")
        void required_A1_appendReturnsTheBrokerIdAndIdsIncrease() {
            new AppendRules(kit()).a1();
        }

        @Test
        @DisplayName("A2 100 records appended before reading all arrive, in order, byte-for-byte")
        @RuleHint("batching of reads (cursor advance), and the payload/key/header encoding round trip")
        void required_A2_appendedRecordsArriveInOrderByteForByte() {
            new AppendRules(kit()).a2();
        }

        @Test
        @DisplayName("A3 empty payload round-trips as empty; a 0-byte key and no key are distinct")
        @RuleHint("how an empty payload and a null vs empty key are encoded (tombstones, missing fields)")
        void required_A3_emptyPayloadAndEmptyKeyVersusNoKey() {
            new AppendRules(kit()).a3();
        }

        @Test
        @DisplayName("A4 payload exactly at the max size passes; one byte over fails TOO_LARGE, nothing written")
        @RuleHint("limits().maxPayloadBytes() matches the broker's real limit, checked with Checks.record before I/O")
        void required_A4_payloadAtMaxSizePassesAndOneByteOverFailsTooLarge() {
            new AppendRules(kit()).a4();
        }

        @Test
        @DisplayName("A5 any Unicode, quotes, ':' and CR/LF in header values round-trip; order and repeats kept")
        @RuleHint(
                "header values are encoded as UTF-8 (or escaped where the wire cannot carry them) and decoded symmetrically")
        void required_A5_headerValuesRoundTripWithOrderAndRepeatedKeys() {
            new AppendRules(kit()).a5();
        }

        @Test
        @DisplayName("A6 streams are isolated: nothing appended to one is read from another")
        @RuleHint("the mapping of stream names to broker objects (prefix matches, wildcard subjects, shared topics)")
        void required_A6_streamsAreIsolated() {
            new AppendRules(kit()).a6();
        }

        @Test
        @DisplayName("A7 20 threads appending 10 000 records concurrently: none lost, per-thread order kept")
        @RuleHint("the thread-safety of the append pipeline and its in-flight window; completion of every future")
        void required_A7_concurrentAppendsLoseNothingAndKeepPerThreadOrder() {
            new AppendRules(kit()).a7();
        }

        @Test
        @DisplayName("A8 batch append returns one id per record, in order")
        @RuleHint("a batch is sent in list order and its ids are matched to records by position")
        void required_A8_batchAppendReturnsOneIdPerRecordInOrder() {
            new AppendRules(kit()).a8();
        }

        @Test
        @DisplayName("A9 idempotent append: the same idempotency id twice stores one event and returns the same id")
        @RuleHint(
                "the idempotency id is sent to the broker's dedup (e.g. Nats-Msg-Id) and a duplicate's answer maps to the first id")
        void optional_A9_idempotentAppendStoresOneEvent() {
            new AppendRules(kit()).a9();
        }

        @Test
        @DisplayName(
                "A11 with the window of appends in flight full, appendAsync returns a future that fails BACKPRESSURE within the request timeout")
        @RuleHint(
                value =
                        "take room with dev.tributary.spi.AppendWindow.open(), which fails the future (never throws) when no room comes free",
                budgetSeconds = 120)
        void required_A11_aFullAppendWindowFailsTheFutureWithBackpressure() {
            new WindowRules(kit()).a11();
        }

        @Test
        @DisplayName("A10 namespaces isolate: a stream written through namespace a does not exist through namespace b")
        @RuleHint(
                "the namespace prefix is applied to every broker object name (key, topic, JetStream stream and subject)")
        void required_A10_namespacesIsolateStreams() {
            new PromiseRules(kit()).a10();
        }

        @Test
        @DisplayName("A12 the id an append returned is the id its event is read under, also with concurrent appends")
        @RuleHint("each append's future is completed from its own reply (replies matched to requests in order)")
        void required_A12_theIdAnAppendReturnedIsTheIdItIsReadUnder() {
            new PromiseRules(kit()).a12();
        }

        @Test
        @DisplayName(
                "A13 idempotency ids are scoped to their stream: the same id on two streams stores one event in each")
        @RuleHint("the dedup key includes the stream (per-stream dedup window or key prefix)")
        void optional_A13_idempotencyIdsAreScopedToTheirStream() {
            new PromiseRules(kit()).a13();
        }
    }

    @Nested
    @DisplayName("P — positions")
    class Positions {
        @Test
        @DisplayName("P1 earliest reads everything retained; latest only what is appended after the read starts")
        @RuleHint("the mapping of earliest/latest to the broker's start positions")
        void required_P1_earliestReadsAllAndLatestOnlyNewEvents() {
            new PositionRules(kit()).p1();
        }

        @Test
        @DisplayName("P2 latest is resolved at start: an event appended between two polls is never lost")
        @RuleHint("openReader(latest) must resolve to after(last id) at open; never pass a symbolic '$' on each poll")
        void required_P2_latestIsResolvedAtStart() {
            new PositionRules(kit()).p2();
        }

        @Test
        @DisplayName("P3 after(id) is exclusive; resuming from the last id read yields exactly the rest")
        @RuleHint("after(id) maps to the broker's exclusive start (e.g. '(' prefix, offset + 1, sequence + 1)")
        void required_P3_afterIdIsExclusive() {
            new PositionRules(kit()).p3();
        }

        @Test
        @DisplayName("P4 an id's string form parses back to an equal id; ids compare in stream order")
        @RuleHint("parseId and EventId.toString() use the same form (sequence 'N' or pair 'N-M')")
        void required_P4_idStringFormRoundTripsAndIdsCompareInOrder() {
            new PositionRules(kit()).p4();
        }

        @Test
        @DisplayName("P5 at(time) starts at the first event at or after that time")
        @RuleHint("the time lookup uses broker timestamps and is inclusive (offsetsForTimes, MINID, opt_start_time)")
        void optional_P5_atTimeStartsAtFirstEventAtOrAfterIt() {
            new PositionRules(kit()).p5();
        }

        @Test
        @DisplayName(
                "P6 reading from a position older than the retained head reports DATA_LOSS, never continues silently")
        @RuleHint(
                "compare the cursor with the stream's first retained id before reading; raise DATA_LOSS and keep the cursor")
        void required_P6_positionOlderThanTheHeadReportsAGap() {
            new PositionRules(kit()).p6();
        }

        @Test
        @DisplayName("P7 an invalid or foreign id string fails with INVALID_ARGUMENT")
        @RuleHint("parseId rejects malformed text and the id form of other backends")
        void required_P7_invalidOrForeignIdStringFailsInvalidArgument() {
            new PositionRules(kit()).p7();
        }

        @Test
        @DisplayName(
                "P8 a blocking read with nothing to read returns empty when its wait ran out (not before, not much after) and wakes on an append")
        @RuleHint("the broker's block/poll timeout is set from the wait (an empty answer only when it ran out), wait 0 "
                + "does not block, and a blocked poll returns as soon as an event arrives")
        void required_P8_blockingReadReturnsEmptyWithinItsWait() {
            new PositionRules(kit()).p8();
        }
    }

    @Nested
    @DisplayName("H — history and info")
    class HistoryAndInfo {
        @Test
        @DisplayName(
                "H1 range(from, to, max) returns exactly the events between, in order, paging without gaps or repeats")
        @RuleHint("range bounds: exclusive after(id), inclusive toInclusive, maxCount honoured")
        void required_H1_rangeReturnsExactlyTheEventsBetween() {
            new HistoryRules(kit()).h1();
        }

        @Test
        @DisplayName("H2 range on an empty or missing stream returns empty; errors propagate")
        @RuleHint("only 'no such stream' becomes an empty list; every other failure is thrown with its kind")
        void required_H2_rangeOnEmptyOrMissingIsEmptyAndErrorsPropagate() {
            new HistoryRules(kit()).h2();
        }

        @Test
        @DisplayName("H3 info on a missing stream says it does not exist; on an empty one length 0, no first/last id")
        @RuleHint("info must answer, not throw, for a missing or empty stream (StreamInfo.missing / StreamInfo.empty)")
        void required_H3_infoOnMissingAndEmptyStreams() {
            new HistoryRules(kit()).h3();
        }

        @Test
        @DisplayName("H4 info after appends: length, first and last id and their times match what was appended")
        @RuleHint("info reads the first and last entries' ids and broker timestamps, not client clocks")
        void required_H4_infoAfterAppendsMatches() {
            new HistoryRules(kit()).h4();
        }

        @Test
        @DisplayName("H5 trim by length keeps the newest N (exactly, or at least N)")
        @RuleHint(
                value =
                        "EXACT_TRIM is declared only when trimming is exact; the newest events are the ones kept; "
                                + "a second trim counts from what is retained; an approximate trim still removes most of a long stream",
                budgetSeconds = 180)
        void optional_H5_trimByLengthKeepsTheNewest() {
            new HistoryRules(kit()).h5();
        }

        @Test
        @DisplayName("H6 trim by age / below an id")
        @RuleHint("below(id) keeps the event with that id; olderThan uses broker timestamps")
        void optional_H6_trimByAgeOrBelowAnId() {
            new HistoryRules(kit()).h6();
        }

        @Test
        @DisplayName("H7 info after appendBatch: length, first id and last id are the batch's")
        @RuleHint("info reads the stream's real first and last entries, also after a pipelined or transactional batch")
        void required_H7_infoAfterABatchReportsTheBatchIds() {
            new PromiseRules(kit()).h7();
        }

        @Test
        @DisplayName("H8 deleteStream deletes its groups: after delete and re-create the old group does not exist")
        @RuleHint("deleteStream removes the stream's consumer groups (or their offsets/consumers) with the stream")
        void optional_H8_deleteStreamDeletesItsGroups() {
            new PromiseRules(kit()).h8();
        }
    }

    @Nested
    @DisplayName("G — consumer groups")
    class ConsumerGroups {
        @Test
        @DisplayName("G1 a group created before appends receives events appended before its first member attaches")
        @RuleHint("the group's start position is resolved at creation (earliest by default), not when a member joins")
        void optional_G1_groupReceivesEventsAppendedBeforeItsFirstMember() {
            new GroupRules(kit()).g1();
        }

        @Test
        @DisplayName("G2 two groups each receive every event")
        @RuleHint("groups keep independent cursors and pending lists")
        void optional_G2_twoGroupsEachReceiveEveryEvent() {
            new GroupRules(kit()).g2();
        }

        @Test
        @DisplayName("G3 five members of one group: every event to exactly one member while all ack")
        @RuleHint("the group's delivery is exclusive per event and acks are applied before redelivery is considered")
        void optional_G3_fiveMembersShareTheEventsExactlyOnce() {
            new GroupRules(kit()).g3();
        }

        @Test
        @DisplayName("G4 a nacked event is redelivered; its delivery count rises")
        @RuleHint("nack makes the event due at once (not after the ack timeout) and increments its delivery count")
        void optional_G4_nackedEventIsRedeliveredWithHigherCount() {
            new GroupRules(kit()).g4();
        }

        @Test
        @DisplayName("G5 a member that dies without acking: another member gets its events after the ack timeout")
        @RuleHint("idle pending entries are claimed (XAUTOCLAIM, ack wait, rebalance) after the group's ack timeout; "
                + "acks the broker accepted are sent, not buffered and dropped when the member closes")
        void optional_G5_unackedEventsOfADeadMemberAreRedelivered() {
            new GroupRules(kit()).g5();
        }

        @Test
        @DisplayName("G6 ack is idempotent; acking unknown ids does not fail and is counted")
        @RuleHint("AckResult counts ids that were pending (acked) and the rest (unknown); a second ack is unknown")
        void optional_G6_ackIsIdempotentAndUnknownIdsAreCounted() {
            new GroupRules(kit()).g6();
        }

        @Test
        @DisplayName("G7 a new member resumes after the last acked event; no loss across 5 member restarts")
        @RuleHint(
                "acks are persisted to the broker before close; a new member starts from the group's committed position")
        void optional_G7_newMemberResumesAfterLastAck() {
            new GroupRules(kit()).g7();
        }

        @Test
        @DisplayName("G8 pending and lag figures match what is unacked and unread")
        @RuleHint("groupInfo: pending = delivered and unacked, lag = not yet delivered (or -1 if unknown)")
        void optional_G8_pendingAndLagMatch() {
            new GroupRules(kit()).g8();
        }

        @Test
        @DisplayName("G9 deleting a group stops its deliveries; other groups unaffected")
        @RuleHint("deleteGroup removes the group on the broker; members' polls then fail NOT_FOUND")
        void optional_G9_deletingAGroupStopsItsDeliveries() {
            new GroupRules(kit()).g9();
        }

        @Test
        @DisplayName(
                "G10 an ack the broker accepted is final, even after the ack timeout if no redelivery happened yet")
        @RuleHint("an accepted late ack removes the event from the pending set; it is not redelivered afterwards")
        void optional_G10_anAcceptedAckIsFinal() {
            new PromiseRules(kit()).g10();
        }

        @Test
        @DisplayName(
                "G11 a group created at latest or after(id) on a non-empty stream receives exactly the later events")
        @RuleHint("createGroup resolves latest/after(id) to the group's start position on the broker (not earliest)")
        void optional_G11_aGroupCreatedAtLatestOrAfterGetsExactlyTheLaterEvents() {
            new PromiseRules(kit()).g11();
        }
    }

    @Nested
    @DisplayName("E — errors and bad input")
    class ErrorsAndBadInput {
        @Test
        @DisplayName("E1 bad stream, group and member names fail with INVALID_ARGUMENT before any I/O")
        @RuleHint("every public method checks its names (Checks.stream/group/member) before touching the broker")
        void required_E1_badNamesFailInvalidArgument() {
            new ErrorRules(kit()).e1();
        }

        @Test
        @DisplayName("E2 null record, null payload, null header key or value, too many header bytes → INVALID_ARGUMENT")
        @RuleHint("Checks.record/Checks.batch run before any I/O and async methods throw them directly")
        void required_E2_badRecordsFailInvalidArgument() {
            new ErrorRules(kit()).e2();
        }

        @Test
        @DisplayName("E3 zero, negative and absurd counts and waits → INVALID_ARGUMENT or a documented meaning")
        @RuleHint("Checks.count and Checks.wait on every poll and range")
        void required_E3_badCountsAndWaitsFailInvalidArgument() {
            new ErrorRules(kit()).e3();
        }

        @Test
        @DisplayName("E4 reading or acking on a missing stream or group → NOT_FOUND within the call's bound")
        @RuleHint(
                "map the broker's 'no such group/stream' answers (NOGROUP, unknown consumer) to NOT_FOUND; never wait forever")
        void required_E4_missingStreamOrGroupFailsNotFoundInTime() {
            new ErrorRules(kit()).e4();
        }

        @Test
        @DisplayName("E5 wrong credentials → authentication error, classified fatal, not retried")
        @RuleHint(
                "map the broker's auth failure (NOAUTH, WRONGPASS, SaslAuthenticationException, Authorization Violation) to AUTHENTICATION")
        void required_E5_wrongCredentialsFailAuthentication() {
            new ErrorRules(kit()).e5();
        }

        @Test
        @DisplayName("E6 after any E-case the same client still works")
        @RuleHint("a rejected call must not leave the client's connection or state broken")
        void required_E6_clientStillWorksAfterBadInput() {
            new ErrorRules(kit()).e6();
        }

        @Test
        @DisplayName("E7 10^5 random names, headers and payloads through validation: only documented kinds, no hang")
        @RuleHint("validation throws StreamException(INVALID_ARGUMENT/TOO_LARGE) only, never NPE or another exception")
        void required_E7_randomInputYieldsOnlyDocumentedErrors() {
            new ErrorRules(kit()).e7();
        }
    }

    @Nested
    @DisplayName("K — partitioned streams (capability PARTITIONED)")
    class Partitions {
        @Test
        @DisplayName("K1 order per key holds with 20 concurrent producers; a key's partition is Partitioner's")
        @RuleHint("records go to Partitioner.partition(key, n) (Kafka's murmur2); appends of one key keep their order")
        void optional_K1_orderPerKeyHoldsWith20ConcurrentProducers() {
            new PartitionRules(kit()).k1();
        }

        @Test
        @DisplayName(
                "K2 the cursor's string form round-trips and resumes across client restarts with no loss and no duplicates")
        @RuleHint(
                "StreamReader.cursor() holds every partition's place; Position.after(cursor) starts each partition there")
        void optional_K2_theCursorsTextResumesAcrossClientsWithNoLossAndNoDuplicates() {
            new PartitionRules(kit()).k2();
        }

        @Test
        @DisplayName("K3 range returns every event of every partition exactly once, in the documented interleaving")
        @RuleHint(
                "range reads each partition after its cursor entry and keeps the first maxCount by timestamp, then partition (spi.Interleaving)")
        void optional_K3_rangeReturnsEveryEventOfEveryPartitionOnceInOrder() {
            new PartitionRules(kit()).k3();
        }

        @Test
        @DisplayName("K4 earliest, latest and at(time) over all partitions")
        @RuleHint("latest is resolved per partition when the reader opens; at(time) looks up each partition")
        void optional_K4_earliestLatestAndAtTimeOverAllPartitions() {
            new PartitionRules(kit()).k4();
        }

        @Test
        @DisplayName(
                "K5 a group over partitions loses nothing while members join and leave; duplicates bounded and counted")
        @RuleHint(
                "a member reads every partition (or the partitions the broker assigned it); acks are routed by the id's partition")
        void optional_K5_aGroupOverPartitionsLosesNothingWhileMembersJoinAndLeave() {
            new PartitionRules(kit()).k5();
        }

        @Test
        @DisplayName("K6 info totals and per-partition figures equal what was appended")
        @RuleHint("info sums the partitions and lists each with its own (plain) first and last ids")
        void optional_K6_infoTotalsAndPerPartitionFiguresEqualWhatWasAppended() {
            new PartitionRules(kit()).k6();
        }

        @Test
        @DisplayName("K7 a gap in one partition is DATA_LOSS naming that partition")
        @RuleHint("each partition's cursor entry is checked against that partition's retained head")
        void optional_K7_aGapInOnePartitionIsDataLossNamingThePartition() {
            new PartitionRules(kit()).k7();
        }

        @Test
        @DisplayName(
                "K8 one-partition code meets a partitioned stream: reads cover every partition, one id alone is refused")
        @RuleHint(
                "earliest/latest/at apply to every partition; after(id) and a range end id are INVALID_ARGUMENT naming the cursor")
        void optional_K8_onePartitionCodeMeetsAPartitionedStream() {
            new PartitionRules(kit()).k8();
        }
    }

    @Nested
    @DisplayName("F — faults (needs a fixture that controls the broker, or a fault proxy for F8–F10)")
    class Faults {
        @Test
        @DisplayName("F1 broker stopped: appends fail with a retryable kind within the timeout; no unbounded buffering")
        @RuleHint(
                value =
                        "request timeouts on every call, a bounded in-flight window, and broker errors mapped to RETRYABLE",
                budgetSeconds = 300)
        void required_F1_brokerStoppedAppendsFailRetryableInTime() {
            new FaultRules(kit()).f1();
        }

        @Test
        @DisplayName("F2 broker restarted while 20 producers append and a group consumes: lost = 0, duplicates bounded")
        @RuleHint(
                value =
                        "INDETERMINATE vs RETRYABLE classification, reconnect of producers and consumers, ack persistence",
                budgetSeconds = 400)
        void required_F2_brokerRestartLosesNoAcknowledgedAppend() {
            new FaultRules(kit()).f2();
        }

        @Test
        @DisplayName(
                "F3 broker paused longer than the timeouts: calls fail retryable, then recover without a new client")
        @RuleHint(
                value =
                        "calls are bounded by requestTimeout even when the socket stays open; the connection is re-established",
                budgetSeconds = 300)
        void required_F3_brokerPausedCallsFailThenRecover() {
            new FaultRules(kit()).f3();
        }

        @Test
        @DisplayName("F4 the client resumes reads and group deliveries after reconnect without application help")
        @RuleHint(
                value = "readers and consumers keep their cursor client-side and re-subscribe after reconnect",
                budgetSeconds = 300)
        void required_F4_readsAndGroupDeliveriesResumeAfterReconnect() {
            new FaultRules(kit()).f4();
        }

        @Test
        @DisplayName("F5 close() returns within 5 s with the broker paused")
        @RuleHint(
                value = "close() must not wait unboundedly for in-flight requests or a graceful broker goodbye",
                budgetSeconds = 300)
        void required_F5_closeReturnsInTimeWithBrokerPaused() {
            new FaultRules(kit()).f5();
        }

        @Test
        @DisplayName(
                "F6 appends pending when close() runs with the broker paused end INDETERMINATE if they may have reached the broker, CLOSED only if never sent")
        @RuleHint(
                value =
                        "mark an append sent (AppendWindow.Append.sent()) just before it may leave the process; close settles sent ones INDETERMINATE",
                budgetSeconds = 180)
        void required_F6_pendingAppendsAtCloseEndIndeterminateUnlessNeverSent() {
            new WindowRules(kit()).f6();
        }

        @Test
        @DisplayName(
                "F7 the broker loses its data: a reader and a group member that read the old stream, a range and a reader given an id of it report DATA_LOSS, never carry on into the new one")
        @RuleHint(
                value =
                        "a reader keeps what identifies the stream it read (creation time, topic id, the last id read) and "
                                + "compares it when it reaches the broker again; a member whose group vanished with the stream's data "
                                + "fails DATA_LOSS, not NOT_FOUND; an id beyond the stream's end, or below its first entry when nothing "
                                + "was ever removed, is not of this stream",
                budgetSeconds = 180)
        void required_F7_brokerDataLossIsReportedToReadersAndGroups() {
            new DataLossRules(kit()).f7();
        }

        @Test
        @DisplayName(
                "F8 every connection reset mid-batch (fault proxy): 0 acknowledged lost, recovery without application help")
        @RuleHint(
                value =
                        "a reset connection is re-established by the client; appends cut off by it fail INDETERMINATE, not RETRYABLE",
                budgetSeconds = 120)
        void required_F8_connectionsResetMidBatchLoseNothing() {
            new NetworkFaultRules(kit()).f8();
        }

        @Test
        @DisplayName(
                "F9 traffic black-holed longer than every timeout, then healed (fault proxy): calls fail retryable within their bounds, then recover")
        @RuleHint(
                value =
                        "every call is bounded by requestTimeout on a silent socket; timed-out sent appends are INDETERMINATE; the client reconnects or resumes by itself",
                budgetSeconds = 120)
        void required_F9_blackHoledCallsFailRetryableThenRecover() {
            new NetworkFaultRules(kit()).f9();
        }

        @Test
        @DisplayName(
                "F10 200 ms of added latency (fault proxy): everything still correct with default timeouts, no spurious failures")
        @RuleHint(
                value =
                        "timeouts measured per request, not per batch or queue; pipelining instead of one round trip per record",
                budgetSeconds = 120)
        void required_F10_addedLatencyCausesNoSpuriousFailures() {
            new NetworkFaultRules(kit()).f10();
        }
    }
}
