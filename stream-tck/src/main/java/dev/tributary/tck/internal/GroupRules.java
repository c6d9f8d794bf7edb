package dev.tributary.tck.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.AckResult;
import dev.tributary.Capability;
import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.GroupConsumer;
import dev.tributary.GroupInfo;
import dev.tributary.GroupOptions;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamName;
import dev.tributary.tck.HistoryChecker;
import dev.tributary.tck.Tck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** Rules G1–G9: consumer groups (capability CONSUMER_GROUPS). */
public final class GroupRules {
    private final KitContext ctx;

    public GroupRules(KitContext ctx) {
        this.ctx = ctx;
    }

    private static Duration bound() {
        return Tck.scaled(Duration.ofSeconds(15));
    }

    /** A rule's client and its fresh stream, with the CONSUMER_GROUPS gate applied. */
    private record Grouped(StreamClient c, StreamName s) {
        /** Creates a group with default options on the stream; returns its fresh name. */
        String newGroup() {
            String g = Tck.name("g");
            c.createGroup(s, g, GroupOptions.defaults());
            return g;
        }
    }

    private Grouped grouped(String rule) {
        StreamClient c = ctx.client();
        StreamName s = ctx.created(c, rule);
        Gate.require(c, Capability.CONSUMER_GROUPS, () -> c.createGroup(s, Tck.name("g"), GroupOptions.defaults()));
        return new Grouped(c, s);
    }

    public void g1() {
        Grouped x = grouped("g1");
        StreamClient c = x.c();
        StreamName s = x.s();
        String g = x.newGroup();
        Io.append(c, s, "g1", 5);
        try (GroupConsumer m = c.openGroupConsumer(s, g, "m1")) {
            List<StreamEvent> got = Io.poll(m, 5, bound(), true);
            assertEquals(
                    Io.expectedKeys("g1", 0, 5),
                    Io.keys(got),
                    "a group created before the appends receives the events "
                            + "appended before its first member attached");
            for (StreamEvent e : got) {
                assertEquals(1, e.deliveryCount(), "first delivery has count 1");
            }
            assertEquals(List.of(), m.poll(10, Tck.scaledMillis(200)), "nothing more");
        }
    }

    /** Two groups of one stream, {@code ga} and {@code gb}, and a member m1 of each ({@code a}, {@code b}). */
    private record TwoGroups(StreamClient c, StreamName s, String ga, String gb, GroupConsumer a, GroupConsumer b)
            implements AutoCloseable {
        @Override
        public void close() {
            try {
                b.close();
            } finally {
                a.close();
            }
        }
    }

    /** A fresh stream with two groups, {@code n} events {@code rule/0 …} appended, and a member of each. */
    private TwoGroups twoGroups(String rule, int n) {
        Grouped x = grouped(rule);
        StreamClient c = x.c();
        StreamName s = x.s();
        String ga = x.newGroup();
        String gb = x.newGroup();
        Io.append(c, s, rule, n);
        GroupConsumer a = c.openGroupConsumer(s, ga, "m1");
        try {
            return new TwoGroups(c, s, ga, gb, a, c.openGroupConsumer(s, gb, "m1"));
        } catch (RuntimeException e) {
            a.close();
            throw e;
        }
    }

    public void g2() {
        try (TwoGroups t = twoGroups("g2", 10)) {
            assertEquals(
                    Io.expectedKeys("g2", 0, 10),
                    Io.keys(Io.poll(t.a(), 10, bound(), true)),
                    "group " + t.ga() + " sees every event");
            assertEquals(
                    Io.expectedKeys("g2", 0, 10),
                    Io.keys(Io.poll(t.b(), 10, bound(), true)),
                    "group " + t.gb() + " sees every event");
        }
    }

