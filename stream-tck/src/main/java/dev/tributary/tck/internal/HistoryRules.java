package dev.tributary.tck.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.Capability;
import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamInfo;
import dev.tributary.StreamName;
import dev.tributary.Trim;
import dev.tributary.tck.Tck;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/** Rules H1–H6: history (range), info and trimming. */
public final class HistoryRules {
    private final KitContext ctx;

    public HistoryRules(KitContext ctx) {
        this.ctx = ctx;
    }

    public void h1() {
        StreamClient c = ctx.client();
        StreamName s = ctx.created(c, "h1");
        List<EventId> ids = Io.append(c, s, "h1", 25);
        List<StreamEvent> paged = new ArrayList<>();
        Position from = Position.earliest();
        List<Integer> sizes = new ArrayList<>();
        for (int page = 0; page < 10; page++) {
            List<StreamEvent> p = c.range(s, from, null, 10);
            sizes.add(p.size());
            assertTrue(p.size() <= 10, "range returned " + p.size() + " events for maxCount 10");
            if (p.isEmpty()) {
                break;
            }
            paged.addAll(p);
            from = Position.after(p.get(p.size() - 1).id());
        }
        assertEquals(
                Io.expectedKeys("h1", 0, 25),
                Io.keys(paged),
                "paging by after(last id of the page) must give every " + "event once, in order (page sizes " + sizes
                        + ")");
        assertEquals(ids, Io.ids(paged), "ids");
        assertEquals(List.of(10, 10, 5, 0), sizes, "pages of 10 over 25 events");
        assertEquals(
                Io.expectedKeys("h1", 4, 13),
                Io.keys(c.range(s, Position.after(ids.get(3)), ids.get(12), 100)),
                "range(after(id3), id12 inclusive) returns exactly the events between");
        assertEquals(
                Io.expectedKeys("h1", 0, 1),
                Io.keys(c.range(s, Position.earliest(), ids.get(0), 100)),
                "an inclusive upper bound equal to the first id returns that one event");
        assertEquals(
                Io.expectedKeys("h1", 5, 8),
                Io.keys(c.range(s, Position.after(ids.get(4)), null, 3)),
                "maxCount bounds the page");
        assertEquals(List.of(), c.range(s, Position.after(ids.get(24)), null, 10), "nothing after the last id");
        c.append(s, Io.rec("h1/25"));
        assertEquals(
                Io.expectedKeys("h1", 20, 25),
                Io.keys(c.range(s, Position.after(ids.get(19)), ids.get(24), 100)),
                "events after the upper bound are not returned");
    }

    public void h2() {
        StreamClient c = ctx.client();
        StreamName missing = ctx.stream("h2");
        assertEquals(List.of(), c.range(missing, Position.earliest(), null, 10), "range of a missing stream is empty");
        assertFalse(c.info(missing).exists(), "the stream stays missing");
        StreamName empty = ctx.created(c, "h2");
        assertEquals(List.of(), c.range(empty, Position.earliest(), null, 10), "range of an empty stream is empty");
        EventId id = c.append(empty, Io.rec("h2/0"));
        assertEquals(List.of(), c.range(missing, Position.after(id), null, 10), "range of a missing stream from an id");
        StreamClient closed = ctx.client();
        closed.close();
        Expect.kind(
                ErrorKind.CLOSED,
                "range on a closed client must fail, never return an empty list",
                () -> closed.range(empty, Position.earliest(), null, 10));
        // A broker failure during range is checked by F1, which has a fixture that stops the broker.
    }

    public void h3() {
        StreamClient c = ctx.client();
        StreamName s = ctx.stream("h3");
        StreamInfo missing = c.info(s);
        assertFalse(missing.exists(), "info on a missing stream says exists=false");
        assertEquals(0, missing.length(), "length of a missing stream");
        assertEquals(Optional.empty(), missing.firstId(), "first id of a missing stream");
        assertEquals(Optional.empty(), missing.lastId(), "last id of a missing stream");
        assertEquals(s, missing.stream(), "info names its stream");
        c.createStream(s);
        StreamInfo empty = c.info(s);
        assertTrue(empty.exists(), "info on a created, empty stream says exists=true");
        assertEquals(0, empty.length(), "length of an empty stream");
        assertEquals(Optional.empty(), empty.firstId(), "an empty stream has no first id");
        assertEquals(Optional.empty(), empty.lastId(), "an empty stream has no last id");
        assertEquals(Optional.empty(), empty.firstTimestamp(), "an empty stream has no first time");
        assertEquals(Optional.empty(), empty.lastTimestamp(), "an empty stream has no last time");
    }

