package dev.tributary.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.AckResult;
import dev.tributary.Capability;
import dev.tributary.Cursor;
import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.GroupConsumer;
import dev.tributary.GroupInfo;
import dev.tributary.GroupOptions;
import dev.tributary.Health;
import dev.tributary.Limits;
import dev.tributary.Position;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamInfo;
import dev.tributary.StreamName;
import dev.tributary.StreamOptions;
import dev.tributary.StreamReader;
import dev.tributary.StreamRecord;
import dev.tributary.Trim;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The skeleton's order of checks and its close sequence, on a backend that only records calls. */
class AbstractStreamClientTest {
    private static final StreamName S = StreamName.of("s");

    /** A backend whose appends stay pending (sent) and whose polls block until closed. */
    static final class Recording extends AbstractStreamClient {
        final List<String> calls = new ArrayList<>();
        final CountDownLatch pollStarted = new CountDownLatch(1);
        Duration closeBound;
        /** The position the last read, range or group creation reached the backend with. */
        volatile Position lastPosition;
        /** How long each group member takes to close (leaving its group, say). */
        volatile long memberCloseMillis;

        /** Where the skeleton's group calls go: null when the client has no groups (the default refuses). */
        private final GroupBackend groups;

        Recording(Set<Capability> caps) {
            this(caps, null);
        }

        /** A client whose group calls go to {@code groups}, or to its own recording groups when null. */
        Recording(Set<Capability> caps, GroupBackend groups) {
            super(
                    "rec",
                    caps,
                    new Limits(1024, 1024, 100, 100),
                    "rec client",
                    Duration.ofMillis(200),
                    new AppendWindow("rec client", 10, Duration.ofSeconds(30), null));
            this.groups =
                    groups != null ? groups : caps.contains(Capability.CONSUMER_GROUPS) ? new RecordingGroups() : null;
        }

        @Override
        protected GroupBackend groupBackend() {
            return groups != null ? groups : super.groupBackend();
        }

        @Override
        protected EventId doParseId(String text) {
            calls.add("parseId");
            return EventId.parse(text);
        }

        @Override
        protected Health doHealth() {
            return new Health(true, Duration.ZERO, "ok");
        }

        @Override
        protected void doCreateStream(StreamName stream) {
            calls.add("createStream");
        }

        @Override
        protected boolean doDeleteStream(StreamName stream) {
            return false;
        }

        @Override
        protected CompletableFuture<EventId> doAppend(StreamName stream, StreamRecord record) {
            AppendWindow.Append<EventId> a = appendWindow().open(1);
            a.sent(); // written; the broker never answers
            return a;
        }

        @Override
        protected CompletableFuture<List<EventId>> doAppendBatch(StreamName stream, List<StreamRecord> records) {
            return appendWindow().open(records.size()); // never sent
        }

