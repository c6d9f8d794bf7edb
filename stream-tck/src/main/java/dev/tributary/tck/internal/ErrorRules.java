package dev.tributary.tck.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tributary.Capability;
import dev.tributary.ClientConfig;
import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.GroupConsumer;
import dev.tributary.GroupOptions;
import dev.tributary.Headers;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamReader;
import dev.tributary.StreamRecord;
import dev.tributary.Trim;
import dev.tributary.tck.Tck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.function.Executable;

/** Rules E1–E7: errors and bad input. */
public final class ErrorRules {
    private static final Set<ErrorKind> INVALID = EnumSet.of(ErrorKind.INVALID_ARGUMENT);

    private final KitContext ctx;

    public ErrorRules(KitContext ctx) {
        this.ctx = ctx;
    }

    static final List<String> BAD_NAMES = Arrays.asList(
            null,
            "",
            " ",
            "   ",
            "a".repeat(StreamName.MAX_LENGTH + 1),
            ".",
            "*",
            ">",
            "a b",
            "a/b",
            "a\u0000b",
            "ström",
            "名前",
            "a.b",
            "a*",
            "a>",
            "tab\t",
            "new\nline",
            "emoji😀",
            "a:b");

    /** Collects failures so a rule reports every broken case at once. */
    private static final class Failures {
        final List<String> list = new ArrayList<>();

        void expect(Set<ErrorKind> kinds, String what, Executable call) {
            try {
                Expect.within(Tck.scaled(Duration.ofSeconds(10)), what, () -> Expect.kindIn(kinds, what, call));
            } catch (AssertionError e) {
                list.add(e.getMessage());
            }
        }

        void check(String header) {
            if (!list.isEmpty()) {
                fail(header + ":\n  " + String.join("\n  ", list));
            }
        }
    }

    /** The same client still works: append, read back, info (E6, and the end of every E rule). */
    void stillWorks(StreamClient c, String rule) {
        StreamName s = ctx.created(c, rule + "ok");
        EventId id = c.append(s, Io.rec(rule + "ok/0"));
        List<StreamEvent> read = Io.readExactly(c, s, Position.earliest(), 1);
        assertEquals(
                List.of(rule + "ok/0"),
                Io.keys(read),
                "after the bad calls the same client must still append and read");
        assertEquals(id, c.info(s).lastId().orElse(null), "after the bad calls info still answers");
    }

