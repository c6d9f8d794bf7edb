package dev.tributary.tck.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tributary.Capability;
import dev.tributary.Cursor;
import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.GroupConsumer;
import dev.tributary.GroupInfo;
import dev.tributary.GroupOptions;
import dev.tributary.Partitioner;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamInfo;
import dev.tributary.StreamName;
import dev.tributary.StreamOptions;
import dev.tributary.StreamReader;
import dev.tributary.StreamRecord;
import dev.tributary.Trim;
import dev.tributary.tck.Tck;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Assumptions;

/**
 * Rules K1–K8: partitioned streams ({@link Capability#PARTITIONED}). Every rule creates a stream of
 * {@value #PARTITIONS} partitions; a backend that does not declare the capability must refuse that
 * with UNSUPPORTED, and the rule is then skipped.
 */
public final class PartitionRules {
    /** The partition count of every K rule's stream. */
    static final int PARTITIONS = 4;

    private final KitContext ctx;

    public PartitionRules(KitContext ctx) {
        this.ctx = ctx;
    }

    /** A client for partitioned streams: the kit's {@code partitionedStreamsConfig()}, or the default client. */
    private StreamClient client() {
        return ctx.hooks().partitionedConfig().map(ctx::client).orElseGet(ctx::client);
    }

    /** A fresh stream of {@value #PARTITIONS} partitions, or the rule is skipped. */
    private StreamName partitioned(StreamClient c, String rule) {
        StreamName s = ctx.stream(rule);
        Gate.require(c, Capability.PARTITIONED, () -> c.createStream(s, StreamOptions.partitions(PARTITIONS)));
        c.createStream(s, StreamOptions.partitions(PARTITIONS));
        return s;
    }

    private static int partitionOf(String key) {
        return Partitioner.partition(key.getBytes(StandardCharsets.UTF_8), PARTITIONS);
    }