        @Override
        protected AbstractStreamReader doOpenReader(StreamName stream, Position from) {
            lastPosition = from;
            return new AbstractStreamReader(stream, limits(), "rec reader") {
                private final CountDownLatch closed = new CountDownLatch(1);

                @Override
                protected List<StreamEvent> doPoll(int maxCount, Duration wait) {
                    pollStarted.countDown();
                    try {
                        closed.await(wait.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    if (isClosed()) { // what a native client says while it shuts down
                        throw new StreamException(ErrorKind.RETRYABLE, "connection thread has exited");
                    }
                    return List.of();
                }

                @Override
                public Position position() {
                    return Position.earliest();
                }

                @Override
                protected void doClose() {
                    closed.countDown();
                }
            };
        }

        @Override
        protected List<StreamEvent> doRange(StreamName stream, Position from, EventId to, int maxCount) {
            lastPosition = from;
            return List.of();
        }

        @Override
        protected StreamInfo doInfo(StreamName stream) {
            return StreamInfo.missing(stream);
        }

        @Override
        protected long doTrim(StreamName stream, Trim trim) {
            return 0;
        }

        /** Its own groups: remember the start position, members that take memberCloseMillis to close. */
        final class RecordingGroups implements GroupBackend {
            @Override
            public void create(StreamName stream, String group, GroupOptions options) {
                lastPosition = options.start();
                calls.add("createGroup");
            }

            @Override
            public AbstractGroupConsumer open(StreamName stream, String group, String member) {
                return new AbstractGroupConsumer(stream, group, member, limits()) {
                    @Override
                    protected List<StreamEvent> doPoll(int maxCount, Duration wait) {
                        return List.of();
                    }

                    @Override
                    protected AckResult doAck(List<EventId> ids) {
                        return new AckResult(0, ids.size());
                    }

                    @Override
                    protected void doNack(List<EventId> ids) {}

                    @Override
                    protected void doClose() {
                        try {
                            Thread.sleep(memberCloseMillis);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                };
            }

            @Override
            public GroupInfo info(StreamName stream, String group) {
                return null;
            }

            @Override
            public List<GroupInfo> list(StreamName stream) {
                return List.of();
            }

            @Override
            public boolean delete(StreamName stream, String group) {
                return false;
            }
        }

        @Override
        protected void doClose(Duration remaining) {
            closeBound = remaining;
            calls.add("close");
        }
    }

    private static ErrorKind kindOf(Executable call) {
        return assertThrows(StreamException.class, call).kind();
    }

    @Test
    void membersThatTakeTimeToCloseDoNotAddUpBeyondTheCloseTimeout() {
        Recording c = new Recording(Set.of(Capability.CONSUMER_GROUPS));
        c.memberCloseMillis = 300; // each longer than the whole close timeout (200 ms)
        List<GroupConsumer> members = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            members.add(c.openGroupConsumer(S, "g", "m" + i));
        }
        long t0 = System.nanoTime();
        c.close();
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(ms < 1_000, "closed one after the other they take 1.5 s; the client took " + ms + " ms");
        assertEquals(List.of("close"), c.calls, "the backend's own resources were released");
        assertTrue(c.closeBound.toMillis() <= 200, "doClose got what was left of the close timeout: " + c.closeBound);
    }

    @Test
    void theClosedCheckComesBeforeArgumentChecksAndEveryOperationFailsClosedAfterClose() {
        Recording c = new Recording(Set.of(Capability.CONSUMER_GROUPS));
        c.close();
        assertEquals(ErrorKind.CLOSED, kindOf(() -> c.parseId("1")));
        assertEquals(ErrorKind.CLOSED, kindOf(() -> c.parseId(null)));
        assertEquals(ErrorKind.CLOSED, kindOf(() -> c.createStream(null)));
        assertEquals(ErrorKind.CLOSED, kindOf(() -> c.appendAsync(null, null)));
        assertEquals(ErrorKind.CLOSED, kindOf(() -> c.trim(S, Trim.toLength(1))));
        assertEquals(ErrorKind.CLOSED, kindOf(c::health));
        assertEquals("rec", c.backend(), "constant metadata answers after close");
        assertEquals(new Limits(1024, 1024, 100, 100), c.limits());
        assertEquals(List.of("close"), c.calls, "no do… method ran after close; doClose ran once");
        c.close();
        assertEquals(List.of("close"), c.calls, "close is idempotent");
    }

    @Test
    void argumentChecksComeBeforeTheCapabilityCheckAndNothingReachesTheBackend() {
        Recording c = new Recording(Set.of());
        assertEquals(ErrorKind.INVALID_ARGUMENT, kindOf(() -> c.trim(S, null)));
        assertEquals(ErrorKind.UNSUPPORTED, kindOf(() -> c.trim(S, Trim.toLength(1))));
        assertEquals(ErrorKind.INVALID_ARGUMENT, kindOf(() -> c.createGroup(S, "bad name!", GroupOptions.defaults())));
        assertEquals(ErrorKind.INVALID_ARGUMENT, kindOf(() -> c.createGroup(S, "g", null)));
        assertEquals(ErrorKind.UNSUPPORTED, kindOf(() -> c.createGroup(S, "g", GroupOptions.defaults())));
        assertEquals(ErrorKind.UNSUPPORTED, kindOf(() -> c.openReader(S, Position.at(java.time.Instant.EPOCH))));
        assertEquals(ErrorKind.INVALID_ARGUMENT, kindOf(() -> c.parseId(null)));
        assertEquals(ErrorKind.INVALID_ARGUMENT, kindOf(() -> c.appendBatchAsync(S, List.of())));
        assertTrue(c.calls.isEmpty(), "bad input reached the backend: " + c.calls);
        c.close();
    }

    @Test
    void closeWakesABlockedPollWhichEndsClosedWhateverTheNativeClientSaid() throws Exception {
        Recording c = new Recording(Set.of());
        StreamReader r = c.openReader(S, Position.earliest());
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                r.poll(10, Duration.ofSeconds(30));
            } catch (Throwable e) {
                outcome.set(e);
            }
        });
        t.start();
        assertTrue(c.pollStarted.await(5, TimeUnit.SECONDS));
        c.close();
        t.join(5_000);
        assertTrue(
                outcome.get() instanceof StreamException, "the poll must end with a StreamException: " + outcome.get());
        assertEquals(ErrorKind.CLOSED, ((StreamException) outcome.get()).kind());
        assertEquals(Position.earliest(), r.position(), "the cursor answers after close");
    }

