package dev.tributary.tck.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tributary.Capability;
import dev.tributary.ClientConfig;
import dev.tributary.ErrorKind;
import dev.tributary.GroupConsumer;
import dev.tributary.GroupOptions;
import dev.tributary.Health;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamName;
import dev.tributary.StreamReader;
import dev.tributary.Trim;
import dev.tributary.spi.StreamProvider;
import dev.tributary.spi.StreamProviderRegistry;
import dev.tributary.tck.Tck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.function.Executable;

/** Rules L1–L6 and L8: discovery and lifecycle. */
public final class LifecycleRules {
    private final KitContext ctx;

    public LifecycleRules(KitContext ctx) {
        this.ctx = ctx;
    }

    public void l1() {
        ClientConfig config = ctx.fixture().config();
        String scheme = config.scheme();
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        StreamProviderRegistry registry =
                StreamProviderRegistry.load(cl != null ? cl : getClass().getClassLoader());
        List<StreamProvider> matching = registry.providers().stream()
                .filter(p -> p.schemes().contains(scheme))
                .toList();
        assertEquals(
                1,
                matching.size(),
                "ServiceLoader should find exactly one provider serving scheme '" + scheme
                        + ":'; found: " + registry.describe()
                        + (registry.failures().isEmpty() ? "" : "; failed to load: " + registry.failures()));
        StreamProvider p = matching.get(0);
        assertNotNull(p.name(), "provider name");
        assertEquals(p.name().toLowerCase(Locale.ROOT), p.name(), "provider names are lower case");
        for (String s : p.schemes()) {
            assertEquals(s.toLowerCase(Locale.ROOT), s, "provider schemes are lower case");
        }
        assertTrue(p.spiVersion() <= StreamProvider.CURRENT_SPI_VERSION, "provider built for a newer SPI");
        assertSame(p, registry.select(config, p.name()), "the provider must be selectable under its declared name");
        if (System.getProperty(StreamProviderRegistry.SELECTION_PROPERTY) == null) {
            assertSame(p, registry.select(config, null), "the provider must be selected by its URI scheme");
        }
        assertNotNull(p.capabilities(), "provider capabilities");
        StreamClient c = ctx.client();
        assertEquals(p.name(), c.backend(), "client.backend() must be the provider's name");
        Set<Capability> caps = c.capabilities();
        assertTrue(
                p.capabilities().containsAll(caps),
                "a client declares no capability its provider lacks: client " + caps + ", provider "
                        + p.capabilities());
        for (Capability cap : Capability.values()) {
            assertEquals(
                    caps.contains(cap), c.supports(cap), "supports(" + cap + ") must equal capabilities().contains");
        }
    }

    public void l2() {
        StreamClient c = ctx.client();
        assertNotNull(c.backend(), "backend()");
        assertNotNull(c.capabilities(), "capabilities()");
        assertNotNull(c.limits(), "limits()");
        Health h = Expect.within(Tck.scaled(Duration.ofSeconds(15)), "health()", c::health);
        assertNotNull(h, "health() returned null");
        assertTrue(h.up(), "health() of a freshly opened client against a running broker says down: " + h.detail());
        assertNotNull(h.latency(), "health latency");
        assertFalse(h.latency().isNegative(), "health latency is negative: " + h.latency());
        assertNotNull(h.detail(), "health detail");
    }

