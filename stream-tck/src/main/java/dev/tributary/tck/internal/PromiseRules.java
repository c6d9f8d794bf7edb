package dev.tributary.tck.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tributary.AckResult;
import dev.tributary.Capability;
import dev.tributary.ClientConfig;
import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.GroupConsumer;
import dev.tributary.GroupOptions;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamInfo;
import dev.tributary.StreamName;
import dev.tributary.StreamReader;
import dev.tributary.StreamRecord;
import dev.tributary.tck.Tck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Second-wave rules for promises of the contract that no first-wave rule exercised: L7, A10, A12,
 * A13, H7, H8, G10, G11 (TCK-RULES.md, "Added with the second wave").
 */
public final class PromiseRules {
    private final KitContext ctx;

    public PromiseRules(KitContext ctx) {
        this.ctx = ctx;
    }

    private static Duration bound() {
        return Tck.scaled(Duration.ofSeconds(15));
    }

    /** L7: a poll on an interrupted thread returns promptly and leaves the interrupt flag set. */
    public void l7() {
        StreamClient c = ctx.client();
        StreamName s = ctx.created(c, "l7");
        c.append(s, Io.rec("l7/0"));
        List<String> failures = new ArrayList<>();
        try (StreamReader r = c.openReader(s, Position.latest())) {
            interruptedPoll(failures, "reader.poll", () -> r.poll(10, Duration.ofSeconds(30)));
        }
        if (c.supports(Capability.CONSUMER_GROUPS)) {
            String g = Tck.name("g");
            c.createGroup(s, g, GroupOptions.defaults().withStart(Position.latest()));
            try (GroupConsumer m = c.openGroupConsumer(s, g, "m1")) {
                interruptedPoll(failures, "consumer.poll", () -> m.poll(10, Duration.ofSeconds(30)));
            }
        }
        if (!failures.isEmpty()) {
            fail(String.join("\n", failures));
        }
        assertEquals(
                List.of("l7/0"),
                Io.keys(Io.readExactly(c, s, Position.earliest(), 1)),
                "the client still works after interrupted polls");
    }