    @Test
    void closeSettlesPendingAppendsIndeterminateIfSentAndClosedIfNotWithinTheCloseTimeout() {
        Recording c = new Recording(Set.of());
        CompletableFuture<EventId> sent = c.appendAsync(S, StreamRecord.of("x"));
        CompletableFuture<List<EventId>> unsent = c.appendBatchAsync(S, List.of(StreamRecord.of("y")));
        long start = System.nanoTime();
        c.close();
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(2).toNanos(), "close is bounded");
        assertEquals(
                ErrorKind.INDETERMINATE,
                StreamException.unwrap(assertThrows(Exception.class, sent::join))
                        .kind());
        assertEquals(
                ErrorKind.CLOSED,
                StreamException.unwrap(assertThrows(Exception.class, unsent::join))
                        .kind());
        assertTrue(c.closeBound.compareTo(Duration.ofMillis(200)) <= 0);
    }

    @Test
    void groupConsumerChecksIdsInOnePlaceAndFailsClosedAfterClose() {
        Recording c = new Recording(Set.of(Capability.CONSUMER_GROUPS));
        var m = c.openGroupConsumer(S, "g", "m");
        assertEquals(ErrorKind.INVALID_ARGUMENT, kindOf(() -> m.ack((List<EventId>) null)));
        List<EventId> withNull = new ArrayList<>();
        withNull.add(null);
        assertEquals(ErrorKind.INVALID_ARGUMENT, kindOf(() -> m.ack(withNull)));
        assertEquals(ErrorKind.INVALID_ARGUMENT, kindOf(() -> m.poll(0, Duration.ZERO)));
        c.close();
        assertEquals(ErrorKind.CLOSED, kindOf(() -> m.poll(1, Duration.ZERO)));
        assertEquals(ErrorKind.CLOSED, kindOf(() -> m.ack(List.of())));
        assertEquals("g", m.group());
    }

    @Test
    void forwardingClientsWrapTheReadersAndMembersTheyOpen() {
        Recording c = new Recording(Set.of(Capability.CONSUMER_GROUPS));
        List<String> wrapped = new ArrayList<>();
        ForwardingStreamClient f = new ForwardingStreamClient(c) {
            @Override
            protected StreamReader wrapReader(StreamReader reader) {
                wrapped.add("reader");
                return new ForwardingStreamReader(reader);
            }

            @Override
            protected dev.tributary.GroupConsumer wrapConsumer(dev.tributary.GroupConsumer consumer) {
                wrapped.add("consumer");
                return new ForwardingGroupConsumer(consumer);
            }
        };
        assertTrue(f.openReader(S, Position.earliest()) instanceof ForwardingStreamReader);
        assertTrue(f.openGroupConsumer(S, "g", "m") instanceof ForwardingGroupConsumer);
        assertEquals(List.of("reader", "consumer"), wrapped);
        f.close();
    }

    @Test
    void aBackendWithoutPartitionsGetsAOnePartitionCursorAsItsPositionAndRefusesMore() {
        Recording c = new Recording(Set.of(Capability.CONSUMER_GROUPS));
        c.range(S, Position.after(Cursor.parse("42")), null, 10);
        assertEquals(Position.after(EventId.ofSequence(42)), c.lastPosition);
        c.openReader(S, Position.after(Cursor.parse("-"))).close();
        assertEquals(Position.earliest(), c.lastPosition);
        c.createGroup(S, "g", GroupOptions.defaults().withStart(Position.after(Cursor.parse("7"))));
        assertEquals(Position.after(EventId.ofSequence(7)), c.lastPosition);
        c.lastPosition = null;
        assertEquals(
                ErrorKind.INVALID_ARGUMENT, kindOf(() -> c.range(S, Position.after(Cursor.parse("1,2")), null, 1)));
        assertEquals(ErrorKind.INVALID_ARGUMENT, kindOf(() -> c.openReader(S, Position.after(EventId.parse("1/2")))));
        assertEquals(
                ErrorKind.UNSUPPORTED,
                kindOf(() -> c.range(S, Position.after(Cursor.parse("@2026-12-03T00:00:00Z")), null, 1)));
        assertEquals(ErrorKind.UNSUPPORTED, kindOf(() -> c.createStream(S, StreamOptions.partitions(3))));
        assertEquals(ErrorKind.INVALID_ARGUMENT, kindOf(() -> c.createStream(S, null)));
        assertEquals(null, c.lastPosition);
        c.createStream(S, StreamOptions.defaults());
        assertEquals("createStream", c.calls.get(c.calls.size() - 1));
        c.close();
    }

    @Test
    void aPartitionedBackendGetsTheCursorAsItIs() {
        Recording c = new Recording(Set.of(Capability.PARTITIONED));
        Position p = Position.after(Cursor.parse("1,2"));
        c.range(S, p, null, 10);
        assertEquals(p, c.lastPosition);
        // declared but not overridden: the skeleton's default refuses rather than creating one partition
        assertEquals(ErrorKind.UNSUPPORTED, kindOf(() -> c.createStream(S, StreamOptions.partitions(3))));
        c.close();
    }

    @Test
    void everyCallReachesTheBackendOnceItsChecksPass() {
        Recording c = new Recording(java.util.EnumSet.allOf(Capability.class));
        assertEquals(List.of(), c.range(S, Position.earliest(), null, 10));
        assertEquals(StreamInfo.missing(S), c.info(S));
        assertEquals(0, c.trim(S, Trim.toLength(5)));
        c.createGroup(S, "g", GroupOptions.defaults());
        try (GroupConsumer g = c.openGroupConsumer(S, "g", "m")) {
            assertEquals(List.of(), g.poll(1, Duration.ZERO));
            assertEquals(new AckResult(0, 1), g.ack(List.of(EventId.of(1, 0))));
            g.nack(List.of(EventId.of(1, 0)));
        }
        assertEquals(null, c.groupInfo(S, "g"));
        assertEquals(List.of(), c.groups(S));
        assertEquals(false, c.deleteGroup(S, "g"));
        assertTrue(c.calls.contains("createGroup"));
        c.close();
    }

    /** Group calls recorded in order; members are a plain recording client's, closed with the client under test. */
    static final class CallLog implements GroupBackend {
        final List<String> calls = new ArrayList<>();
        final Recording members = new Recording(Set.of(Capability.CONSUMER_GROUPS));

        @Override
        public void create(StreamName stream, String group, GroupOptions options) {
            calls.add("create " + stream + " " + group + " " + options.start());
        }

        @Override
        public AbstractGroupConsumer open(StreamName stream, String group, String member) {
            calls.add("open " + group + " " + member);
            return members.groupBackend().open(stream, group, member);
        }

        @Override
        public GroupInfo info(StreamName stream, String group) {
            calls.add("info " + group);
            return null;
        }

        @Override
        public List<GroupInfo> list(StreamName stream) {
            calls.add("list " + stream);
            return List.of();
        }

        @Override
        public boolean delete(StreamName stream, String group) {
            calls.add("delete " + group);
            return true;
        }
    }

    @Test
    void aGroupBackendReceivesEveryGroupCallOnceTheChecksPassAndItsMembersCloseWithTheClient() {
        CallLog log = new CallLog();
        Recording c = new Recording(Set.of(Capability.CONSUMER_GROUPS), log);
        assertEquals(ErrorKind.INVALID_ARGUMENT, kindOf(() -> c.groupInfo(S, "bad name!")));
        c.createGroup(S, "g", GroupOptions.defaults());
        GroupConsumer m = c.openGroupConsumer(S, "g", "m1");
        assertEquals(null, c.groupInfo(S, "g"));
        assertEquals(List.of(), c.groups(S));
        assertTrue(c.deleteGroup(S, "g"));
        assertEquals(
                List.of("create s g " + GroupOptions.defaults().start(), "open g m1", "info g", "list s", "delete g"),
                log.calls);
        c.close();
        assertEquals(ErrorKind.CLOSED, kindOf(() -> m.poll(1, Duration.ZERO)), "the member closed with the client");
        assertEquals(ErrorKind.CLOSED, kindOf(() -> c.groups(S)));
    }

    @Test
    void aClientWithoutGroupsNeverReachesTheDefaultGroupBackend() {
        Recording plain = new Recording(Set.of());
        assertEquals(ErrorKind.UNSUPPORTED, kindOf(() -> plain.groups(S)));
        assertEquals(ErrorKind.UNSUPPORTED, kindOf(plain::groupBackend), "the default refuses, naming the capability");
        plain.close();
    }

    /** One call of each group operation of {@code c}, on group "g" of {@link #S}. */
    private static List<Executable> groupCalls(AbstractStreamClient c) {
        return List.of(
                () -> c.createGroup(S, "g", GroupOptions.defaults()),
                () -> c.openGroupConsumer(S, "g", "m"),
                () -> c.groupInfo(S, "g"),
                () -> c.groups(S),
                () -> c.deleteGroup(S, "g"));
    }

    @Test
    void callsOnAClosedClientFailClosedBeforeTheBackendSeesThem() {
        Recording c = new Recording(java.util.EnumSet.allOf(Capability.class));
        c.close();
        List<Executable> calls = new ArrayList<>(List.of(
                () -> c.range(S, Position.earliest(), null, 1), () -> c.info(S), () -> c.trim(S, Trim.toLength(1))));
        calls.addAll(groupCalls(c));
        for (Executable call : calls) {
            assertEquals(ErrorKind.CLOSED, kindOf(call));
        }
    }

    @Test
    void groupCallsWithoutTheCapabilityFailUnsupported() {
        Recording c = new Recording(Set.of());
        for (Executable call : groupCalls(c)) {
            assertEquals(ErrorKind.UNSUPPORTED, kindOf(call));
        }
        assertEquals(
                ErrorKind.INVALID_ARGUMENT,
                assertThrows(
                                StreamException.class,
                                () -> new Recording(java.util.EnumSet.allOf(Capability.class))
                                        .createGroup(S, "g", null))
                        .kind());
        c.close();
    }
}
