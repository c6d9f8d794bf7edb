package dev.tributary.memory;

import static dev.tributary.memory.Fixtures.client;
import static dev.tributary.memory.Fixtures.fails;
import static dev.tributary.memory.Fixtures.fresh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.AckResult;
import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.GroupConsumer;
import dev.tributary.GroupInfo;
import dev.tributary.GroupOptions;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GroupTest {
    private final StreamClient c = client("");
    private final StreamName s = fresh("grp");

    @AfterEach
    void close() {
        c.close();
    }

    private static List<Long> seqs(List<StreamEvent> events) {
        return events.stream().map(e -> e.id().sequence()).toList();
    }

    private static List<EventId> ids(List<StreamEvent> events) {
        return events.stream().map(StreamEvent::id).toList();
    }

    /** Creates the stream with {@code groups} (default options), then appends {@code events} events. */
    private void streamWithGroups(int events, String... groups) {
        c.createStream(s);
        for (String g : groups) {
            c.createGroup(s, g, GroupOptions.defaults());
        }
        fill(events);
    }

    private void fill(int n) {
        for (int i = 0; i < n; i++) {
            c.append(s, StreamRecord.of("e" + i));
        }
    }

    private GroupOptions ackTimeout(long ms) {
        return GroupOptions.defaults().withAckTimeout(Duration.ofMillis(ms));
    }

    @Test
    void groupCreatedBeforeAppendsReceivesEventsAppendedBeforeItsFirstMember() {
        c.createStream(s);
        c.createGroup(s, "g", GroupOptions.defaults());
        c.createGroup(s, "g", GroupOptions.defaults().withStart(Position.latest()));
        fill(3);
        GroupConsumer m = c.openGroupConsumer(s, "g", "m1");
        List<StreamEvent> got = m.poll(10, Duration.ZERO);
        assertEquals(List.of(1L, 2L, 3L), seqs(got));
        assertTrue(got.stream().allMatch(e -> e.deliveryCount() == 1));
    }

    @Test
    void groupStartsAtLatestOrAfterAnIdResolvedAtCreation() {
        fill(3);
        c.createGroup(s, "late", GroupOptions.defaults().withStart(Position.latest()));
        c.createGroup(s, "mid", GroupOptions.defaults().withStart(Position.after(EventId.ofSequence(1))));
        fill(1);
        assertEquals(List.of(4L), seqs(c.openGroupConsumer(s, "late", "m").poll(10, Duration.ZERO)));
        assertEquals(
                List.of(2L, 3L, 4L), seqs(c.openGroupConsumer(s, "mid", "m").poll(10, Duration.ZERO)));
        fails(
                ErrorKind.INVALID_ARGUMENT,
                () -> c.createGroup(s, "foreign", GroupOptions.defaults().withStart(Position.after(EventId.of(1, 0)))));
    }

    @Test
    void twoGroupsEachSeeEveryEvent() {
        streamWithGroups(5, "a", "b");
        assertEquals(
                List.of(1L, 2L, 3L, 4L, 5L),
                seqs(c.openGroupConsumer(s, "a", "m").poll(10, Duration.ZERO)));
        assertEquals(
                List.of(1L, 2L, 3L, 4L, 5L),
                seqs(c.openGroupConsumer(s, "b", "m").poll(10, Duration.ZERO)));
    }

    @Test
    void eachEventGoesToExactlyOneMember() {
        streamWithGroups(100, "g");
        List<GroupConsumer> members = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            members.add(c.openGroupConsumer(s, "g", "m" + i));
        }
        List<Long> all = new ArrayList<>();
        boolean progress = true;
        while (progress) {
            progress = false;
            for (GroupConsumer m : members) {
                List<StreamEvent> got = m.poll(7, Duration.ZERO);
                progress |= !got.isEmpty();
                all.addAll(seqs(got));
                assertEquals(new AckResult(got.size(), 0), m.ack(ids(got)));
            }
        }
        assertEquals(100, all.size());
        assertEquals(100, new HashSet<>(all).size(), "no event delivered twice");
        GroupInfo info = c.groupInfo(s, "g");
        assertEquals(0, info.pending());
        assertEquals(0, info.lag());
        assertEquals(List.of("m0", "m1", "m2", "m3", "m4"), info.members());
    }

    @Test
    void ackIsIdempotentAndUnknownIdsAreCounted() {
        streamWithGroups(3, "g");
        GroupConsumer m = c.openGroupConsumer(s, "g", "m");
        List<StreamEvent> got = m.poll(2, Duration.ZERO);
        assertEquals(new AckResult(1, 0), m.ack(got.get(0).id()));
        assertEquals(new AckResult(1, 2), m.ack(got.get(0).id(), got.get(1).id(), EventId.ofSequence(3)));
        assertEquals(
                new AckResult(0, 3),
                m.ack(EventId.ofSequence(99), EventId.of(1, 0), got.get(1).id()));
        assertEquals(AckResult.NONE, m.ack(List.of()));
        fails(ErrorKind.INVALID_ARGUMENT, () -> m.ack((List<EventId>) null));
        assertEquals(0, c.groupInfo(s, "g").pending());
    }

    @Test
    void eventNotAckedWithinTheTimeoutIsRedeliveredToAnotherMemberWithItsCountRaised() {
        c.createStream(s);
        c.createGroup(s, "g", ackTimeout(200));
        fill(2);
        GroupConsumer dying = c.openGroupConsumer(s, "g", "dying");
        assertEquals(List.of(1L, 2L), seqs(dying.poll(10, Duration.ZERO)));
        dying.close();
        GroupConsumer other = c.openGroupConsumer(s, "g", "other");
        assertTrue(other.poll(10, Duration.ZERO).isEmpty(), "not before the ack timeout");
        long t0 = System.nanoTime();
        // A waiting poll wakes at the redelivery deadline, not at the end of its own 30 s bound.
        List<StreamEvent> again = other.poll(10, Duration.ofSeconds(30));
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10), "woke at the redelivery deadline");
        assertEquals(List.of(1L, 2L), seqs(again));
        assertTrue(again.stream().allMatch(e -> e.deliveryCount() == 2), "delivery count raised");
        assertEquals(new AckResult(2, 0), other.ack(ids(again)));
        assertEquals(0, c.groupInfo(s, "g").pending());
    }

    @Test
    void redeliveriesComeBeforeNewEventsAndCountKeepsRising() throws InterruptedException {
        c.createStream(s);
        c.createGroup(s, "g", ackTimeout(50));
        fill(1);
        GroupConsumer m = c.openGroupConsumer(s, "g", "m");
        assertEquals(1, m.poll(10, Duration.ZERO).get(0).deliveryCount());
        assertEquals(2, m.poll(10, Duration.ofSeconds(30)).get(0).deliveryCount());
        fill(1);
        Thread.sleep(80);
        List<StreamEvent> got = m.poll(10, Duration.ZERO);
        assertEquals(List.of(1L, 2L), seqs(got));
        assertEquals(3, got.get(0).deliveryCount());
        assertEquals(1, got.get(1).deliveryCount());
    }

    @Test
    void nackedEventIsRedeliveredAtOnceWithItsCountRaised() {
        streamWithGroups(2, "g");
        GroupConsumer a = c.openGroupConsumer(s, "g", "a");
        GroupConsumer b = c.openGroupConsumer(s, "g", "b");
        List<StreamEvent> got = a.poll(10, Duration.ZERO);
        a.nack(List.of(got.get(1).id(), EventId.ofSequence(42)));
        List<StreamEvent> re = b.poll(10, Duration.ZERO);
        assertEquals(List.of(2L), seqs(re));
        assertEquals(2, re.get(0).deliveryCount());
        assertEquals(2, c.groupInfo(s, "g").pending());
    }

    @Test
    void nackWakesAWaitingMember() throws Exception {
        streamWithGroups(1, "g");
        GroupConsumer a = c.openGroupConsumer(s, "g", "a");
        GroupConsumer b = c.openGroupConsumer(s, "g", "b");
        List<StreamEvent> got = a.poll(10, Duration.ZERO);
        var f = java.util.concurrent.CompletableFuture.supplyAsync(() -> b.poll(10, Duration.ofSeconds(30)));
        Thread.sleep(100);
        a.nack(ids(got));
        assertEquals(List.of(1L), seqs(f.get(5, TimeUnit.SECONDS)));
    }

    @Test
    void newMemberResumesAfterTheLastAckedEventAcrossRestarts() {
        c.createStream(s);
        c.createGroup(s, "g", GroupOptions.defaults());
        List<Long> all = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            fill(4);
            try (GroupConsumer m = c.openGroupConsumer(s, "g", "member-" + round)) {
                List<StreamEvent> got = m.poll(100, Duration.ZERO);
                m.ack(ids(got));
                all.addAll(seqs(got));
            }
        }
        List<Long> expected = new ArrayList<>();
        for (long i = 1; i <= 20; i++) {
            expected.add(i);
        }
        assertEquals(expected, all);
    }

    @Test
    void pendingAndLagMatchWhatIsUnackedAndUnread() {
        c.createStream(s);
        c.createGroup(s, "g", GroupOptions.defaults());
        assertEquals(new GroupInfo("g", 0, 0, List.of(), Optional.empty()), c.groupInfo(s, "g"));
        fill(10);
        GroupConsumer m = c.openGroupConsumer(s, "g", "m");
        assertEquals(new GroupInfo("g", 0, 10, List.of(), Optional.empty()), c.groupInfo(s, "g"));
        List<StreamEvent> got = m.poll(4, Duration.ZERO);
        m.ack(got.get(0).id());
        assertEquals(new GroupInfo("g", 3, 6, List.of("m"), Optional.of(EventId.ofSequence(4))), c.groupInfo(s, "g"));
        assertEquals(List.of(c.groupInfo(s, "g")), c.groups(s));
    }

    @Test
    void deletingAGroupStopsItsDeliveriesAndLeavesOtherGroupsAlone() {
        streamWithGroups(2, "gone", "kept");
        GroupConsumer gone = c.openGroupConsumer(s, "gone", "m");
        GroupConsumer kept = c.openGroupConsumer(s, "kept", "m");
        assertEquals(1, gone.poll(1, Duration.ZERO).size());
        assertTrue(c.deleteGroup(s, "gone"));
        assertFalse(c.deleteGroup(s, "gone"));
        fails(ErrorKind.NOT_FOUND, () -> gone.poll(1, Duration.ZERO));
        fails(ErrorKind.NOT_FOUND, () -> gone.ack(EventId.ofSequence(1)));
        assertEquals(List.of(1L, 2L), seqs(kept.poll(10, Duration.ZERO)));
        assertEquals(List.of("kept"), c.groups(s).stream().map(GroupInfo::group).toList());
    }

    @Test
    void groupCallsOnMissingStreamsOrGroupsFailNotFound() {
        StreamName missing = fresh("nostream");
        fails(ErrorKind.NOT_FOUND, () -> c.createGroup(missing, "g", GroupOptions.defaults()));
        fails(ErrorKind.NOT_FOUND, () -> c.openGroupConsumer(missing, "g", "m"));
        fails(ErrorKind.NOT_FOUND, () -> c.groupInfo(missing, "g"));
        assertTrue(c.groups(missing).isEmpty());
        assertFalse(c.deleteGroup(missing, "g"));
        c.createStream(s);
        fails(ErrorKind.NOT_FOUND, () -> c.openGroupConsumer(s, "nogroup", "m"));
        fails(ErrorKind.NOT_FOUND, () -> c.groupInfo(s, "nogroup"));
        c.createGroup(s, "g", GroupOptions.defaults());
        GroupConsumer m = c.openGroupConsumer(s, "g", "m");
        c.deleteStream(s);
        fails(ErrorKind.NOT_FOUND, () -> m.poll(1, Duration.ofSeconds(5)));
        fails(ErrorKind.NOT_FOUND, () -> m.ack(EventId.ofSequence(1)));
        fails(ErrorKind.NOT_FOUND, () -> m.nack(List.of(EventId.ofSequence(1))));
    }

    @Test
    void groupArgumentsAreValidated() {
        c.createStream(s);
        fails(ErrorKind.INVALID_ARGUMENT, () -> c.createGroup(s, "bad name", GroupOptions.defaults()));
        fails(ErrorKind.INVALID_ARGUMENT, () -> c.createGroup(s, "g", null));
        c.createGroup(s, "g", GroupOptions.defaults());
        fails(ErrorKind.INVALID_ARGUMENT, () -> c.openGroupConsumer(s, "g", "a/b"));
        GroupConsumer m = c.openGroupConsumer(s, "g", "m");
        fails(ErrorKind.INVALID_ARGUMENT, () -> m.poll(0, Duration.ZERO));
        fails(ErrorKind.INVALID_ARGUMENT, () -> m.poll(1, Duration.ofMillis(-1)));
        fails(ErrorKind.INVALID_ARGUMENT, () -> m.poll(1, Duration.ofHours(2)));
        fails(ErrorKind.INVALID_ARGUMENT, () -> m.nack(java.util.Arrays.asList(EventId.ofSequence(1), null)));
    }

    @Test
    void closedConsumerFailsClosedAndItsPendingEntriesStayPending() {
        streamWithGroups(2, "g");
        GroupConsumer m = c.openGroupConsumer(s, "g", "m");
        m.poll(10, Duration.ZERO);
        m.close();
        m.close();
        fails(ErrorKind.CLOSED, () -> m.poll(1, Duration.ZERO));
        fails(ErrorKind.CLOSED, () -> m.ack(EventId.ofSequence(1)));
        assertEquals(2, c.groupInfo(s, "g").pending());
    }

    @Test
    void concurrentMembersReceiveEveryEventOnceWhileAcking() throws Exception {
        c.createStream(s);
        c.createGroup(s, "g", GroupOptions.defaults());
        int total = 5000;
        Set<Long> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.atomic.AtomicInteger deliveries = new java.util.concurrent.atomic.AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            GroupConsumer m = c.openGroupConsumer(s, "g", "m" + i);
            Thread t = new Thread(() -> {
                while (seen.size() < total) {
                    List<StreamEvent> got = m.poll(50, Duration.ofMillis(100));
                    deliveries.addAndGet(got.size());
                    got.forEach(e -> seen.add(e.id().sequence()));
                    m.ack(ids(got));
                }
            });
            t.start();
            threads.add(t);
        }
        for (int i = 0; i < total; i++) {
            c.append(s, StreamRecord.of("x" + i));
        }
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(60));
            assertFalse(t.isAlive());
        }
        assertEquals(total, seen.size());
        assertEquals(total, deliveries.get(), "no duplicates while every member acks in time");
    }
}