    public void h4() {
        StreamClient c = ctx.client();
        StreamName s = ctx.created(c, "h4");
        Instant before = Instant.now();
        List<EventId> ids = Io.append(c, s, "h4", 5);
        Instant after = Instant.now();
        List<StreamEvent> read = Io.readExactly(c, s, Position.earliest(), 5);
        StreamInfo info = c.info(s);
        assertTrue(info.exists(), "exists");
        assertEquals(5, info.length(), "length after 5 appends");
        assertEquals(Optional.of(ids.get(0)), info.firstId(), "first id");
        assertEquals(Optional.of(ids.get(4)), info.lastId(), "last id");
        assertEquals(
                Optional.of(read.get(0).timestamp()),
                info.firstTimestamp(),
                "first time = the first event's broker time");
        assertEquals(
                Optional.of(read.get(4).timestamp()), info.lastTimestamp(), "last time = the last event's broker time");
        Duration skew = Duration.ofMinutes(5);
        for (StreamEvent e : read) {
            assertTrue(
                    !e.timestamp().isBefore(before.minus(skew))
                            && !e.timestamp().isAfter(after.plus(skew)),
                    "broker timestamp " + e.timestamp() + " is not near the append time " + before + " (allowing "
                            + skew + " of clock skew)");
        }
        c.append(s, Io.rec("h4/5"));
        assertEquals(6, c.info(s).length(), "length follows appends");
    }

    public void h5() {
        StreamClient c = ctx.client();
        StreamName s = ctx.created(c, "h5");
        Gate.require(c, Capability.TRIM_BY_LENGTH, () -> c.trim(s, Trim.toLength(1)));
        List<EventId> ids = Io.append(c, s, "h5", 20);
        long removed = c.trim(s, Trim.toLength(5));
        StreamInfo info = c.info(s);
        List<StreamEvent> left = Io.readAvailable(c, s, Position.earliest());
        assertEquals(info.length(), left.size(), "info length matches what is read after the trim");
        if (c.supports(Capability.EXACT_TRIM)) {
            assertEquals(
                    Io.expectedKeys("h5", 15, 20), Io.keys(left), "EXACT_TRIM: toLength(5) keeps exactly the newest 5");
            assertRemoved("trim", 15, removed);
            assertEquals(Optional.of(ids.get(15)), info.firstId(), "first id after the trim");
        } else {
            assertTrue(left.size() >= 5 && left.size() <= 20, "toLength(5) keeps at least 5; kept " + left.size());
            int from = 20 - left.size();
            assertEquals(Io.expectedKeys("h5", from, 20), Io.keys(left), "trim keeps the newest events, contiguous");
            assertRemoved("trim", from, removed);
        }
        assertEquals(Optional.of(ids.get(19)), info.lastId(), "the newest event is kept");
        c.append(s, Io.rec("h5/20"));
        assertEquals(
                "h5/20",
                Io.keyOf(c.range(s, Position.after(ids.get(19)), null, 10).get(0)),
                "the stream keeps working after a trim");
        // a second trim counts from what is retained now, not from the first event ever appended
        for (int i = 21; i < 30; i++) {
            c.append(s, Io.rec("h5/" + i));
        }
        c.trim(s, Trim.toLength(8));
        List<StreamEvent> second = Io.readAvailable(c, s, Position.earliest());
        if (c.supports(Capability.EXACT_TRIM)) {
            assertEquals(
                    Io.expectedKeys("h5", 22, 30),
                    Io.keys(second),
                    "EXACT_TRIM: a second toLength(8) keeps " + "exactly the newest 8");
        } else {
            assertTrue(second.size() >= 8, "a second toLength(8) keeps at least 8; kept " + second.size());
            assertEquals(
                    Io.expectedKeys("h5", 30 - second.size(), 30),
                    Io.keys(second),
                    "a second trim keeps the newest events, contiguous");
        }
        // a long stream: an approximate trim may keep more than N, but it must trim
        StreamName big = ctx.created(c, "h5big");
        int total = 1000;
        for (int from = 0; from < total; from += 100) {
            List<dev.tributary.StreamRecord> batch = new java.util.ArrayList<>();
            for (int i = from; i < from + 100; i++) {
                batch.add(Io.rec("h5big/" + i));
            }
            c.appendBatch(big, batch);
        }
        c.trim(big, Trim.toLength(5));
        List<StreamEvent> kept = Io.readAvailable(c, big, Position.earliest());
        if (c.supports(Capability.EXACT_TRIM)) {
            assertEquals(
                    Io.expectedKeys("h5big", total - 5, total),
                    Io.keys(kept),
                    "EXACT_TRIM: toLength(5) of " + total + " events keeps exactly the newest 5");
        } else {
            assertTrue(
                    kept.size() >= 5 && kept.size() <= total / 2,
                    "toLength(5) of " + total + " events keeps at "
                            + "least 5 and must remove most of them (an approximate trim may keep a storage unit more, not "
                            + "the whole stream); kept " + kept.size());
            assertEquals(
                    Io.expectedKeys("h5big", total - kept.size(), total),
                    Io.keys(kept),
                    "trim keeps the newest events, contiguous");
        }
    }