    public void e1() {
        StreamClient c = ctx.client();
        StreamName s = ctx.created(c, "e1");
        boolean groups = c.supports(Capability.CONSUMER_GROUPS);
        Set<ErrorKind> groupKinds = groups ? INVALID : EnumSet.of(ErrorKind.INVALID_ARGUMENT, ErrorKind.UNSUPPORTED);
        String g = Tck.name("g");
        if (groups) {
            c.createGroup(s, g, GroupOptions.defaults());
        }
        Failures f = new Failures();
        for (String bad : BAD_NAMES) {
            String shown = bad == null
                    ? "null"
                    : "'"
                            + bad.replace("\u0000", "\\0")
                                    .replace("\n", "\\n")
                                    .replace("\t", "\\t")
                                    .substring(0, Math.min(bad.length(), 24))
                            + "'";
            f.expect(INVALID, "StreamName.of(" + shown + ")", () -> StreamName.of(bad));
            f.expect(
                    groupKinds,
                    "createGroup with group name " + shown,
                    () -> c.createGroup(s, bad, GroupOptions.defaults()));
            if (groups) {
                f.expect(
                        INVALID,
                        "openGroupConsumer with member name " + shown,
                        () -> c.openGroupConsumer(s, g, bad).poll(1, Duration.ZERO));
                f.expect(INVALID, "groupInfo with group name " + shown, () -> c.groupInfo(s, bad));
                f.expect(INVALID, "deleteGroup with group name " + shown, () -> c.deleteGroup(s, bad));
            }
        }
        StreamRecord r = Io.rec("e1/0");
        Set<ErrorKind> trimKinds = EnumSet.of(ErrorKind.INVALID_ARGUMENT, ErrorKind.UNSUPPORTED);
        f.expect(INVALID, "createStream(null)", () -> c.createStream(null));
        f.expect(INVALID, "deleteStream(null)", () -> c.deleteStream(null));
        f.expect(INVALID, "append(null, record)", () -> c.append(null, r));
        f.expect(
                INVALID,
                "appendAsync(null, record) must throw directly, not through the future",
                () -> c.appendAsync(null, r));
        f.expect(INVALID, "appendBatch(null, records)", () -> c.appendBatch(null, List.of(r)));
        f.expect(INVALID, "openReader(null, earliest)", () -> c.openReader(null, Position.earliest()));
        f.expect(INVALID, "range(null, …)", () -> c.range(null, Position.earliest(), null, 10));
        f.expect(INVALID, "info(null)", () -> c.info(null));
        f.expect(trimKinds, "trim(null, …)", () -> c.trim(null, Trim.toLength(1)));
        f.expect(groupKinds, "groups(null)", () -> c.groups(null));
        f.expect(groupKinds, "groupInfo(null, g)", () -> c.groupInfo(null, g));
        f.expect(groupKinds, "createGroup(null, g, …)", () -> c.createGroup(null, g, GroupOptions.defaults()));
        f.expect(groupKinds, "openGroupConsumer(null, g, m)", () -> c.openGroupConsumer(null, g, "m"));
        f.expect(groupKinds, "deleteGroup(null, g)", () -> c.deleteGroup(null, g));
        f.expect(groupKinds, "createGroup(s, g, null options)", () -> c.createGroup(s, Tck.name("g"), null));
        f.check("bad names must fail with INVALID_ARGUMENT before any I/O");
        assertEquals(0, c.info(s).length(), "nothing was appended by the rejected calls");
        if (groups) {
            assertEquals(
                    List.of(g),
                    c.groups(s).stream().map(dev.tributary.GroupInfo::group).toList(),
                    "no group was created by the rejected calls");
        }
        ctx.fixture().control().ifPresent(ctl -> beforeAnyIo(c, s, g, groups, ctl));
        stillWorks(c, "e1");
    }

    /**
     * With a fixture that controls its broker: with the broker stopped, bad names still fail with
     * INVALID_ARGUMENT (not a connection error) — validation happens before any I/O.
     */
    private void beforeAnyIo(
            StreamClient c, StreamName s, String g, boolean groups, dev.tributary.tck.BrokerControl ctl) {
        Failures f = new Failures();
        ctl.stop();
        try {
            f.expect(INVALID, "with the broker stopped: info(null)", () -> c.info(null));
            f.expect(INVALID, "with the broker stopped: append(null, record)", () -> c.append(null, Io.rec("e1/x")));
            f.expect(INVALID, "with the broker stopped: appendAsync(s, null)", () -> c.appendAsync(s, null));
            f.expect(
                    INVALID,
                    "with the broker stopped: range(null, …)",
                    () -> c.range(null, Position.earliest(), null, 1));
            if (groups) {
                f.expect(
                        INVALID,
                        "with the broker stopped: createGroup with group name 'a b'",
                        () -> c.createGroup(s, "a b", GroupOptions.defaults()));
                f.expect(
                        INVALID,
                        "with the broker stopped: openGroupConsumer with member name 'a/b'",
                        () -> c.openGroupConsumer(s, g, "a/b").poll(1, Duration.ZERO));
            }
        } finally {
            ctl.start();
        }
        Expect.eventually(
                Tck.scaled(Duration.ofSeconds(60)),
                () -> "the client did not reconnect after the broker " + "restarted",
                () -> {
                    try {
                        return c.health().up();
                    } catch (StreamException e) {
                        return false;
                    }
                });
        f.check("validation must happen before any I/O: with the broker stopped, bad input must still fail with "
                + "INVALID_ARGUMENT");
    }