    public void g3() {
        Grouped x = grouped("g3");
        StreamClient c = x.c();
        StreamName s = x.s();
        String g = x.newGroup();
        int n = 200;
        HistoryChecker history = new HistoryChecker("G3 five members of one group");
        List<String> keys = Io.expectedKeys("p", 0, n);
        for (String k : keys) {
            history.invoked(k);
        }
        List<java.util.concurrent.CompletableFuture<EventId>> fs = new ArrayList<>();
        for (String k : keys) {
            fs.add(c.appendAsync(s, Io.rec(k)));
        }
        for (int i = 0; i < n; i++) {
            history.ok(keys.get(i), Io.await(fs.get(i), bound()));
        }
        Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        CountDownLatch done = new CountDownLatch(5);
        AtomicReference<Throwable> error = new AtomicReference<>();
        List<GroupConsumer> members = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            members.add(c.openGroupConsumer(s, g, "m" + i));
        }
        long deadline = System.nanoTime() + Tck.scaled(Duration.ofSeconds(30)).toNanos();
        for (GroupConsumer m : members) {
            Thread t = new Thread(
                    () -> {
                        try {
                            while (seen.size() < n && System.nanoTime() < deadline) {
                                List<StreamEvent> got = m.poll(20, Duration.ofMillis(50));
                                for (StreamEvent e : got) {
                                    history.delivered(m.member(), Io.keyOf(e), e.id(), e.deliveryCount());
                                    seen.add(Io.keyOf(e));
                                }
                                if (!got.isEmpty()) {
                                    m.ack(Io.ids(got));
                                }
                            }
                        } catch (Throwable e) {
                            error.compareAndSet(null, e);
                        } finally {
                            done.countDown();
                        }
                    },
                    "tributary-tck-g3-" + m.member());
            t.setDaemon(true);
            t.start();
        }
        await(done, Tck.scaled(Duration.ofSeconds(40)));
        for (GroupConsumer m : members) {
            m.close();
        }
        if (error.get() != null) {
            throw new AssertionError("a member failed: " + error.get(), error.get());
        }
        HistoryChecker.Report r = history.report();
        System.out.println(r.summary());
        assertTrue(
                r.lost().isEmpty() && r.unexpected().isEmpty(),
                "the union of the members must be every event: " + r.summary());
        assertTrue(
                r.duplicates().isEmpty(),
                "while every member acks in time, each event goes to exactly one member: " + r.summary());
    }

    public void g4() {
        Grouped x = grouped("g4");
        StreamClient c = x.c();
        StreamName s = x.s();
        String g = x.newGroup();
        List<EventId> ids = Io.append(c, s, "g4", 3);
        try (GroupConsumer m = c.openGroupConsumer(s, g, "m1")) {
            List<StreamEvent> got = Io.poll(m, 3, bound(), false);
            assertEquals(Io.expectedKeys("g4", 0, 3), Io.keys(got), "first delivery");
            m.nack(List.of(ids.get(1)));
            m.ack(List.of(ids.get(0), ids.get(2)));
            List<StreamEvent> again = Io.poll(m, 1, Tck.scaled(Duration.ofSeconds(10)), false);
            assertEquals(
                    List.of("g4/1"),
                    Io.keys(again),
                    "a nacked event is redelivered soon (well before the 30 s ack " + "timeout), and only it");
            assertTrue(
                    again.get(0).deliveryCount() >= 2,
                    "a redelivered event's delivery count rises; got "
                            + again.get(0).deliveryCount());
            m.ack(List.of(ids.get(1)));
            assertEquals(List.of(), m.poll(10, Tck.scaledMillis(300)), "nothing after everything was acked");
        }
    }

    public void g5() {
        Grouped x = grouped("g5");
        StreamClient c = x.c();
        StreamName s = x.s();
        String g = Tck.name("g");
        Duration ackTimeout = ctx.hooks().groupAckTimeout();
        c.createGroup(s, g, GroupOptions.defaults().withAckTimeout(ackTimeout));
        List<EventId> ids = Io.append(c, s, "g5", 5);
        StreamClient dying = ctx.client();
        GroupConsumer a = dying.openGroupConsumer(s, g, "dies");
        List<StreamEvent> first = Io.poll(a, 5, bound(), false);
        assertEquals(Io.expectedKeys("g5", 0, 5), Io.keys(first), "the first member reads the events");
        assertEquals(new AckResult(2, 0), a.ack(ids.subList(0, 2)), "the first member acks the first two");
        dying.close(); // dies without acking the other three
        Set<EventId> unacked = new HashSet<>(ids.subList(2, 5));
        try (GroupConsumer b = c.openGroupConsumer(s, g, "survives")) {
            // until every unacked event came, not until three deliveries did: the survivor's own ack can
            // come after the 1 s ack timeout on a loaded machine, and the event is then delivered again
            // (at least once); what must never come is an event the dead member acked
            List<StreamEvent> again =
                    Io.pollUntilAll(b, unacked, ackTimeout.plus(Tck.scaled(Duration.ofSeconds(15))), true);
            Set<EventId> got = new HashSet<>(Io.ids(again));
            assertEquals(
                    unacked,
                    got,
                    "after the ack timeout (" + ackTimeout + ") another member must get every event "
                            + "the dead member read and did not ack, and none it acked (an ack the broker accepted is final, "
                            + "also when the member then dies: check that acks are not buffered and dropped on close); "
                            + "deliveries (id×count): " + deliveries(again)
                            + (Thread.currentThread().isInterrupted() ? "; the polling thread was interrupted" : ""));
            for (StreamEvent e : again) {
                assertTrue(
                        e.deliveryCount() > 1,
                        "a redelivered event has delivery count > 1; got " + e.deliveryCount() + " for " + e.id());
            }
            List<StreamEvent> more = b.poll(10, Tck.scaledMillis(500));
            assertEquals(
                    List.of(),
                    Io.keys(more),
                    "nothing more after the redelivered events were acked: the events "
                            + "the dead member acked must not come back");
        }
    }

    private static String deliveries(List<StreamEvent> events) {
        StringBuilder b = new StringBuilder("[");
        for (StreamEvent e : events) {
            b.append(b.length() > 1 ? ", " : "").append(e.id()).append('×').append(e.deliveryCount());
        }
        return b.append(']').toString();
    }

    public void g6() {
        Grouped x = grouped("g6");
        StreamClient c = x.c();
        StreamName s = x.s();
        String g = x.newGroup();
        List<EventId> ids = Io.append(c, s, "g6", 4);
        try (GroupConsumer m = c.openGroupConsumer(s, g, "m1")) {
            List<StreamEvent> got = Io.poll(m, 3, bound(), false);
            assertEquals(Io.expectedKeys("g6", 0, 3), Io.keys(got), "first three");
            List<EventId> three = Io.ids(got);
            assertEquals(new AckResult(3, 0), m.ack(three), "acking 3 pending events");
            assertEquals(new AckResult(0, 3), m.ack(three), "acking them again is a no-op, counted as unknown");
            assertEquals(new AckResult(0, 1), m.ack(Io.farAfter(ids.get(3))), "acking an id never assigned is unknown");
            assertEquals(new AckResult(0, 1), m.ack(ids.get(3)), "acking an id the group has not delivered is unknown");
            assertEquals(AckResult.NONE, m.ack(List.of()), "acking nothing");
            m.nack(List.of(Io.farAfter(ids.get(3)))); // unknown ids are ignored by nack too
            List<StreamEvent> rest = Io.poll(m, 1, bound(), false);
            assertEquals(List.of("g6/3"), Io.keys(rest), "acking an undelivered id must not swallow it");
            assertEquals(new AckResult(1, 0), m.ack(Io.ids(rest)), "ack of the last event");
        }
        Expect.eventually(
                bound(),
                () -> "pending after every ack: " + c.groupInfo(s, g),
                () -> c.groupInfo(s, g).pending() == 0);
    }

    public void g7() {
        Grouped x = grouped("g7");
        StreamClient c = x.c();
        StreamName s = x.s();
        String g = x.newGroup();
        HistoryChecker history = new HistoryChecker("G7 member restarts");
        for (int round = 0; round < 5; round++) {
            for (int i = round * 10; i < round * 10 + 10; i++) {
                String k = "p/" + i;
                history.invoked(k);
                history.ok(k, c.append(s, Io.rec(k)));
            }
            StreamClient restarted = ctx.client();
            try (GroupConsumer m = restarted.openGroupConsumer(s, g, "m" + round)) {
                List<StreamEvent> got = Io.poll(m, 10, Tck.scaled(Duration.ofSeconds(30)), true);
                for (StreamEvent e : got) {
                    history.delivered("round" + round, Io.keyOf(e), e.id(), e.deliveryCount());
                }
                assertEquals(
                        Io.expectedKeys("p", round * 10, round * 10 + 10),
                        Io.keys(got),
                        "round " + round + ": a new member resumes right after the last acked event");
            } finally {
                restarted.close();
            }
        }
        HistoryChecker.Report r = history.report();
        System.out.println(r.summary());
        assertTrue(r.clean() && r.duplicates().isEmpty(), r.summary());
    }

    public void g8() {
        Grouped x = grouped("g8");
        StreamClient c = x.c();
        StreamName s = x.s();
        String g = x.newGroup();
        List<EventId> ids = Io.append(c, s, "g8", 10);
        Expect.eventually(
                bound(), () -> "before any delivery: " + c.groupInfo(s, g), () -> figures(c.groupInfo(s, g), 0, 10));
        try (GroupConsumer m = c.openGroupConsumer(s, g, "m1")) {
            List<StreamEvent> got = new ArrayList<>();
            long deadline = System.nanoTime() + bound().toNanos();
            while (got.size() < 4 && System.nanoTime() < deadline) {
                got.addAll(m.poll(4 - got.size(), Duration.ofMillis(100)));
            }
            assertEquals(Io.expectedKeys("g8", 0, 4), Io.keys(got), "four delivered");
            Expect.eventually(
                    bound(),
                    () -> "4 delivered, none acked: expected pending 4 and lag 6 (or -1): " + c.groupInfo(s, g),
                    () -> figures(c.groupInfo(s, g), 4, 6));
            GroupInfo info = c.groupInfo(s, g);
            assertEquals(g, info.group(), "group name");
            info.lastDelivered()
                    .ifPresent(id -> assertEquals(ids.get(3), id, "lastDelivered is the newest delivered id"));
            m.ack(List.of(ids.get(0), ids.get(1)));
            Expect.eventually(
                    bound(),
                    () -> "2 of 4 acked: expected pending 2 and lag 6 (or -1): " + c.groupInfo(s, g),
                    () -> figures(c.groupInfo(s, g), 2, 6));
            assertTrue(
                    c.groups(s).stream().anyMatch(i -> i.group().equals(g) && i.pending() == 2),
                    "groups(stream) lists the group with the same figures: " + c.groups(s));
        }
    }

    private static boolean figures(GroupInfo i, long pending, long lag) {
        return i.pending() == pending && (i.lag() == lag || i.lag() == -1);
    }

    public void g9() {
        try (TwoGroups t = twoGroups("g9", 5)) {
            StreamClient c = t.c();
            StreamName s = t.s();
            String ga = t.ga();
            String gb = t.gb();
            GroupConsumer a = t.a();
            GroupConsumer b = t.b();
            assertEquals(5, Io.poll(a, 5, bound(), true).size(), "group a before the delete");
            assertEquals(5, Io.poll(b, 5, bound(), true).size(), "group b before the delete");
            assertTrue(c.deleteGroup(s, ga), "deleteGroup of an existing group returns true");
            assertFalse(c.deleteGroup(s, ga), "deleteGroup of a deleted group returns false");
            List<String> names = c.groups(s).stream().map(GroupInfo::group).toList();
            assertFalse(names.contains(ga), "a deleted group is not listed: " + names);
            assertTrue(names.contains(gb), "the other group is still listed: " + names);
            Io.append(c, s, "g9b", 3);
            assertEquals(
                    Io.expectedKeys("g9b", 0, 3),
                    Io.keys(Io.poll(b, 3, bound(), true)),
                    "the other group is unaffected");
            Expect.within(
                    bound(),
                    "poll of a member of a deleted group",
                    () -> Expect.kind(
                            ErrorKind.NOT_FOUND,
                            "a member of a deleted group gets no more deliveries: its poll fails with NOT_FOUND",
                            () -> a.poll(10, Tck.scaledMillis(200))));
            Expect.kind(ErrorKind.NOT_FOUND, "groupInfo of a deleted group", () -> c.groupInfo(s, ga));
        }
    }

    private static void await(CountDownLatch latch, Duration bound) {
        try {
            if (!latch.await(bound.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("members did not finish within " + bound);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }
}