    public void h6() {
        StreamClient c = ctx.client();
        StreamName s = ctx.created(c, "h6");
        boolean byAge = c.supports(Capability.TRIM_BY_AGE);
        boolean byId = c.supports(Capability.TRIM_BY_ID);
        EventId some = c.append(s, Io.rec("h6/probe"));
        if (!byAge) {
            Gate.checkUnsupported(c, Capability.TRIM_BY_AGE, () -> c.trim(s, Trim.olderThan(Duration.ofDays(1))));
        }
        if (!byId) {
            Gate.checkUnsupported(c, Capability.TRIM_BY_ID, () -> c.trim(s, Trim.below(some)));
        }
        if (!byAge && !byId) {
            Assumptions.abort("capabilities TRIM_BY_AGE and TRIM_BY_ID are not declared by backend '" + c.backend()
                    + "' (checked: using them fails fast with UNSUPPORTED)");
        }
        if (byId) {
            StreamName t = ctx.created(c, "h6");
            List<EventId> ids = Io.append(c, t, "h6id", 10);
            long removed = c.trim(t, Trim.below(ids.get(5)));
            assertRemoved("trim below", 5, removed);
            assertEquals(
                    Io.expectedKeys("h6id", 5, 10),
                    Io.keys(Io.readAvailable(c, t, Position.earliest())),
                    "below(id) removes every event with a lower id and keeps the event with that id");
            assertEquals(5, c.info(t).length(), "length after trim below");
            assertEquals(
                    0, Math.max(0, c.trim(t, Trim.below(ids.get(5)))), "trimming below the head again removes nothing");
        }
        if (byAge) {
            StreamName t = ctx.created(c, "h6");
            Io.append(c, t, "h6old", 3);
            Duration aged = Tck.scaledMillis(1500);
            Tck.sleep(aged);
            Io.append(c, t, "h6new", 3);
            long removed = c.trim(t, Trim.olderThan(aged.dividedBy(2)));
            assertRemoved("trim by age", 3, removed);
            assertEquals(
                    Io.expectedKeys("h6new", 0, 3),
                    Io.keys(Io.readAvailable(c, t, Position.earliest())),
                    "olderThan(" + aged.dividedBy(2) + ") removes the events appended " + aged
                            + " ago and keeps the new ones");
            c.trim(t, Trim.olderThan(Duration.ofDays(1)));
            assertEquals(3, c.info(t).length(), "olderThan(1 day) removes nothing new");
        }
        if (!byAge || !byId) {
            System.out.println("H6: checked " + (byId ? "TRIM_BY_ID" : "TRIM_BY_AGE") + "; "
                    + (byId ? "TRIM_BY_AGE" : "TRIM_BY_ID") + " is not declared by '" + c.backend()
                    + "' and fails fast with UNSUPPORTED");
        }
    }

    /** A trim answers the number of events it removed, or -1 when the backend cannot count them. */
    private static void assertRemoved(String trim, long expected, long removed) {
        assertTrue(
                removed == expected || removed == -1,
                trim + " returns the number removed (" + expected + ") or -1; got " + removed);
    }
}
