package dev.tributary.tck.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.Capability;
import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.Headers;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import dev.tributary.tck.HistoryChecker;
import dev.tributary.tck.Tck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** Rules A1–A9: append and read. */
public final class AppendRules {
    private final KitContext ctx;

    public AppendRules(KitContext ctx) {
        this.ctx = ctx;
    }

    public void a1() {
        StreamClient c = ctx.client();
        StreamName s = ctx.created(c, "a1");
        List<EventId> ids = Io.append(c, s, "a1", 10);
        List<CompletableFuture<EventId>> pending = new ArrayList<>();
        for (int i = 10; i < 20; i++) {
            pending.add(c.appendAsync(s, Io.rec("a1/" + i)));
        }
        for (CompletableFuture<EventId> f : pending) {
            ids.add(Io.await(f, Tck.scaled(Duration.ofSeconds(10))));
        }
        for (int i = 0; i < ids.size(); i++) {
            assertNotNull(ids.get(i), "append returned a null id for record " + i);
            if (i > 0) {
                assertTrue(
                        ids.get(i).isAfter(ids.get(i - 1)),
                        "ids must be strictly increasing: id " + i + " = " + ids.get(i) + " is not after "
                                + ids.get(i - 1));
            }
        }
        List<StreamEvent> read = Io.readExactly(c, s, Position.earliest(), 20);
        assertEquals(Io.expectedKeys("a1", 0, 20), Io.keys(read), "events read back");
        assertEquals(ids, Io.ids(read), "append must return the id the broker stored the event under");
    }

