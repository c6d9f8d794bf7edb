package dev.tributary.tck.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tributary.Capability;
import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.GroupConsumer;
import dev.tributary.GroupOptions;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamName;
import dev.tributary.StreamReader;
import dev.tributary.Trim;
import dev.tributary.tck.Tck;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** Rules P1–P8: positions. */
public final class PositionRules {
    private final KitContext ctx;

    public PositionRules(KitContext ctx) {
        this.ctx = ctx;
    }

    public void p1() {
        StreamClient c = ctx.client();
        StreamName s = ctx.created(c, "p1");
        Io.append(c, s, "p1", 5);
        assertEquals(
                Io.expectedKeys("p1", 0, 5),
                Io.keys(Io.readExactly(c, s, Position.earliest(), 5)),
                "earliest reads everything retained");
        try (StreamReader latest = c.openReader(s, Position.latest())) {
            assertEquals(
                    List.of(),
                    Io.keys(latest.poll(10, Tck.scaledMillis(100))),
                    "latest must not return events appended before the reader opened");
            for (int i = 5; i < 8; i++) {
                c.append(s, Io.rec("p1/" + i));
            }
            List<StreamEvent> got = Io.read(latest, 3, Tck.scaled(Duration.ofSeconds(10)));
            got.addAll(latest.poll(10, Tck.scaledMillis(100)));
            assertEquals(
                    Io.expectedKeys("p1", 5, 8),
                    Io.keys(got),
                    "latest reads exactly what was appended after it opened");
        }
    }

    public void p2() {
        StreamClient c = ctx.client();
        StreamName s = ctx.created(c, "p2");
        List<EventId> before = Io.append(c, s, "p2-old", 2);
        try (StreamReader r = c.openReader(s, Position.latest())) {
            Position p = r.position();
            assertFalse(
                    p instanceof Position.Latest,
                    "reader.position() must be resolved at open, never 'latest'; got " + p);
            assertEquals(Position.after(before.get(1)), p, "latest on a non-empty stream resolves to after(last id)");
            c.append(s, Io.rec("p2/0")); // appended after the open, before the first poll
            List<String> got = new ArrayList<>(Io.keys(Io.read(r, 1, Tck.scaled(Duration.ofSeconds(10)))));
            assertEquals(
                    List.of("p2/0"),
                    got,
                    "an event appended after the reader opened at latest but before its "
                            + "first poll must be read (latest is resolved when the reader opens)");
            for (int round = 1; round <= 5; round++) {
                assertEquals(List.of(), r.poll(10, Tck.scaledMillis(50)), "no event expected before round " + round);
                c.append(s, Io.rec("p2/" + round)); // between two polls
                List<String> next = Io.keys(Io.read(r, 1, Tck.scaled(Duration.ofSeconds(10))));
                assertEquals(
                        List.of("p2/" + round),
                        next,
                        "an event appended between two polls was lost (round " + round + ")");
            }
        }
        try (StreamReader empty = c.openReader(ctx.created(c, "p2"), Position.latest())) {
            assertFalse(empty.position() instanceof Position.Latest, "latest on an empty stream must be resolved too");
        }
    }