    public void e2() {
        StreamClient c = ctx.client();
        StreamName s = ctx.created(c, "e2");
        Failures f = new Failures();
        f.expect(INVALID, "append(s, null)", () -> c.append(s, null));
        f.expect(INVALID, "appendAsync(s, null) must throw directly", () -> c.appendAsync(s, null));
        f.expect(INVALID, "appendBatch(s, null)", () -> c.appendBatch(s, null));
        f.expect(INVALID, "appendBatchAsync(s, null) must throw directly", () -> c.appendBatchAsync(s, null));
        f.expect(INVALID, "appendBatch(s, [])", () -> c.appendBatch(s, List.of()));
        f.expect(
                INVALID, "appendBatch(s, [record, null])", () -> c.appendBatch(s, Arrays.asList(Io.rec("e2/x"), null)));
        f.expect(INVALID, "StreamRecord.of((byte[]) null)", () -> StreamRecord.of((byte[]) null));
        f.expect(INVALID, "StreamRecord.of((String) null)", () -> StreamRecord.of((String) null));
        f.expect(
                INVALID,
                "a record built without a payload",
                () -> StreamRecord.builder().key("k").build());
        f.expect(INVALID, "Headers.of(\"k\", null)", () -> Headers.of("k", null));
        f.expect(INVALID, "Headers.of(null, \"v\")", () -> Headers.of(null, "v"));
        f.expect(INVALID, "a header with an unpaired surrogate", () -> Headers.of("k", "a\uD800b"));
        f.expect(INVALID, "a header key with a space", () -> Headers.of("a b", "v"));
        int maxHeader = c.limits().maxHeaderBytes();
        if (maxHeader < Headers.MAX_TOTAL_BYTES) {
            StreamRecord atMax = StreamRecord.builder()
                    .payload("e2")
                    .headers(Headers.of("h", "x".repeat(maxHeader - 1)))
                    .build();
            c.append(s, atMax);
            StreamRecord over = StreamRecord.builder()
                    .payload("e2")
                    .headers(Headers.of("h", "x".repeat(maxHeader)))
                    .build();
            f.expect(
                    INVALID,
                    "a record whose headers are maxHeaderBytes + 1 (" + (maxHeader + 1) + ") bytes",
                    () -> c.append(s, over));
            StreamRecord overWithKey = StreamRecord.builder()
                    .payload("e2")
                    .key("kk")
                    .headers(Headers.of("h", "x".repeat(maxHeader - 2)))
                    .build();
            f.expect(
                    INVALID,
                    "a record whose key and headers together are maxHeaderBytes + 1 bytes",
                    () -> c.append(s, overWithKey));
        } else {
            c.append(s, Io.rec("e2/0"));
        }
        int maxBatch = c.limits().maxBatchSize();
        if (maxBatch < 100_000) {
            List<StreamRecord> big = new ArrayList<>();
            StreamRecord one = StreamRecord.of("b");
            for (int i = 0; i <= maxBatch; i++) {
                big.add(one);
            }
            f.expect(
                    INVALID,
                    "a batch of maxBatchSize + 1 (" + (maxBatch + 1) + ") records",
                    () -> c.appendBatch(s, big));
        }
        f.check("bad records must fail with INVALID_ARGUMENT before any I/O");
        assertEquals(1, c.info(s).length(), "rejected records write nothing");
        stillWorks(c, "e2");
    }