    /** K1: 20 producers append concurrently; each key's events are read in append order, in the key's partition. */
    public void k1() {
        StreamClient c = client();
        StreamName s = partitioned(c, "k1");
        int producers = 20;
        int each = 25;
        ExecutorService pool = Executors.newFixedThreadPool(producers);
        Map<String, EventId> appended = new HashMap<>();
        try {
            List<Future<Map<String, EventId>>> done = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                String key = "key-" + p;
                done.add(pool.submit(() -> {
                    Map<String, EventId> ids = new HashMap<>();
                    for (int i = 0; i < each; i++) {
                        String id = key + "/" + i;
                        ids.put(id, c.append(s, Io.rec(id, key)));
                    }
                    return ids;
                }));
            }
            for (Future<Map<String, EventId>> f : done) {
                appended.putAll(f.get(
                        Tck.scaled(Duration.ofSeconds(60)).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
            }
        } catch (Exception e) {
            throw new AssertionError("concurrent appends failed: " + e, e);
        } finally {
            pool.shutdownNow();
        }
        for (Map.Entry<String, EventId> e : appended.entrySet()) {
            String key = e.getKey().substring(0, e.getKey().indexOf('/'));
            assertEquals(
                    partitionOf(key),
                    e.getValue().partition(),
                    "append of " + e.getKey() + " returned " + e.getValue() + ", not in partition " + partitionOf(key)
                            + " that Partitioner (Kafka's murmur2) gives key " + key);
        }
        List<StreamEvent> got = Io.readExactly(c, s, Position.earliest(), producers * each);
        assertEquals(producers * each, got.size(), "every appended event is read exactly once over all partitions");
        Map<String, Integer> next = new HashMap<>();
        for (StreamEvent e : got) {
            String id = Io.keyOf(e);
            String key = id.substring(0, id.indexOf('/'));
            int n = Integer.parseInt(id.substring(id.indexOf('/') + 1));
            int expected = next.getOrDefault(key, 0);
            assertEquals(
                    expected,
                    n,
                    "events of key " + key + " must be read in append order: got " + id + " where " + key + "/"
                            + expected + " was next");
            next.put(key, n + 1);
            assertEquals(appended.get(id), e.id(), "event " + id + " is read under the id its append returned");
        }
    }

    /** K2: a cursor's text, saved by one client, resumes in another with no loss and no repeats. */
    public void k2() {
        StreamClient first = client();
        StreamName s = partitioned(first, "k2");
        List<String> all = new ArrayList<>();
        appendKeyed(first, s, "k2a", 40, all);
        List<String> seen = new ArrayList<>();
        String saved;
        try (StreamReader r = first.openReader(s, Position.earliest())) {
            Cursor start = r.cursor();
            assertEquals(PARTITIONS, start.partitionCount(), "a reader's cursor covers every partition");
            assertEquals(start, Cursor.parse(start.toString()), "the cursor before any read round-trips: " + start);
            while (seen.size() < 17) {
                seen.addAll(Io.keys(r.poll(Math.min(5, 17 - seen.size()), Tck.scaledMillis(2000))));
            }
            saved = r.cursor().toString();
            assertEquals(
                    Position.after(r.cursor()), r.position(), "position() of a partitioned reader is after(cursor())");
        }
        first.close();
        StreamClient second = client();
        appendKeyed(second, s, "k2b", 20, all);
        Cursor resumed = Cursor.parse(saved);
        assertEquals(saved, resumed.toString(), "the cursor's text round-trips");
        try (StreamReader r = second.openReader(s, Position.after(resumed))) {
            seen.addAll(Io.keys(Io.read(r, all.size() - seen.size(), Tck.scaled(Duration.ofSeconds(10)))));
            seen.addAll(Io.keys(r.poll(100, Tck.scaledMillis(100))));
        }
        assertSameOnce(all, seen, "events read before the cursor was saved, then after it in a new client");
    }

    /** K3: range pages with a cursor return every event of every partition once, in the documented interleaving. */
    public void k3() {
        StreamClient c = client();
        StreamName s = partitioned(c, "k3");
        List<String> all = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            appendKeyed(c, s, "k3-" + round, 10, all);
            Tck.sleep(Duration.ofMillis(5)); // broker timestamps differ between rounds: the interleaving shows
        }
        assertEquals(PARTITIONS, c.info(s).partitionCount(), "info tells the partition count");
        Cursor cursor = Cursor.earliest(PARTITIONS);
        List<StreamEvent> firstPage = c.range(s, Position.earliest(), null, 7);
        List<StreamEvent> got = new ArrayList<>();
        Map<Integer, EventId> lastOf = new HashMap<>();
        for (int pages = 0; pages < 100; pages++) {
            List<StreamEvent> page = c.range(s, Position.after(cursor), null, 7);
            if (pages == 0) {
                assertEquals(Io.keys(firstPage), Io.keys(page), "range from earliest and from Cursor.earliest agree");
            }
            if (page.isEmpty()) {
                break;
            }
            assertTrue(page.size() <= 7, "a page holds at most maxCount events");
            for (StreamEvent e : page) {
                EventId before = lastOf.put(e.partition(), e.id());
                assertTrue(
                        before == null || e.id().isAfter(before),
                        "partition " + e.partition() + " keeps its order across pages: " + e.id() + " after " + before);
            }
            got.addAll(page);
            cursor = cursor.advance(page);
            cursor = Cursor.parse(cursor.toString()); // as a web client would hand it back
        }
        assertSameOnce(all, Io.keys(got), "range pages over all partitions");
        for (int i = 1; i < got.size(); i++) {
            StreamEvent a = got.get(i - 1);
            StreamEvent b = got.get(i);
            assertTrue(
                    a.timestamp().isBefore(b.timestamp())
                            || (a.timestamp().equals(b.timestamp()) && a.partition() <= b.partition()),
                    "pages hold the oldest events of every partition, by broker timestamp, then partition: " + a.id()
                            + " @" + a.timestamp() + " came before " + b.id() + " @" + b.timestamp());
        }
    }

    /** K4: earliest, latest and at(time) over every partition. */
    public void k4() {
        StreamClient c = client();
        StreamName s = partitioned(c, "k4");
        List<String> before = new ArrayList<>();
        appendKeyed(c, s, "k4a", 20, before);
        assertSameOnce(before, Io.keys(Io.readExactly(c, s, Position.earliest(), 20)), "earliest over all partitions");
        List<String> after = new ArrayList<>();
        try (StreamReader latest = c.openReader(s, Position.latest())) {
            Tck.sleep(Duration.ofMillis(20)); // broker timestamps of the two batches differ
            appendKeyed(c, s, "k4b", 12, after);
            List<StreamEvent> got = Io.read(latest, 12, Tck.scaled(Duration.ofSeconds(10)));
            got.addAll(latest.poll(100, Tck.scaledMillis(100)));
            assertSameOnce(after, Io.keys(got), "latest reads exactly what every partition got after it opened");
            if (!c.supports(Capability.TIME_POSITION)) {
                return;
            }
            Instant t = got.stream()
                    .map(StreamEvent::timestamp)
                    .min(Instant::compareTo)
                    .orElseThrow();
            List<String> atT = Io.keys(Io.readExactly(c, s, Position.at(t), 12));
            assertSameOnce(after, atT, "at(" + t + ", the oldest timestamp of the second batch) over all partitions");
            assertSameOnce(after, Io.keys(c.range(s, Position.at(t), null, 100)), "range at(" + t + ")");
        }
    }