    public void p3() {
        StreamClient c = ctx.client();
        StreamName s = ctx.created(c, "p3");
        List<EventId> ids = Io.append(c, s, "p3", 10);
        // before any read, position() is the resolved start: reading from it reads what the start reads
        for (Position start : List.of(Position.earliest(), Position.after(ids.get(5)))) {
            Position p;
            try (StreamReader r = c.openReader(s, start)) {
                p = r.position();
            }
            assertTrue(
                    p != null && !(p instanceof Position.Latest),
                    "position() of a reader opened at " + start
                            + " before any read is its resolved start position; got " + p);
            int n = start instanceof Position.After ? 4 : 10;
            assertEquals(
                    Io.keys(Io.readExactly(c, s, start, n)),
                    Io.keys(Io.readExactly(c, s, p, n)),
                    "a reader opened at the position() another reader at " + start + " reported before reading (" + p
                            + ") reads the same events");
        }
        try (StreamReader r = c.openReader(s, Position.earliest())) {
            List<StreamEvent> first = Io.read(r, 4, Tck.scaled(Duration.ofSeconds(10)));
            assertEquals(Io.expectedKeys("p3", 0, 4), Io.keys(first), "first four");
            assertEquals(Position.after(ids.get(3)), r.position(), "the cursor stands after the last event read");
        }
        assertEquals(
                Io.expectedKeys("p3", 4, 10),
                Io.keys(Io.readExactly(c, s, Position.after(ids.get(3)), 6)),
                "after(id) is exclusive: resuming after the last id read yields exactly the rest");
        assertEquals(
                Io.expectedKeys("p3", 1, 10),
                Io.keys(Io.readExactly(c, s, Position.after(ids.get(0)), 9)),
                "after(first id) starts at the second event");
        assertEquals(
                Io.expectedKeys("p3", 4, 10),
                Io.keys(c.range(s, Position.after(ids.get(3)), null, 100)),
                "range from after(id) is exclusive too");
        try (StreamReader end = c.openReader(s, Position.after(ids.get(9)))) {
            assertEquals(List.of(), Io.keys(end.poll(10, Tck.scaledMillis(100))), "after(last id) reads nothing");
            c.append(s, Io.rec("p3/10"));
            assertEquals(
                    List.of("p3/10"),
                    Io.keys(Io.read(end, 1, Tck.scaled(Duration.ofSeconds(10)))),
                    "after(last id) reads the next append");
        }
    }

    public void p4() {
        StreamClient c = ctx.client();
        StreamName s = ctx.created(c, "p4");
        List<EventId> ids = Io.append(c, s, "p4", 5);
        List<StreamEvent> read = Io.readExactly(c, s, Position.earliest(), 5);
        List<EventId> all = new ArrayList<>(ids);
        all.addAll(Io.ids(read));
        for (EventId id : all) {
            EventId back = c.parseId(id.toString());
            assertEquals(id, back, "parseId(id.toString()) must give back an equal id for '" + id + "'");
            assertEquals(0, id.compareTo(back), "a parsed id compares equal");
            assertEquals(id.toString(), back.toString(), "toString round-trips");
        }
        for (int i = 1; i < ids.size(); i++) {
            assertTrue(ids.get(i).compareTo(ids.get(i - 1)) > 0, "ids compare in stream order");
            assertTrue(
                    c.parseId(ids.get(i).toString())
                            .isAfter(c.parseId(ids.get(i - 1).toString())),
                    "parsed ids compare in stream order");
        }
        assertEquals(
                Io.expectedKeys("p4", 3, 5),
                Io.keys(Io.readExactly(c, s, Position.after(c.parseId(ids.get(2).toString())), 2)),
                "a parsed id works as a read position (resume after reconnect)");
    }

    public void p5() {
        StreamClient c = ctx.client();
        StreamName s = ctx.created(c, "p5");
        Gate.require(c, Capability.TIME_POSITION, () -> {
            try (StreamReader r = c.openReader(s, Position.at(Instant.now()))) {
                r.poll(1, Duration.ZERO);
            }
        });
        Io.append(c, s, "p5a", 3);
        Tck.sleep(Duration.ofMillis(60));
        Io.append(c, s, "p5b", 3);
        List<StreamEvent> all = Io.readExactly(c, s, Position.earliest(), 6);
        assertEquals(6, all.size(), "six events");
        Instant t3 = all.get(2).timestamp();
        Instant t4 = all.get(3).timestamp();
        for (Instant t : List.of(
                t4,
                t3.plusMillis(Math.max(1, Duration.between(t3, t4).toMillis() / 2)),
                all.get(0).timestamp())) {
            int first = -1;
            for (int i = 0; i < all.size(); i++) {
                if (!all.get(i).timestamp().isBefore(t)) {
                    first = i;
                    break;
                }
            }
            List<String> expected = first < 0 ? List.of() : Io.keys(all.subList(first, all.size()));
            List<String> got = Io.keys(Io.readExactly(c, s, Position.at(t), expected.size()));
            assertEquals(
                    expected,
                    got,
                    "at(" + t + ") must start at the first event whose broker timestamp is at or "
                            + "after it (timestamps: "
                            + all.stream().map(StreamEvent::timestamp).toList() + ")");
        }
        Instant future = all.get(5).timestamp().plusSeconds(3600);
        try (StreamReader r = c.openReader(s, Position.at(future))) {
            assertEquals(List.of(), r.poll(10, Tck.scaledMillis(100)), "at(a future time) reads nothing yet");
        }
    }