    public void e3() {
        StreamClient c = ctx.client();
        StreamName s = ctx.created(c, "e3");
        c.append(s, Io.rec("e3/0"));
        int maxRead = c.limits().maxReadCount();
        List<Integer> badCounts = new ArrayList<>(List.of(0, -1, Integer.MIN_VALUE));
        if (maxRead < Integer.MAX_VALUE) {
            badCounts.add(maxRead + 1);
            badCounts.add(Integer.MAX_VALUE);
        }
        List<Duration> badWaits =
                Arrays.asList(null, Duration.ofMillis(-1), Duration.ofHours(2), Duration.ofDays(365 * 100));
        Failures f = new Failures();
        StreamReader r = c.openReader(s, Position.earliest());
        try {
            for (int n : badCounts) {
                f.expect(INVALID, "reader.poll(" + n + ", 0)", () -> r.poll(n, Duration.ZERO));
                f.expect(INVALID, "range(…, maxCount " + n + ")", () -> c.range(s, Position.earliest(), null, n));
            }
            for (Duration w : badWaits) {
                f.expect(INVALID, "reader.poll(1, " + w + ")", () -> r.poll(1, w));
            }
            f.expect(INVALID, "openReader(s, null)", () -> c.openReader(s, null));
            f.expect(INVALID, "range(s, null, …)", () -> c.range(s, null, null, 10));
            f.expect(INVALID, "Trim.toLength(-1)", () -> Trim.toLength(-1));
            f.expect(INVALID, "Trim.olderThan(-1 s)", () -> Trim.olderThan(Duration.ofSeconds(-1)));
            f.expect(
                    INVALID,
                    "GroupOptions with ack timeout 0",
                    () -> GroupOptions.defaults().withAckTimeout(Duration.ZERO));
            f.expect(
                    INVALID,
                    "GroupOptions with ack timeout 100 days",
                    () -> GroupOptions.defaults().withAckTimeout(Duration.ofDays(100)));
            if (c.supports(Capability.CONSUMER_GROUPS)) {
                String g = Tck.name("g");
                c.createGroup(s, g, GroupOptions.defaults());
                try (GroupConsumer m = c.openGroupConsumer(s, g, "m1")) {
                    for (int n : badCounts) {
                        f.expect(INVALID, "group poll(" + n + ", 0)", () -> m.poll(n, Duration.ZERO));
                    }
                    for (Duration w : badWaits) {
                        f.expect(INVALID, "group poll(1, " + w + ")", () -> m.poll(1, w));
                    }
                    f.expect(INVALID, "ack(null)", () -> m.ack((java.util.Collection<EventId>) null));
                    f.expect(INVALID, "nack(null)", () -> m.nack(null));
                    assertEquals(
                            List.of("e3/0"),
                            Io.keys(Io.poll(m, 1, Tck.scaled(Duration.ofSeconds(10)), true)),
                            "the consumer still delivers after rejected calls");
                }
            }
            f.check("zero, negative and absurd counts and waits must fail with INVALID_ARGUMENT");
            long t0 = System.nanoTime();
            List<StreamEvent> got = r.poll(maxRead, Duration.ZERO); // documented: a wait of 0 does not block
            assertTrue(
                    Duration.ofNanos(System.nanoTime() - t0).compareTo(Tck.scaled(Duration.ofSeconds(2))) < 0,
                    "poll with wait 0 must not block");
            assertEquals(
                    List.of("e3/0"),
                    Io.keys(got),
                    "the reader still reads from where it was after rejected polls "
                            + "(poll(maxReadCount, 0) is valid)");
            assertEquals(
                    1, c.range(s, Position.earliest(), null, maxRead).size(), "range with maxCount = maxReadCount");
        } finally {
            r.close();
        }
        stillWorks(c, "e3");
    }