    public void a2() {
        StreamClient c = ctx.client();
        StreamName s = ctx.created(c, "a2");
        List<StreamRecord> records = new ArrayList<>();
        List<CompletableFuture<EventId>> futures = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            byte[] payload = new byte[1 + (i * 7) % 300];
            for (int j = 0; j < payload.length; j++) {
                payload[j] = (byte) (i * 31 + j); // every byte value, including 0 and 0xff
            }
            StreamRecord r = StreamRecord.builder()
                    .payload(payload)
                    .key("key-a2")
                    .header(Io.KEY_HEADER, "a2/" + i)
                    .header("n", Integer.toString(i))
                    .header("content-type", "application/octet-stream")
                    .header("trace", "00-" + i + "-01")
                    .header("empty", "")
                    .build();
            records.add(r);
            futures.add(c.appendAsync(s, r));
        }
        List<EventId> ids = new ArrayList<>();
        for (CompletableFuture<EventId> f : futures) {
            ids.add(Io.await(f, Tck.scaled(Duration.ofSeconds(10))));
        }
        List<StreamEvent> read = Io.readExactly(c, s, Position.earliest(), 100);
        assertEquals(Io.expectedKeys("a2", 0, 100), Io.keys(read), "all 100 records, in order, exactly once");
        for (int i = 0; i < 100; i++) {
            StreamEvent e = read.get(i);
            StreamRecord r = records.get(i);
            assertEquals(ids.get(i), e.id(), "id of event " + i);
            assertArrayEquals(r.payload(), e.payload(), "payload of event " + i + " byte-for-byte");
            assertArrayEquals(r.key(), e.key(), "key of event " + i);
            assertEquals(r.headers(), e.headers(), "headers of event " + i + " (every header, in order)");
            assertEquals(s, e.stream(), "stream of event " + i);
            assertEquals(1, e.deliveryCount(), "delivery count of a tail read");
        }
    }

    public void a3() {
        StreamClient c = ctx.client();
        StreamName s = ctx.created(c, "a3");
        c.append(
                s,
                StreamRecord.builder()
                        .payload(new byte[0])
                        .key(new byte[0])
                        .header(Io.KEY_HEADER, "a3/0")
                        .build());
        c.append(
                s,
                StreamRecord.builder()
                        .payload(new byte[0])
                        .header(Io.KEY_HEADER, "a3/1")
                        .build());
        c.append(
                s,
                StreamRecord.builder()
                        .payload("x")
                        .key((byte[]) null)
                        .header(Io.KEY_HEADER, "a3/2")
                        .build());
        List<StreamEvent> read = Io.readExactly(c, s, Position.earliest(), 3);
        assertEquals(Io.expectedKeys("a3", 0, 3), Io.keys(read), "events read back");
        assertNotNull(read.get(0).payload(), "an empty payload must read back as an empty array, not null");
        assertEquals(0, read.get(0).payload().length, "empty payload");
        assertNotNull(read.get(0).key(), "a 0-byte key must read back as a 0-byte key, not as no key");
        assertEquals(0, read.get(0).key().length, "0-byte key");
        assertEquals(0, read.get(1).payload().length, "empty payload without key");
        assertNull(read.get(1).key(), "no key must read back as no key (null), not as a 0-byte key");
        assertNull(read.get(2).key(), "no key must read back as no key (null)");
        List<StreamEvent> ranged = c.range(s, Position.earliest(), null, 10);
        assertNotNull(ranged.get(0).key(), "range: a 0-byte key stays a 0-byte key");
        assertNull(ranged.get(1).key(), "range: no key stays no key");
        assertEquals(0, ranged.get(1).payload().length, "range: empty payload");
    }

    public void a4() {
        StreamClient c = ctx.client();
        StreamName s = ctx.created(c, "a4");
        int max = c.limits().maxPayloadBytes();
        if (max > 64 * 1024 * 1024) {
            org.junit.jupiter.api.Assumptions.abort(
                    "declared maxPayloadBytes " + max + " is above the 64 MiB the kit allocates; A4 cannot be checked");
        }
        byte[] atMax = new byte[max];
        for (int i = 0; i < atMax.length; i += 4096) {
            atMax[i] = (byte) i;
        }
        atMax[max - 1] = 42;
        EventId id = c.append(s, StreamRecord.of(atMax));
        byte[] over = new byte[max + 1];
        Expect.kind(
                ErrorKind.TOO_LARGE,
                "append of a payload one byte over maxPayloadBytes (" + max + ")",
                () -> c.append(s, StreamRecord.of(over)));
        Expect.kind(
                ErrorKind.TOO_LARGE,
                "appendAsync of a payload one byte over maxPayloadBytes",
                () -> Io.await(c.appendAsync(s, StreamRecord.of(over)), Tck.scaled(Duration.ofSeconds(10))));
        Expect.kind(
                ErrorKind.TOO_LARGE,
                "appendBatch holding a payload one byte over maxPayloadBytes",
                () -> c.appendBatch(s, List.of(Io.rec("a4/ok"), StreamRecord.of(over))));
        assertEquals(
                1,
                c.info(s).length(),
                "only the record at the max size may be stored: a record over the limit "
                        + "(alone or in a batch) writes nothing");
        List<StreamEvent> read = Io.readExactly(c, s, Position.earliest(), 1);
        assertEquals(1, read.size(), "one event");
        assertEquals(id, read.get(0).id(), "id");
        assertArrayEquals(atMax, read.get(0).payload(), "payload at the max size round-trips");
    }

    /** Header values every backend must carry exactly (encoded where the wire cannot). */
    static final List<String> HARD_VALUES = List.of(
            "plain",
            "",
            " leading and trailing ",
            "quote \" and ' and `",
            "colon: a:b::c",
            "cr\rlf\ncrlf\r\n",
            "tab\tnul\u0000bell\u0007",
            "backslash \\ and \\n literal",
            "é ü ß ñ ø å",
            "中文 日本語 한국어",
            "עברית العربية",
            "emoji 😀👍🏽 🇩🇪",
            "combining e\u0301",
            "zero width \u200b\u200d",
            "\uFEFFbom",
            "max bmp \uFFFD\uFFFF",
            "=?utf-8?q?encoded?=",
            "%41%42 %%",
            "json {\"a\":[1,2]}",
            "x".repeat(1000));

    public void a5() {
        StreamClient c = ctx.client();
        StreamName s = ctx.created(c, "a5");
        Headers.Builder b = Headers.builder().add(Io.KEY_HEADER, "a5/0");
        for (int i = 0; i < HARD_VALUES.size(); i++) {
            b.add("v" + i, HARD_VALUES.get(i));
        }
        b.add("z-order", "1").add("a-order", "2").add("m-order", "3");
        b.add("dup", "first").add("other", "between").add("dup", "second").add("dup", "first");
        b.add("X-Odd!#$%&'*+.^_`|~", "token chars in the key");
        Headers headers = b.build();
        if (headers.byteSize() > c.limits().maxHeaderBytes()) {
            org.junit.jupiter.api.Assumptions.abort("declared maxHeaderBytes "
                    + c.limits().maxHeaderBytes() + " is below the " + headers.byteSize() + " bytes A5 needs");
        }
        c.append(s, StreamRecord.builder().payload("a5").headers(headers).build());
        List<StreamEvent> read = Io.readExactly(c, s, Position.earliest(), 1);
        assertEquals(1, read.size(), "one event");
        Headers got = read.get(0).headers();
        for (int i = 0; i < HARD_VALUES.size(); i++) {
            assertEquals(List.of(HARD_VALUES.get(i)), got.all("v" + i), "header v" + i + " must round-trip exactly");
        }
        assertEquals(List.of("first", "second", "first"), got.all("dup"), "repeated keys are all kept, in order");
        assertEquals(headers.asList(), got.asList(), "every header, in order, exactly");
        assertEquals(
                headers, c.range(s, Position.earliest(), null, 1).get(0).headers(), "range returns the same headers");
    }

    public void a6() {
        StreamClient c = ctx.client();
        StreamName a = ctx.created(c, "a6");
        StreamName b = StreamName.of(a.value() + "-b"); // a name with the other as its prefix
        StreamName third = ctx.created(c, "a6"); // an unrelated stream
        c.createStream(b);
        Io.append(c, a, "a6a", 5);
        Io.append(c, b, "a6b", 3);
        Io.append(c, third, "a6c", 2);
        try {
            assertEquals(
                    Io.expectedKeys("a6a", 0, 5), Io.keys(Io.readExactly(c, a, Position.earliest(), 5)), "stream " + a);
            assertEquals(
                    Io.expectedKeys("a6b", 0, 3), Io.keys(Io.readExactly(c, b, Position.earliest(), 3)), "stream " + b);
            assertEquals(
                    Io.expectedKeys("a6a", 0, 5), Io.keys(c.range(a, Position.earliest(), null, 100)), "range of " + a);
            assertEquals(
                    Io.expectedKeys("a6b", 0, 3), Io.keys(c.range(b, Position.earliest(), null, 100)), "range of " + b);
            assertEquals(5, c.info(a).length(), "info of " + a);
            assertEquals(3, c.info(b).length(), "info of " + b);
        } finally {
            c.deleteStream(b);
        }
    }

    public void a7() {
        StreamClient c = ctx.client();
        StreamName s = ctx.created(c, "a7");
        int threads = 20;
        int perThread = 500;
        HistoryChecker history = new HistoryChecker("A7 " + threads + " threads x " + perThread + " appends");
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(threads);
        AtomicReference<Throwable> error = new AtomicReference<>();
        for (int t = 0; t < threads; t++) {
            String producer = "p" + t;
            Thread th = new Thread(
                    () -> {
                        try {
                            start.await();
                            List<CompletableFuture<EventId>> fs = new ArrayList<>(perThread);
                            List<String> keys = new ArrayList<>(perThread);
                            for (int i = 0; i < perThread; i++) {
                                String key = producer + "/" + i;
                                history.invoked(key);
                                keys.add(key);
                                fs.add(c.appendAsync(s, Io.rec(key, producer)));
                            }
                            for (int i = 0; i < perThread; i++) {
                                try {
                                    history.ok(keys.get(i), Io.await(fs.get(i), Tck.scaled(Duration.ofSeconds(60))));
                                } catch (RuntimeException e) {
                                    history.failed(keys.get(i), e);
                                    error.compareAndSet(null, e);
                                }
                            }
                        } catch (Throwable e) {
                            error.compareAndSet(null, e);
                        } finally {
                            done.countDown();
                        }
                    },
                    "tributary-tck-a7-" + t);
            th.setDaemon(true);
            th.start();
        }
        start.countDown();
        try {
            assertTrue(
                    done.await(Tck.scaled(Duration.ofSeconds(90)).toMillis(), TimeUnit.MILLISECONDS),
                    "20 appending threads did not finish");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
        if (error.get() != null) {
            throw new AssertionError("a concurrent append failed: " + error.get(), error.get());
        }
        int total = threads * perThread;
        List<StreamEvent> read = Io.readExactly(c, s, Position.earliest(), total);
        for (StreamEvent e : read) {
            history.delivered("reader", Io.keyOf(e), e.id(), e.deliveryCount());
        }
        HistoryChecker.Report r = history.report();
        System.out.println(r.summary());
        assertEquals(total, r.ok(), r.summary());
        assertTrue(r.clean(), "appends lost, unexpected or out of their thread's order: " + r.summary());
        assertTrue(r.duplicates().isEmpty(), "appends stored twice: " + r.summary());
        assertEquals(total, read.size(), "events read");
    }

    public void a8() {
        StreamClient c = ctx.client();
        StreamName s = ctx.created(c, "a8");
        c.append(s, Io.rec("a8/first"));
        int n = Math.min(c.limits().maxBatchSize(), 50);
        List<StreamRecord> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            batch.add(Io.rec("a8/" + i));
        }
        List<EventId> ids = c.appendBatch(s, batch);
        assertEquals(n, ids.size(), "one id per record");
        for (int i = 1; i < n; i++) {
            assertTrue(
                    ids.get(i).isAfter(ids.get(i - 1)),
                    "batch ids in order: " + ids.get(i) + " after " + ids.get(i - 1));
        }
        List<EventId> single = c.appendBatch(s, List.of(Io.rec("a8/last")));
        assertEquals(1, single.size(), "a batch of one returns one id");
        List<StreamEvent> read = Io.readExactly(c, s, Position.earliest(), n + 2);
        List<String> expected = new ArrayList<>();
        expected.add("a8/first");
        expected.addAll(Io.expectedKeys("a8", 0, n));
        expected.add("a8/last");
        assertEquals(expected, Io.keys(read), "a batch is stored in order, after what came before");
        for (int i = 0; i < n; i++) {
            assertEquals(
                    ids.get(i),
                    read.get(i + 1).id(),
                    "the i-th id returned must be the id of the i-th record ("
                            + batch.get(i).headers().first(Io.KEY_HEADER).orElse("?") + ")");
        }
        assertEquals(single.get(0), read.get(n + 1).id(), "id of a batch of one");
    }

    public void a9() {
        StreamClient c = ctx.client();
        StreamName s = ctx.created(c, "a9");
        StreamRecord r = Io.rec("a9/0").withIdempotencyId("tck-" + Tck.runId() + "-a9-0");
        Gate.require(c, Capability.IDEMPOTENT_APPEND, () -> c.append(s, r));
        EventId first = c.append(s, r);
        EventId second = c.append(s, r);
        EventId third = Io.await(c.appendAsync(s, r), Tck.scaled(Duration.ofSeconds(10)));
        assertEquals(first, second, "the same idempotency id appended twice must return the first id");
        assertEquals(first, third, "appendAsync with the same idempotency id returns the first id too");
        EventId other = c.append(s, Io.rec("a9/1").withIdempotencyId("tck-" + Tck.runId() + "-a9-1"));
        assertTrue(other.isAfter(first), "a different idempotency id stores a new event");
        List<StreamEvent> read = Io.readExactly(c, s, Position.earliest(), 2);
        assertEquals(List.of("a9/0", "a9/1"), Io.keys(read), "one event per idempotency id");
        assertEquals(2, c.info(s).length(), "info length");
    }
}