    public void l3() {
        StreamClient c = ctx.client();
        StreamName s = ctx.created(c, "l3");
        c.append(s, Io.rec("l3/0"));
        StreamReader reader = c.openReader(s, Position.earliest());
        boolean groups = c.supports(Capability.CONSUMER_GROUPS);
        String g = Tck.name("g");
        GroupConsumer consumer = null;
        if (groups) {
            c.createGroup(s, g, GroupOptions.defaults());
            consumer = c.openGroupConsumer(s, g, "m1");
        }
        assertEquals(s, reader.stream(), "reader.stream()");
        if (groups) {
            assertEquals(
                    List.of(s.value(), g, "m1"),
                    List.of(consumer.stream().value(), consumer.group(), consumer.member()),
                    "the member's stream(), group() and member()");
        }
        c.close();
        c.close(); // a second close is a no-op
        List<String> failures = new ArrayList<>();
        Duration bound = Tck.scaled(Duration.ofSeconds(5));
        closed(failures, "health()", c::health);
        closed(failures, "createStream", () -> c.createStream(s));
        closed(failures, "append", () -> c.append(s, Io.rec("l3/1")));
        closed(failures, "appendAsync", () -> Io.await(c.appendAsync(s, Io.rec("l3/2")), bound));
        closed(failures, "appendBatch", () -> c.appendBatch(s, List.of(Io.rec("l3/3"))));
        closed(failures, "openReader", () -> c.openReader(s, Position.earliest()));
        closed(failures, "range", () -> c.range(s, Position.earliest(), null, 10));
        closed(failures, "info", () -> c.info(s));
        closed(failures, "reader.poll (reader opened before close)", () -> reader.poll(10, Duration.ZERO));
        if (c.supports(Capability.TRIM_BY_LENGTH)) {
            closed(failures, "trim", () -> c.trim(s, Trim.toLength(10)));
        }
        if (groups) {
            GroupConsumer m = consumer;
            closed(failures, "createGroup", () -> c.createGroup(s, Tck.name("g"), GroupOptions.defaults()));
            closed(failures, "openGroupConsumer", () -> c.openGroupConsumer(s, g, "m2"));
            closed(failures, "groupInfo", () -> c.groupInfo(s, g));
            closed(failures, "groups", () -> c.groups(s));
            closed(failures, "deleteGroup", () -> c.deleteGroup(s, g));
            closed(failures, "consumer.poll (consumer opened before close)", () -> m.poll(10, Duration.ZERO));
        }
        closed(failures, "deleteStream", () -> c.deleteStream(s));
        reader.close();
        reader.close(); // idempotent, also after the client closed
        if (consumer != null) {
            consumer.close();
            consumer.close();
        }
        if (!failures.isEmpty()) {
            fail("after close() every call must fail with CLOSED; these did not:\n  " + String.join("\n  ", failures));
        }
    }