    public void e4() {
        StreamClient c = ctx.client();
        StreamName missing = ctx.stream("e4");
        StreamName s = ctx.created(c, "e4");
        Duration bound = Tck.scaled(Duration.ofSeconds(15));
        Duration wait = Tck.scaledMillis(500);
        try (StreamReader r = c.openReader(missing, Position.earliest())) {
            assertEquals(
                    List.of(),
                    Expect.within(bound, "poll of a reader on a missing stream", () -> r.poll(10, wait)),
                    "reading a missing stream returns nothing (documented), within its wait");
        }
        assertFalse(c.info(missing).exists(), "reading does not create the stream");
        if (!c.supports(Capability.CONSUMER_GROUPS)) {
            Gate.checkUnsupported(c, Capability.CONSUMER_GROUPS, () -> c.openGroupConsumer(missing, "g", "m"));
            return;
        }
        EventId id = c.append(s, Io.rec("e4/0"));
        Failures f = new Failures();
        Set<ErrorKind> notFound = EnumSet.of(ErrorKind.NOT_FOUND);
        String g = Tck.name("g");
        f.expect(notFound, "poll of a member of a group on a missing stream", () -> pollOf(c, missing, g, wait));
        f.expect(notFound, "poll of a member of a missing group", () -> pollOf(c, s, Tck.name("missing"), wait));
        f.expect(notFound, "ack on a missing group", () -> ackOf(c, s, Tck.name("missing"), id));
        f.expect(notFound, "ack on a group of a missing stream", () -> ackOf(c, missing, g, id));
        f.expect(notFound, "groupInfo of a missing group", () -> c.groupInfo(s, Tck.name("missing")));
        f.expect(notFound, "groupInfo on a missing stream", () -> c.groupInfo(missing, g));
        f.check("reading or acking on a missing stream or group must fail with NOT_FOUND within " + bound);
        assertEquals(List.of(), c.groups(missing), "groups of a missing stream is empty");
        assertFalse(c.deleteGroup(s, Tck.name("missing")), "deleting a missing group returns false");
        assertFalse(c.info(missing).exists(), "group calls do not create the stream");
        stillWorks(c, "e4");
    }

    private static Object pollOf(StreamClient c, StreamName s, String g, Duration wait) {
        try (GroupConsumer m = c.openGroupConsumer(s, g, "m1")) {
            return m.poll(10, wait);
        }
    }

    private static Object ackOf(StreamClient c, StreamName s, String g, EventId id) {
        try (GroupConsumer m = c.openGroupConsumer(s, g, "m1")) {
            return m.ack(id);
        }
    }

    /** How often E5 asks while the answer is {@code RETRYABLE} (a node briefly unreachable). */
    private static final int E5_ATTEMPTS = 3;

    public void e5() {
        java.util.Optional<ClientConfig> wrong = ctx.hooks().wrongCredentials();
        if (wrong.isEmpty()) {
            Assumptions.abort("no wrongCredentials() hook: the fixture offers no authentication to get wrong");
        }
        ClientConfig cfg = wrong.get();
        Duration bound = cfg.connectTimeout().plus(cfg.requestTimeout()).plus(Tck.scaled(Duration.ofSeconds(5)));
        // A RETRYABLE answer is the right one while a node is briefly unreachable (on a cluster, right
        // after the F rules restarted it); the rule asks again, up to three times a second apart, and
        // judges the last answer, so wrong credentials mapped to RETRYABLE still fail it.
        StreamException e = null;
        for (int attempt = 1; attempt <= E5_ATTEMPTS; attempt++) {
            e = Expect.within(bound, "opening and using a client with wrong credentials", () -> {
                try {
                    StreamClient c = ctx.client(cfg);
                    StreamName s = ctx.stream("e5");
                    c.createStream(s);
                    c.append(s, Io.rec("e5/0"));
                    c.info(s);
                    return null;
                } catch (StreamException se) {
                    return se;
                }
            });
            if (e == null || e.kind() != ErrorKind.RETRYABLE || attempt == E5_ATTEMPTS) {
                break;
            }
            System.out.println("E5: attempt " + attempt + " got " + e + "; asking again in 1 s");
            Tck.sleep(Duration.ofSeconds(1));
        }
        if (e == null) {
            fail("a client with wrong credentials opened, created a stream, appended and read info without error");
        }
        assertEquals(ErrorKind.AUTHENTICATION, e.kind(), "wrong credentials are an AUTHENTICATION error; got " + e);
        assertTrue(e.isFatal(), "an authentication error is fatal (never retried)");
        assertFalse(e.isRetryable(), "an authentication error is not retryable");
        String text = String.valueOf(e.getMessage());
        String userInfo = cfg.uri().getUserInfo();
        if (userInfo != null && userInfo.contains(":")) {
            String password = userInfo.substring(userInfo.indexOf(':') + 1);
            assertFalse(
                    !password.isEmpty() && text.contains(password), "the error message must not contain the password");
        }
        stillWorks(ctx.client(), "e5");
    }