    /** K5: a group over partitions loses nothing while members join and leave; duplicates are bounded. */
    public void k5() {
        StreamClient c = client();
        StreamName s = partitioned(c, "k5");
        if (!c.supports(Capability.CONSUMER_GROUPS)) {
            Assumptions.abort("K5 runs a group: backend '" + c.backend() + "' does not declare CONSUMER_GROUPS");
        }
        c.createGroup(s, "g", GroupOptions.defaults().withAckTimeout(ctx.hooks().groupAckTimeout()));
        List<String> all = new ArrayList<>();
        appendKeyed(c, s, "k5a", 60, all);
        Map<String, Integer> deliveries = new HashMap<>();
        Duration bound = Tck.scaled(Duration.ofSeconds(30));
        int batch = 5;
        int changes = 0;
        GroupConsumer m1 = c.openGroupConsumer(s, "g", "m1");
        take(m1, 20, batch, bound, deliveries);
        GroupConsumer m2 = c.openGroupConsumer(s, "g", "m2"); // joins
        changes++;
        appendKeyed(c, s, "k5b", 60, all);
        take(m2, 10, batch, bound, deliveries);
        take(m1, 10, batch, bound, deliveries);
        m1.close(); // leaves; everything it received was acked
        changes++;
        GroupConsumer m3 = c.openGroupConsumer(s, "g", "m3"); // joins
        changes++;
        appendKeyed(c, s, "k5c", 30, all);
        long deadline = System.nanoTime() + bound.toNanos();
        while (!deliveries.keySet().containsAll(all) && System.nanoTime() < deadline) {
            take(m2, 1, batch, Tck.scaledMillis(300), deliveries);
            take(m3, 1, batch, Tck.scaledMillis(300), deliveries);
        }
        m2.close();
        m3.close();
        Set<String> missing = new TreeSet<>(all);
        missing.removeAll(deliveries.keySet());
        assertEquals(Set.of(), missing, "a group over partitions lost events while members joined and left");
        int duplicates = deliveries.values().stream().mapToInt(n -> n - 1).sum();
        int allowed = changes * batch * PARTITIONS;
        assertTrue(
                duplicates <= allowed,
                duplicates + " duplicate deliveries while members joined and left (" + changes
                        + " changes, every delivery acked at once): at most " + allowed + " allowed");
        assertEquals(Set.copyOf(all), deliveries.keySet(), "the group delivered only what was appended");
    }

    /**
     * Polls {@code m}, up to {@code batch} at a time, until {@code n} events arrived or {@code bound}
     * passed, acking each poll at once.
     */
    private static void take(GroupConsumer m, int n, int batch, Duration bound, Map<String, Integer> deliveries) {
        int got = 0;
        long deadline = System.nanoTime() + bound.toNanos();
        while (got < n && System.nanoTime() < deadline) {
            List<StreamEvent> events = m.poll(batch, Tck.scaledMillis(100));
            for (StreamEvent e : events) {
                deliveries.merge(Io.keyOf(e), 1, Integer::sum);
            }
            if (!events.isEmpty()) {
                m.ack(Io.ids(events));
            }
            got += events.size();
        }
    }