    public void p6() {
        StreamClient c = ctx.client();
        StreamName s = ctx.created(c, "p6");
        boolean byId = c.supports(Capability.TRIM_BY_ID);
        boolean byLength = c.supports(Capability.TRIM_BY_LENGTH);
        if (!byId && !byLength) {
            Assumptions.abort("P6 needs TRIM_BY_ID or TRIM_BY_LENGTH to create a gap; backend '" + c.backend()
                    + "' declares neither");
        }
        List<EventId> ids = Io.append(c, s, "p6", 10);
        try (StreamReader behind = c.openReader(s, Position.earliest())) {
            assertEquals(
                    Io.expectedKeys("p6", 0, 2),
                    Io.keys(Io.read(behind, 2, Tck.scaled(Duration.ofSeconds(10)))),
                    "first two");
            c.trim(s, byId ? Trim.below(ids.get(7)) : Trim.toLength(3));
            EventId head = c.info(s).firstId().orElseThrow(() -> new AssertionError("info after trim has no first id"));
            if (!head.isAfter(ids.get(2))) {
                Assumptions.abort("the trim removed nothing past the reader's cursor (head " + head
                        + "), so no gap exists to check; backend trims approximately");
            }
            Expect.kind(
                    ErrorKind.DATA_LOSS,
                    "poll of a reader whose cursor (after " + ids.get(1) + ") is now below the retained head " + head,
                    () -> behind.poll(10, Duration.ZERO));
            Expect.kind(
                    ErrorKind.DATA_LOSS,
                    "a second poll: the reader stays where it was and reports the gap again",
                    () -> behind.poll(10, Duration.ZERO));
        }
        try (StreamReader old = c.openReader(s, Position.after(ids.get(1)))) {
            Expect.kind(
                    ErrorKind.DATA_LOSS,
                    "reading from after(" + ids.get(1) + "), older than the retained head",
                    () -> Io.read(old, 1, Tck.scaled(Duration.ofSeconds(2))));
        } catch (dev.tributary.StreamException e) {
            if (e.kind() != ErrorKind.DATA_LOSS) {
                throw e;
            }
            // openReader itself may report the gap
        }
        Expect.kind(
                ErrorKind.DATA_LOSS,
                "range from after(" + ids.get(1) + "), older than the retained head",
                () -> c.range(s, Position.after(ids.get(1)), null, 10));
        List<StreamEvent> fromHead = Io.readAvailable(c, s, Position.earliest());
        assertFalse(fromHead.isEmpty(), "earliest after a trim reads what is retained");
        assertEquals(
                c.info(s).firstId().orElseThrow(),
                fromHead.get(0).id(),
                "earliest after a trim starts at the retained head, without a DATA_LOSS error");
        assertEquals("p6/9", Io.keyOf(fromHead.get(fromHead.size() - 1)), "the newest event is retained");
    }