    public void e6() {
        StreamClient c = ctx.client();
        StreamName s = ctx.created(c, "e6");
        List<Executable> bad = new ArrayList<>();
        bad.add(() -> c.append(s, null));
        bad.add(() -> c.appendAsync(null, Io.rec("x")));
        bad.add(() -> c.appendBatch(s, List.of()));
        bad.add(() -> c.range(s, Position.earliest(), null, 0));
        bad.add(() -> c.parseId("not-an-id"));
        bad.add(() -> c.openReader(s, null));
        int max = c.limits().maxPayloadBytes();
        if (max <= 16 * 1024 * 1024) {
            bad.add(() -> c.append(s, StreamRecord.of(new byte[max + 1])));
        }
        if (c.supports(Capability.CONSUMER_GROUPS)) {
            bad.add(() -> c.groupInfo(s, Tck.name("missing")));
            bad.add(() -> c.openGroupConsumer(s, Tck.name("missing"), "m").poll(1, Duration.ZERO));
        } else {
            bad.add(() -> c.createGroup(s, "g", GroupOptions.defaults()));
        }
        for (Capability cap : List.of(Capability.TIME_POSITION, Capability.TRIM_BY_AGE)) {
            if (!c.supports(cap)) {
                bad.add(
                        cap == Capability.TIME_POSITION
                                ? () -> c.openReader(s, Position.at(java.time.Instant.now()))
                                        .poll(1, Duration.ZERO)
                                : () -> c.trim(s, Trim.olderThan(Duration.ofDays(1))));
            }
        }
        int n = 0;
        for (Executable call : bad) {
            try {
                call.execute();
                fail("bad call #" + n + " succeeded");
            } catch (StreamException expected) {
                // any kind: E1–E4 check the kinds; E6 checks what follows
            } catch (Throwable t) {
                fail("bad call #" + n + " threw " + t + " instead of a StreamException");
            }
            n++;
            c.append(s, Io.rec("e6/" + n));
        }
        assertEquals(
                Io.expectedKeys("e6", 1, n + 1),
                Io.keys(Io.readExactly(c, s, Position.earliest(), n)),
                "after each rejected call the client appended and reads everything");
        assertTrue(c.health().up(), "health after the bad calls");
        if (c.supports(Capability.CONSUMER_GROUPS)) {
            String g = Tck.name("g");
            c.createGroup(s, g, GroupOptions.defaults());
            try (GroupConsumer m = c.openGroupConsumer(s, g, "m1")) {
                assertEquals(
                        n,
                        Io.poll(m, n, Tck.scaled(Duration.ofSeconds(10)), true).size(),
                        "groups still work");
            }
        }
        stillWorks(c, "e6");
    }

    public void e7() {
        // On a fresh thread: its shallow stack makes the ~3x10^5 expected exceptions cheap, and the
        // whole run is bounded (no hang).
        Expect.within(Tck.scaled(Duration.ofSeconds(90)), "E7 random input", () -> {
            fuzz();
            return null;
        });
    }