    /**
     * L8: after close every method fails CLOSED, {@code parseId} included, and polls that were
     * blocked when close ran end CLOSED (not with whatever the native client said while shutting down).
     */
    public void l8() {
        StreamClient c = ctx.client();
        StreamName s = ctx.created(c, "l8");
        String idText = c.append(s, Io.rec("l8/0")).toString();
        assertEquals(idText, c.parseId(idText).toString(), "parseId round-trips before close");
        StreamReader reader = c.openReader(s, Position.latest());
        GroupConsumer member = null;
        if (c.supports(Capability.CONSUMER_GROUPS)) {
            String g = Tck.name("g");
            c.createGroup(s, g, GroupOptions.defaults().withStart(Position.latest()));
            member = c.openGroupConsumer(s, g, "m1");
        }
        List<Thread> pollers = new ArrayList<>();
        List<AtomicReference<Object>> outcomes = new ArrayList<>();
        pollers.add(blockedPoll("reader.poll", () -> reader.poll(10, Duration.ofSeconds(60)), outcomes));
        if (member != null) {
            GroupConsumer m = member;
            pollers.add(blockedPoll("consumer.poll", () -> m.poll(10, Duration.ofSeconds(60)), outcomes));
        }
        Tck.sleep(Tck.scaledMillis(500)); // let the polls block inside the backend
        c.close();
        Duration bound = Tck.scaled(Duration.ofSeconds(5));
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < pollers.size(); i++) {
            try {
                pollers.get(i).join(bound.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            Object o = outcomes.get(i).get();
            String what = pollers.get(i).getName();
            if (pollers.get(i).isAlive()) {
                failures.add(what + " blocked when close() ran is still blocked after " + bound);
            } else if (!(o instanceof dev.tributary.StreamException se) || se.kind() != ErrorKind.CLOSED) {
                failures.add(what + " blocked when close() ran must end CLOSED; it ended with " + o);
            }
        }
        closed(failures, "parseId", () -> c.parseId(idText));
        closed(failures, "parseId(null)", () -> c.parseId(null));
        closed(
                failures,
                "createStream(null) (the closed check comes before argument checks)",
                () -> c.createStream(null));
        closed(failures, "reader.poll after close", () -> reader.poll(1, Duration.ZERO));
        if (member != null) {
            GroupConsumer m = member;
            closed(failures, "consumer.ack after close", () -> m.ack(java.util.List.of()));
            closed(failures, "consumer.nack after close", () -> m.nack(java.util.List.of()));
        }
        if (!failures.isEmpty()) {
            fail("after close() every method must fail CLOSED and blocked polls must end CLOSED:\n  "
                    + String.join("\n  ", failures));
        }
    }

    private static Thread blockedPoll(
            String name, java.util.concurrent.Callable<Object> poll, List<AtomicReference<Object>> outcomes) {
        AtomicReference<Object> outcome = new AtomicReference<>();
        outcomes.add(outcome);
        return poller(name, poll, outcome);
    }

    private static void closed(List<String> failures, String what, Executable call) {
        try {
            Expect.within(Tck.scaled(Duration.ofSeconds(10)), what, () -> Expect.kind(ErrorKind.CLOSED, what, call));
        } catch (AssertionError e) {
            failures.add(e.getMessage());
        }
    }

    public void l4() {
        warmUp();
        Set<Thread> baseline = ThreadsAndFiles.threads();
        StreamClient c = ctx.client();
        StreamName s = ctx.created(c, "l4");
        readerCloseWakesItsOwnPoll(c.openReader(s, Position.latest()));
        StreamReader reader = c.openReader(s, Position.latest());
        GroupConsumer consumer = null;
        if (c.supports(Capability.CONSUMER_GROUPS)) {
            String g = Tck.name("g");
            c.createGroup(s, g, GroupOptions.defaults());
            consumer = c.openGroupConsumer(s, g, "m1");
        }
        Duration longWait = Duration.ofSeconds(20);
        AtomicReference<Object> readerOutcome = new AtomicReference<>();
        AtomicReference<Object> consumerOutcome = new AtomicReference<>();
        List<Thread> pollers = new ArrayList<>();
        pollers.add(poller("tributary-tck-l4-reader", () -> reader.poll(10, longWait), readerOutcome));
        if (consumer != null) {
            GroupConsumer m = consumer;
            pollers.add(poller("tributary-tck-l4-consumer", () -> m.poll(10, longWait), consumerOutcome));
        }
        Tck.sleep(Tck.scaledMillis(300)); // let both polls block
        for (Thread t : pollers) {
            assertTrue(
                    t.isAlive(),
                    "a poll with a 20 s wait on an empty stream returned before close(): "
                            + (t == pollers.get(0) ? readerOutcome.get() : consumerOutcome.get()));
        }
        c.close();
        Duration wake = Tck.scaled(Duration.ofSeconds(2));
        long deadline = System.nanoTime() + wake.toNanos();
        for (Thread t : pollers) {
            try {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Thread t : pollers) {
            assertFalse(t.isAlive(), "close() did not wake the blocked poll of " + t.getName() + " within " + wake);
        }
        checkWokenWithClosed("reader", readerOutcome.get());
        if (consumer != null) {
            checkWokenWithClosed("group consumer", consumerOutcome.get());
        }
        Duration settle = Tck.scaled(Duration.ofSeconds(5));
        Expect.eventually(
                settle,
                () -> "threads left behind after close(): "
                        + ThreadsAndFiles.describe(ThreadsAndFiles.newThreads(baseline)),
                () -> ThreadsAndFiles.newThreads(baseline).isEmpty());
    }

    /**
     * StreamReader's promise: its own close(), from another thread, wakes its blocked poll, which
     * fails with CLOSED (a processor's bounded stop relies on it), while the client stays open.
     */
    private static void readerCloseWakesItsOwnPoll(StreamReader reader) {
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread t = poller("tributary-tck-l4-own-close", () -> reader.poll(10, Duration.ofSeconds(20)), outcome);
        Tck.sleep(Tck.scaledMillis(300)); // let the poll block
        assertTrue(t.isAlive(), "a poll with a 20 s wait on an empty stream returned before close(): " + outcome.get());
        reader.close();
        Duration wake = Tck.scaled(Duration.ofSeconds(2));
        try {
            t.join(wake.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertFalse(
                t.isAlive(),
                "StreamReader.close() from another thread did not wake the reader's own blocked "
                        + "poll within " + wake
                        + " (the client's close() is a different path: check that the reader's close "
                        + "signals the poll it owns)");
        checkWokenWithClosed("reader (closed by its own close())", outcome.get());
    }

    private static void checkWokenWithClosed(String what, Object outcome) {
        if (outcome instanceof Throwable t) {
            dev.tributary.StreamException se = Expect.asStreamException(t);
            if (se == null || se.kind() != ErrorKind.CLOSED) {
                fail("the blocked " + what + " poll woken by close() must fail with CLOSED, but threw " + t);
            }
        } else {
            fail("the blocked " + what + " poll woken by close() must fail with CLOSED, but returned " + outcome);
        }
    }

    /** Starts a daemon thread that makes the blocking {@code poll} and puts what it returned or threw in {@code outcome}. */
    private static Thread poller(
            String name, java.util.concurrent.Callable<Object> poll, AtomicReference<Object> outcome) {
        Thread t = new Thread(
                () -> {
                    try {
                        outcome.set(poll.call());
                    } catch (Throwable e) {
                        outcome.set(e);
                    }
                },
                name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** One open/use/close cycle, so that lazily started shared resources exist before a baseline. */
    private void warmUp() {
        StreamClient c = ctx.hooks().openClient();
        try {
            StreamName s = ctx.created(c, "warm");
            c.append(s, Io.rec("warm/0"));
            try (StreamReader r = c.openReader(s, Position.earliest())) {
                r.poll(1, Duration.ZERO);
            }
            c.info(s);
        } finally {
            c.close();
        }
        Tck.sleep(Tck.scaledMillis(300));
    }

    public void l5() {
        warmUp();
        StreamName s = ctx.stream("l5");
        int threadSlack = 2;
        int fileSlack = 8;
        int baseThreads = ThreadsAndFiles.threads().size();
        int baseFiles = ThreadsAndFiles.openFiles();
        for (int i = 0; i < 100; i++) {
            StreamClient c = ctx.hooks().openClient();
            try {
                c.info(s);
            } finally {
                c.close();
            }
        }
        Duration settle = Tck.scaled(Duration.ofSeconds(10));
        Expect.eventually(
                settle,
                () -> "after 100 open/close cycles threads went from " + baseThreads + " to "
                        + ThreadsAndFiles.threads().size() + " (tolerance " + threadSlack + ")",
                () -> ThreadsAndFiles.threads().size() <= baseThreads + threadSlack);
        if (baseFiles >= 0) {
            Expect.eventually(
                    settle,
                    () -> "after 100 open/close cycles open files went from " + baseFiles + " to "
                            + ThreadsAndFiles.openFiles() + " (tolerance " + fileSlack + ")",
                    () -> ThreadsAndFiles.openFiles() <= baseFiles + fileSlack);
        }
    }

    public void l6() {
        StreamClient c = ctx.client();
        StreamName s = ctx.stream("l6");
        c.createStream(s);
        c.createStream(s);
        c.append(s, Io.rec("l6/0"));
        c.createStream(s); // must not reset an existing stream
        ctx.client().createStream(s); // nor from another client
        assertEquals(1, c.info(s).length(), "creating an existing stream again must keep its events");
        StreamName never = ctx.stream("l6-never");
        assertFalse(c.deleteStream(never), "deleteStream of a stream that never existed returns false");
        String g = Tck.name("g");
        if (!c.supports(Capability.CONSUMER_GROUPS)) {
            Gate.checkUnsupported(c, Capability.CONSUMER_GROUPS, () -> c.createGroup(s, g, GroupOptions.defaults()));
            return;
        }
        c.createGroup(s, g, GroupOptions.defaults());
        c.createGroup(s, g, GroupOptions.defaults());
        c.createGroup(s, g, GroupOptions.defaults().withStart(Position.latest())); // keeps its earliest start
        try (GroupConsumer m = c.openGroupConsumer(s, g, "m1")) {
            List<dev.tributary.StreamEvent> got = Io.poll(m, 1, Tck.scaled(Duration.ofSeconds(10)), true);
            assertEquals(
                    List.of("l6/0"),
                    Io.keys(got),
                    "a group created twice keeps its first options (start at "
                            + "earliest) and delivers the event appended before");
        }
    }
}