    private static void interruptedPoll(List<String> failures, String what, Supplier<List<StreamEvent>> poll) {
        Duration prompt = Tck.scaled(Duration.ofSeconds(2));
        long t0 = System.nanoTime();
        Thread.currentThread().interrupt();
        Object outcome;
        try {
            outcome = poll.get();
        } catch (StreamException e) {
            outcome = e;
        } finally {
            boolean stillSet = Thread.interrupted(); // clears it for the rest of the rule
            if (!stillSet) {
                failures.add(what + " on an interrupted thread cleared the interrupt flag; it must stay set so the "
                        + "application sees the interrupt");
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        if (took.compareTo(prompt) > 0) {
            failures.add(what + " with a 30 s wait on an interrupted thread took " + took + "; it must return within "
                    + prompt);
        }
        if (outcome instanceof StreamException e && e.kind() != ErrorKind.RETRYABLE) {
            failures.add(what + " on an interrupted thread failed " + e.kind() + " (" + e.getMessage() + "); it must "
                    + "return events (or none) or fail RETRYABLE");
        }
    }

    /** A10: a stream written through namespace {@code a} does not exist through namespace {@code b}. */
    public void a10() {
        ClientConfig base = ctx.fixture().config();
        String tag = Tck.name("ns").replace('.', '-');
        StreamClient a = ctx.client(base.toBuilder().namespace(tag + "-a").build());
        StreamClient b = ctx.client(base.toBuilder().namespace(tag + "-b").build());
        StreamName s = Tck.streamName("a10");
        try {
            a.createStream(s);
            a.append(s, Io.rec("a10/0"));
            StreamInfo inB = b.info(s);
            assertFalse(
                    inB.exists(),
                    "a stream written through namespace " + tag + "-a must not exist through " + tag + "-b: " + inB);
            assertEquals(List.of(), b.range(s, Position.earliest(), null, 10), "range through another namespace");
            assertEquals(1, a.info(s).length(), "the stream exists through its own namespace");
        } finally {
            a.deleteStream(s);
            b.deleteStream(s);
        }
    }

    /** A12: the id an append returned is the id its event is read under, also under concurrency. */
    public void a12() {
        StreamClient c = ctx.client();
        StreamName s = ctx.created(c, "a12");
        Map<String, CompletableFuture<EventId>> returned = new HashMap<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int producer = t;
            Thread th = new Thread(() -> {
                for (int i = 0; i < 50; i++) {
                    String key = "p" + producer + "/" + i;
                    CompletableFuture<EventId> f = c.appendAsync(s, Io.rec(key));
                    synchronized (returned) {
                        returned.put(key, f);
                    }
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            try {
                th.join(bound().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        List<String> mismatched = new ArrayList<>();
        for (StreamEvent e : Io.readExactly(c, s, Position.earliest(), 200)) {
            EventId appended = Io.await(returned.get(Io.keyOf(e)), bound());
            if (!appended.equals(e.id())) {
                mismatched.add(Io.keyOf(e) + ": append returned " + appended + ", read under " + e.id());
            }
        }
        assertEquals(
                List.of(),
                mismatched,
                "every append's future must complete with the id its own event is stored "
                        + "under (futures matched to the wrong replies swap ids)");
    }

    /** A13: idempotency ids are scoped to their stream. */
    public void a13() {
        StreamClient c = ctx.client();
        StreamName s1 = ctx.created(c, "a13a");
        StreamName s2 = ctx.created(c, "a13b");
        StreamRecord r = Io.rec("a13/0").withIdempotencyId("tck-" + Tck.runId() + "-a13");
        Gate.require(c, Capability.IDEMPOTENT_APPEND, () -> c.append(s1, r));
        c.append(s1, r);
        c.append(s2, r);
        c.append(s2, r);
        assertEquals(1, c.info(s1).length(), "one event in the first stream");
        assertEquals(1, c.info(s2).length(), "the same idempotency id on another stream stores one event there too");
        assertEquals(List.of("a13/0"), Io.keys(Io.readExactly(c, s2, Position.earliest(), 1)));
    }

    /** H7: info after appendBatch reports the batch's length, first id and last id. */
    public void h7() {
        StreamClient c = ctx.client();
        StreamName s = ctx.created(c, "h7");
        List<StreamRecord> batch = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            batch.add(Io.rec("h7/" + i));
        }
        List<EventId> ids = c.appendBatch(s, batch);
        StreamInfo info = Expect.within(bound(), "info", () -> c.info(s));
        assertEquals(25, info.length(), "length after a batch of 25: " + info);
        assertEquals(ids.get(0), info.firstId().orElse(null), "first id is the batch's first: " + info);
        assertEquals(ids.get(24), info.lastId().orElse(null), "last id is the batch's last: " + info);
    }

    /** H8: deleteStream deletes its groups; a group of the old name on the re-created stream starts afresh. */
    public void h8() {
        StreamClient c = ctx.client();
        StreamName s = ctx.created(c, "h8");
        String g = Tck.name("g");
        Gate.require(c, Capability.CONSUMER_GROUPS, () -> c.createGroup(s, g, GroupOptions.defaults()));
        c.createGroup(s, g, GroupOptions.defaults());
        Io.append(c, s, "old", 3);
        try (GroupConsumer m = c.openGroupConsumer(s, g, "m1")) {
            Io.poll(m, 1, bound(), true);
        }
        assertTrue(c.deleteStream(s), "deleteStream of an existing stream returns true");
        c.createStream(s);
        Expect.kind(ErrorKind.NOT_FOUND, "groupInfo of a group of the deleted stream", () -> c.groupInfo(s, g));
        c.createGroup(s, g, GroupOptions.defaults());
        Io.append(c, s, "new", 2);
        try (GroupConsumer m = c.openGroupConsumer(s, g, "m1")) {
            List<StreamEvent> got = Io.poll(m, 2, bound(), true);
            assertEquals(List.of("new/0", "new/1"), Io.keys(got), "the new group sees the new stream's events only");
            assertEquals(List.of(), m.poll(10, Tck.scaledMillis(300)), "nothing of the old stream");
        }
    }

    /** G10: an ack the broker accepted is final, even after the ack timeout if no redelivery happened yet. */
    public void g10() {
        StreamClient c = ctx.client();
        StreamName s = ctx.created(c, "g10");
        String g = Tck.name("g");
        Duration ackTimeout = ctx.hooks().groupAckTimeout();
        GroupOptions options = GroupOptions.defaults().withAckTimeout(ackTimeout);
        Gate.require(c, Capability.CONSUMER_GROUPS, () -> c.createGroup(s, g, options));
        c.createGroup(s, g, options);
        c.append(s, Io.rec("g10/0"));
        try (GroupConsumer m = c.openGroupConsumer(s, g, "m1")) {
            List<StreamEvent> got = Io.poll(m, 1, bound(), false);
            assertEquals(List.of("g10/0"), Io.keys(got));
            Tck.sleep(ackTimeout.plus(ackTimeout.dividedBy(2))); // past the ack timeout, no poll in between
            AckResult r = m.ack(got.get(0).id());
            if (r.acked() == 1) {
                List<StreamEvent> again = m.poll(10, ackTimeout.multipliedBy(3));
                assertEquals(
                        List.of(),
                        Io.keys(again),
                        "the broker accepted the ack (" + r + "): the event must not " + "be delivered again");
            } else {
                assertEquals(1, r.unknown(), "an ack that is not accepted counts as unknown: " + r);
            }
        }
    }

    /** G11: a group created at latest or after(id) on a non-empty stream receives exactly the later events. */
    public void g11() {
        StreamClient c = ctx.client();
        StreamName s = ctx.created(c, "g11");
        Gate.require(c, Capability.CONSUMER_GROUPS, () -> c.createGroup(s, Tck.name("g"), GroupOptions.defaults()));
        List<EventId> old = Io.append(c, s, "old", 4);
        String latest = Tck.name("latest");
        String after = Tck.name("after");
        c.createGroup(s, latest, GroupOptions.defaults().withStart(Position.latest()));
        c.createGroup(s, after, GroupOptions.defaults().withStart(Position.after(old.get(1))));
        Io.append(c, s, "new", 2);
        try (GroupConsumer m = c.openGroupConsumer(s, latest, "m1")) {
            assertEquals(
                    List.of("new/0", "new/1"),
                    Io.keys(Io.poll(m, 2, bound(), true)),
                    "a group created at latest on a non-empty stream gets only what was appended after");
            assertEquals(List.of(), m.poll(10, Tck.scaledMillis(300)), "and nothing more");
        }
        try (GroupConsumer m = c.openGroupConsumer(s, after, "m1")) {
            assertEquals(
                    List.of("old/2", "old/3", "new/0", "new/1"),
                    Io.keys(Io.poll(m, 4, bound(), true)),
                    "a group created after(id) gets exactly the events after that id");
            assertEquals(List.of(), m.poll(10, Tck.scaledMillis(300)), "and nothing more");
        }
    }
}