    private void fuzz() {
        StreamClient c = ctx.client();
        StreamName s = ctx.created(c, "e7");
        long seed = Long.getLong("tributary.tck.seed", System.nanoTime());
        Random rnd = new Random(seed);
        boolean groups = c.supports(Capability.CONSUMER_GROUPS);
        String g = Tck.name("g");
        if (groups) {
            c.createGroup(s, g, GroupOptions.defaults());
        }
        int maxPayload = Math.min(c.limits().maxPayloadBytes(), 16 * 1024 * 1024);
        boolean canOverflow = c.limits().maxPayloadBytes() <= 16 * 1024 * 1024;
        int maxHeader = c.limits().maxHeaderBytes();
        List<CompletableFuture<EventId>> accepted = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        long deadline = System.nanoTime() + Tck.scaled(Duration.ofSeconds(60)).toNanos();
        int iterations = 100_000;
        for (int i = 0; i < iterations; i++) {
            if ((i & 1023) == 0 && System.nanoTime() > deadline) {
                fail("E7 did not get through " + iterations + " inputs within its time (at " + i + ", seed " + seed
                        + ")");
            }
            String name = randomString(rnd);
            boolean nameOk = validName(name);
            StreamName parsed = null;
            try {
                parsed = StreamName.of(name);
                if (!nameOk) {
                    problems.add("StreamName accepted " + escape(name));
                }
            } catch (StreamException e) {
                if (e.kind() != ErrorKind.INVALID_ARGUMENT || nameOk) {
                    problems.add("StreamName.of(" + escape(name) + ") threw " + e.kind());
                }
            } catch (RuntimeException e) {
                problems.add("StreamName.of(" + escape(name) + ") threw " + e);
            }
            if (groups && !nameOk) {
                try {
                    c.openGroupConsumer(s, g, name).close();
                    problems.add("openGroupConsumer accepted member name " + escape(name));
                } catch (StreamException e) {
                    if (e.kind() != ErrorKind.INVALID_ARGUMENT) {
                        problems.add("openGroupConsumer(member " + escape(name) + ") threw " + e.kind());
                    }
                } catch (RuntimeException e) {
                    problems.add("openGroupConsumer(member " + escape(name) + ") threw " + e);
                }
            }
            String hk = rnd.nextInt(4) == 0 ? randomString(rnd) : "h" + rnd.nextInt(5);
            String hv = randomString(rnd);
            Headers headers = null;
            try {
                headers = Headers.of(hk, hv);
                if (!validHeaderKey(hk) || !validHeaderValue(hv)) {
                    problems.add("Headers accepted " + escape(hk) + "=" + escape(hv));
                }
            } catch (StreamException e) {
                if (e.kind() != ErrorKind.INVALID_ARGUMENT || (validHeaderKey(hk) && validHeaderValue(hv))) {
                    problems.add("Headers.of(" + escape(hk) + ", " + escape(hv) + ") threw " + e.kind());
                }
            } catch (RuntimeException e) {
                problems.add("Headers.of(" + escape(hk) + ", …) threw " + e);
            }
            if (i % 10 == 0 && parsed != null) {
                int size;
                int pick = rnd.nextInt(1000);
                if (pick == 0 && canOverflow) {
                    size = maxPayload + 1;
                } else if (pick == 1) {
                    size = maxPayload;
                } else {
                    size = rnd.nextInt(128);
                }
                byte[] payload = new byte[size];
                rnd.nextBytes(payload);
                byte[] key = rnd.nextBoolean()
                        ? null
                        : new byte
                                [rnd.nextInt(500) == 0 && maxHeader <= 16 * 1024 * 1024
                                        ? maxHeader + 1
                                        : rnd.nextInt(16)];
                StreamRecord rec = StreamRecord.builder()
                        .payload(payload)
                        .key(key)
                        .headers(headers == null ? Headers.empty() : headers)
                        .build();
                long meta = (long) rec.headers().byteSize() + (key == null ? 0 : key.length);
                ErrorKind expected = size > c.limits().maxPayloadBytes()
                        ? ErrorKind.TOO_LARGE
                        : meta > maxHeader ? ErrorKind.INVALID_ARGUMENT : null;
                try {
                    CompletableFuture<EventId> fut = c.appendAsync(s, rec);
                    if (expected != null) {
                        try {
                            Io.await(fut, Tck.scaled(Duration.ofSeconds(10)));
                            problems.add("an append that should fail with " + expected + " succeeded (payload " + size
                                    + " bytes, key+headers " + meta + " bytes)");
                        } catch (StreamException e) {
                            if (e.kind() != expected
                                    && !(expected == ErrorKind.TOO_LARGE && e.kind() == ErrorKind.INVALID_ARGUMENT)) {
                                problems.add("append (payload " + size + ", meta " + meta + ") failed with " + e.kind()
                                        + ", expected " + expected);
                            }
                        }
                    } else {
                        accepted.add(fut);
                    }
                } catch (StreamException e) {
                    if (expected == null
                            || (e.kind() != expected
                                    && !(expected == ErrorKind.TOO_LARGE && e.kind() == ErrorKind.INVALID_ARGUMENT))) {
                        problems.add("append (payload " + size + " bytes, key+headers " + meta + " bytes) threw "
                                + e.kind() + (expected == null ? " but is valid" : ", expected " + expected) + ": "
                                + e.getMessage());
                    }
                } catch (RuntimeException e) {
                    problems.add("append threw " + e + " (not a StreamException)");
                }
            }
            if (problems.size() > 20) {
                break;
            }
        }
        int stored = 0;
        for (CompletableFuture<EventId> fut : accepted) {
            try {
                Io.await(fut, Tck.scaled(Duration.ofSeconds(30)));
                stored++;
            } catch (StreamException e) {
                problems.add("a valid append failed: " + e);
            }
            if (problems.size() > 20) {
                break;
            }
        }
        if (!problems.isEmpty()) {
            fail(problems.size() + " problems (seed " + seed + ", rerun with -Dtributary.tck.seed=" + seed + "):\n  "
                    + String.join("\n  ", problems.subList(0, Math.min(20, problems.size()))));
        }
        assertEquals(stored, c.info(s).length(), "every accepted append is stored, and nothing else");
        stillWorks(c, "e7");
    }