    /** K6: info's totals and each partition's figures equal what was appended. */
    public void k6() {
        StreamClient c = client();
        StreamName s = partitioned(c, "k6");
        List<StreamRecord> records = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            records.add(Io.rec("k6/" + i, "key-" + (i % 7)));
        }
        List<EventId> ids = new ArrayList<>(c.appendBatch(s, records.subList(0, 10)));
        for (StreamRecord r : records.subList(10, 30)) {
            ids.add(c.append(s, r));
        }
        StreamInfo info = c.info(s);
        assertEquals(PARTITIONS, info.partitionCount(), "info lists every partition");
        assertEquals(30, info.length(), "info's length is the sum over partitions");
        long sum = 0;
        for (int p = 0; p < PARTITIONS; p++) {
            List<EventId> mine = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                EventId id = ids.get(i);
                assertEquals(
                        partitionOf("key-" + (i % 7)), id.partition(), "record " + i + " went to its key's partition");
                if (id.partition() == p) {
                    mine.add(id.local());
                }
            }
            StreamInfo part = info.partitions().get(p);
            sum += part.length();
            assertEquals(mine.size(), part.length(), "partition " + p + "'s length");
            if (!mine.isEmpty()) {
                assertEquals(mine.get(0), part.firstId().orElseThrow(), "partition " + p + "'s first id");
                assertEquals(mine.get(mine.size() - 1), part.lastId().orElseThrow(), "partition " + p + "'s last id");
            }
        }
        assertEquals(30, sum, "the partitions' lengths add up to the total");
        assertTrue(
                ids.contains(info.lastId().orElseThrow()),
                "the total's last id " + info.lastId() + " is a partitioned id that an append returned");
        assertTrue(
                ids.contains(info.firstId().orElseThrow()),
                "the total's first id " + info.firstId() + " is a partitioned id that an append returned");
        if (c.supports(Capability.CONSUMER_GROUPS)) {
            groupFiguresOverPartitions(c, s, ids);
        }
    }

    /**
     * K6's group part: {@code groupInfo} of a group over every partition sums each partition's
     * pending and lag (G8's figures, over partitions); lag may be -1 where the backend cannot tell.
     */
    private void groupFiguresOverPartitions(StreamClient c, StreamName s, List<EventId> ids) {
        String g = Tck.name("g");
        c.createGroup(s, g, GroupOptions.defaults());
        Duration bound = Tck.scaled(Duration.ofSeconds(30));
        Expect.eventually(
                bound,
                () -> "a new group over " + PARTITIONS + " partitions of 30 events: expected pending 0 and lag 30"
                        + " (or -1): " + c.groupInfo(s, g),
                () -> figures(c.groupInfo(s, g), 0, 30));
        try (GroupConsumer m = c.openGroupConsumer(s, g, "m1")) {
            List<StreamEvent> got = new ArrayList<>();
            long deadline = System.nanoTime() + bound.toNanos();
            while (got.size() < 12 && System.nanoTime() < deadline) {
                got.addAll(m.poll(12 - got.size(), Duration.ofMillis(100)));
            }
            assertEquals(12, got.size(), "12 of 30 delivered within " + bound);
            for (StreamEvent e : got) {
                assertTrue(ids.contains(e.id()), "the group delivered " + e.id() + ", an id an append returned");
            }
            Expect.eventually(
                    bound,
                    () -> "12 delivered over the partitions, none acked: expected pending 12 and lag 18 (or -1): "
                            + c.groupInfo(s, g),
                    () -> figures(c.groupInfo(s, g), 12, 18));
            c.groupInfo(s, g)
                    .lastDelivered()
                    .ifPresent(id -> assertTrue(
                            got.stream().anyMatch(e -> e.id().equals(id)),
                            "lastDelivered " + id + " is an id this group delivered: " + got));
            m.ack(got.subList(0, 5).stream().map(StreamEvent::id).toList());
            Expect.eventually(
                    bound,
                    () -> "5 of 12 acked: expected pending 7 and lag 18 (or -1): " + c.groupInfo(s, g),
                    () -> figures(c.groupInfo(s, g), 7, 18));
        }
    }

    private static boolean figures(GroupInfo i, long pending, long lag) {
        return i.pending() == pending && (i.lag() == lag || i.lag() == -1);
    }

    /** K7: events trimmed from one partition before they were read are DATA_LOSS naming that partition. */
    public void k7() {
        StreamClient c = client();
        StreamName s = partitioned(c, "k7");
        if (!c.supports(Capability.TRIM_BY_ID)) {
            Assumptions.abort(
                    "K7 trims one partition below an id: backend '" + c.backend() + "' does not declare TRIM_BY_ID");
        }
        List<String> all = new ArrayList<>();
        appendKeyed(c, s, "k7a", 12, all);
        Cursor saved;
        try (StreamReader r = c.openReader(s, Position.earliest())) {
            Io.read(r, 12, Tck.scaled(Duration.ofSeconds(10)));
            saved = r.cursor();
        }
        String key = keyIn(2);
        EventId last = null;
        for (int i = 0; i < 4; i++) {
            last = c.append(s, Io.rec("k7b/" + i, key));
        }
        assertEquals(2, last.partition(), "key " + key + " is in partition 2");
        c.trim(s, Trim.below(last)); // removes unread events of partition 2 only
        for (String what : List.of("reader", "range")) {
            StreamException e = Expect.kind(
                    ErrorKind.DATA_LOSS, "a " + what + " after a cursor whose partition 2 was trimmed past", () -> {
                        if (what.equals("range")) {
                            c.range(s, Position.after(saved), null, 100);
                        } else {
                            try (StreamReader r = c.openReader(s, Position.after(saved))) {
                                r.poll(100, Tck.scaledMillis(2000));
                            }
                        }
                    });
            assertTrue(
                    String.valueOf(e.getMessage()).contains("partition 2"),
                    "the DATA_LOSS of a " + what + " names the partition that lost events: " + e.getMessage());
        }
    }

    /**
     * K8: code written for one-partition streams meets a partitioned one: readers, ranges and groups
     * cover every partition; one id, which cannot say where the other partitions stand, is refused
     * INVALID_ARGUMENT as a start or a range end, and the message points at the cursor.
     */
    public void k8() {
        StreamClient c = client();
        StreamName s = partitioned(c, "k8");
        List<String> all = new ArrayList<>();
        appendKeyed(c, s, "k8", 16, all);
        assertSameOnce(all, Io.keys(Io.readExactly(c, s, Position.earliest(), 16)), "a plain earliest reader");
        assertSameOnce(all, Io.keys(c.range(s, Position.earliest(), null, 100)), "a plain range");
        if (c.supports(Capability.CONSUMER_GROUPS)) {
            c.createGroup(s, "g", GroupOptions.defaults());
            try (GroupConsumer g = c.openGroupConsumer(s, "g", "m")) {
                assertSameOnce(
                        all, Io.keys(Io.poll(g, 16, Tck.scaled(Duration.ofSeconds(10)), true)), "a plain group member");
            }
        }
        EventId one = c.info(s).lastId().orElseThrow();
        for (String what : List.of("openReader(after(id))", "range(after(id))", "range(.., toInclusive=id)")) {
            StreamException e = Expect.kind(
                    ErrorKind.INVALID_ARGUMENT, what + " on a stream of " + PARTITIONS + " partitions", () -> {
                        switch (what) {
                            case "openReader(after(id))" ->
                                c.openReader(s, Position.after(one)).close();
                            case "range(after(id))" -> c.range(s, Position.after(one), null, 10);
                            default -> c.range(s, Position.earliest(), one, 10);
                        }
                    });
            assertTrue(
                    String.valueOf(e.getMessage()).contains("cursor"),
                    what + " is refused with a message that points at the cursor: " + e.getMessage());
        }
        Expect.kind(
                ErrorKind.INVALID_ARGUMENT,
                "a cursor of another partition count",
                () -> c.range(s, Position.after(Cursor.earliest(PARTITIONS + 1)), null, 10));
    }

    /** Appends {@code n} records keyed over several keys (so every partition gets some), recording identities. */
    private static void appendKeyed(StreamClient c, StreamName s, String prefix, int n, List<String> into) {
        for (int i = 0; i < n; i++) {
            String id = prefix + "/" + i;
            c.append(s, Io.rec(id, "key-" + (i % 11)));
            into.add(id);
        }
    }

    /** A key that {@link Partitioner} puts in {@code partition}. */
    private static String keyIn(int partition) {
        for (int i = 0; ; i++) {
            if (partitionOf("key-" + i) == partition) {
                return "key-" + i;
            }
        }
    }

    private static void assertSameOnce(List<String> expected, List<String> got, String what) {
        Set<String> unique = new HashSet<>(got);
        if (unique.size() != got.size()) {
            List<String> repeated = new ArrayList<>(got);
            for (String u : unique) {
                repeated.remove(u);
            }
            fail(what + ": events read more than once: " + repeated);
        }
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(unique);
        Set<String> extra = new TreeSet<>(unique);
        extra.removeAll(expected);
        assertEquals(Set.of(), missing, what + ": events lost");
        assertEquals(Set.of(), extra, what + ": events that were not expected");
    }
}