    public void p7() {
        StreamClient c = ctx.client();
        StreamName s = ctx.created(c, "p7");
        EventId real = c.append(s, Io.rec("p7/0"));
        String foreign = real.isPair() ? "42" : "1700000000000-3";
        List<String> bad = new ArrayList<>(Arrays.asList(
                null,
                "",
                " ",
                "abc",
                "1-2-3",
                "-1",
                "1-",
                "-",
                "12a",
                "99999999999999999999999",
                "1.5",
                " 1",
                "1 ",
                "0x10",
                "\uFF11\uFF12",
                "+1",
                "1-x",
                "\u0000",
                foreign));
        List<String> failures = new ArrayList<>();
        for (String text : bad) {
            try {
                Expect.kind(
                        ErrorKind.INVALID_ARGUMENT,
                        "parseId(" + (text == null ? "null" : "\"" + text + "\"") + ")",
                        () -> c.parseId(text));
            } catch (AssertionError e) {
                failures.add(e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            fail("invalid or foreign id strings must fail with INVALID_ARGUMENT (this backend writes ids like '" + real
                    + "'):\n  " + String.join("\n  ", failures));
        }
        assertEquals(real, c.parseId(real.toString()), "a valid id still parses");
    }

    public void p8() {
        StreamClient c = ctx.client();
        StreamName s = ctx.created(c, "p8");
        Duration wait = Tck.scaledMillis(300);
        Duration tolerance = Tck.scaled(Duration.ofSeconds(2));
        try (StreamReader r = c.openReader(s, Position.earliest())) {
            boundedEmptyPoll("reader.poll", () -> r.poll(10, wait), wait, tolerance);
            boundedEmptyPoll("reader.poll with wait 0", () -> r.poll(10, Duration.ZERO), Duration.ZERO, tolerance);
            wakesOnAppend("reader.poll", c, s, "p8/r", () -> r.poll(10, Duration.ofSeconds(30)));
        }
        if (c.supports(Capability.CONSUMER_GROUPS)) {
            StreamName gs = ctx.created(c, "p8g"); // empty again: the reader's part appended to s
            String g = Tck.name("g");
            c.createGroup(gs, g, GroupOptions.defaults());
            try (GroupConsumer m = c.openGroupConsumer(gs, g, "m1")) {
                boundedEmptyPoll("group poll", () -> m.poll(10, wait), wait, tolerance);
                boundedEmptyPoll("group poll with wait 0", () -> m.poll(10, Duration.ZERO), Duration.ZERO, tolerance);
                wakesOnAppend("group poll", c, gs, "p8/g", () -> m.poll(10, Duration.ofSeconds(30)));
            }
        }
    }

    /**
     * A poll blocked with a 30 s wait returns the event appended while it waits, within a scaled
     * 2 s of the append: "waiting up to wait for the first one" is an upper bound, not a sleep.
     */
    private static void wakesOnAppend(
            String what,
            StreamClient c,
            StreamName s,
            String key,
            java.util.function.Supplier<List<StreamEvent>> poll) {
        java.util.concurrent.CompletableFuture<List<StreamEvent>> got =
                java.util.concurrent.CompletableFuture.supplyAsync(poll, r -> {
                    Thread t = new Thread(r, "tributary-tck-p8-poll");
                    t.setDaemon(true);
                    t.start();
                });
        Tck.sleep(Tck.scaledMillis(300)); // let the poll block
        long t0 = System.nanoTime();
        c.append(s, Io.rec(key));
        Duration bound = Tck.scaled(Duration.ofSeconds(2));
        List<StreamEvent> events = Io.await(got, Tck.scaled(Duration.ofSeconds(40)));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertEquals(
                List.of(key),
                Io.keys(events),
                what + " blocked on an empty stream returns the event appended " + "meanwhile");
        assertTrue(
                took.compareTo(bound) <= 0,
                what + " with a 30 s wait returned " + took + " after an event was "
                        + "appended; it must return within " + bound + " of the first event, not sleep out its wait");
    }

    private static void boundedEmptyPoll(
            String what, java.util.function.Supplier<List<StreamEvent>> poll, Duration wait, Duration tolerance) {
        Duration bound = wait.plus(tolerance);
        long t0 = System.nanoTime();
        List<StreamEvent> got = Expect.within(bound.plus(Tck.scaled(Duration.ofSeconds(10))), what, poll::get);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertEquals(List.of(), got, what + " on an empty stream returns an empty list");
        assertTrue(
                took.compareTo(bound) <= 0,
                what + " with wait " + wait + " took " + took + "; bound is the wait plus " + tolerance);
        Duration least = wait.dividedBy(2);
        assertTrue(
                took.compareTo(least) >= 0,
                what + " with wait " + wait + " returned empty after " + took
                        + ": an empty answer comes when the wait ran out (allowing for clock slack, not before " + least
                        + "), else callers spin");
    }
}