    static boolean validName(String s) {
        if (s == null || s.isEmpty() || s.length() > StreamName.MAX_LENGTH) {
            return false;
        }
        for (char ch : s.toCharArray()) {
            if (!((ch >= 'a' && ch <= 'z')
                    || (ch >= 'A' && ch <= 'Z')
                    || (ch >= '0' && ch <= '9')
                    || ch == '_'
                    || ch == '-')) {
                return false;
            }
        }
        return true;
    }

    static boolean validHeaderKey(String k) {
        if (k == null || k.isEmpty() || k.length() > Headers.MAX_KEY_LENGTH) {
            return false;
        }
        for (char ch : k.toCharArray()) {
            if (ch < 0x21 || ch > 0x7e || ch == ':') {
                return false;
            }
        }
        return true;
    }

    static boolean validHeaderValue(String v) {
        for (int i = 0; i < v.length(); i++) {
            char ch = v.charAt(i);
            if (Character.isHighSurrogate(ch)) {
                if (i + 1 < v.length() && Character.isLowSurrogate(v.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return false;
            }
            if (Character.isLowSurrogate(ch)) {
                return false;
            }
        }
        return true;
    }

    private static final String NAME_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";
    private static final String ODD_CHARS =
            " .*>/:\\\"'\t\r\n\u0000\u007fé中😀\uD800\uDC00\uDFFF\uFFFF!#$%&+=?@[]{}|~`^";

    static String randomString(Random rnd) {
        int len;
        int pick = rnd.nextInt(100);
        if (pick < 3) {
            len = 0;
        } else if (pick < 8) {
            len = StreamName.MAX_LENGTH - 3 + rnd.nextInt(7);
        } else {
            len = 1 + rnd.nextInt(24);
        }
        StringBuilder b = new StringBuilder(len);
        boolean mostlyValid = rnd.nextInt(3) > 0;
        for (int i = 0; i < len; i++) {
            if (mostlyValid && rnd.nextInt(40) > 0) {
                b.append(NAME_CHARS.charAt(rnd.nextInt(NAME_CHARS.length())));
            } else if (rnd.nextInt(4) == 0) {
                b.append((char) rnd.nextInt(0x10000));
            } else {
                b.append(ODD_CHARS.charAt(rnd.nextInt(ODD_CHARS.length())));
            }
        }
        return b.toString();
    }

    static String escape(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < Math.min(s.length(), 40); i++) {
            char ch = s.charAt(i);
            if (ch < 0x20 || ch > 0x7e) {
                b.append(String.format("\\u%04x", (int) ch));
            } else {
                b.append(ch);
            }
        }
        return b.append(s.length() > 40 ? "…\"" : "\"").toString();
    }
}
