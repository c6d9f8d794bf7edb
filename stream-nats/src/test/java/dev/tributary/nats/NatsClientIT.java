package dev.tributary.nats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.AckResult;
import dev.tributary.Capability;
import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.GroupConsumer;
import dev.tributary.GroupInfo;
import dev.tributary.GroupOptions;
import dev.tributary.Headers;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamClients;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamInfo;
import dev.tributary.StreamName;
import dev.tributary.StreamReader;
import dev.tributary.StreamRecord;
import dev.tributary.Trim;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Focused integration tests of the NATS backend against a real server (the shared {@link NatsFixture}).
 * The kit ({@code NatsTckIT}) runs the contract rules; these pin NATS-specific behaviour.
 */
class NatsClientIT {
    private static StreamClient client;

    @BeforeAll
    static void open() {
        client = StreamClients.open(NatsFixture.shared().config());
    }

    @AfterAll
    static void close() {
        if (client != null) {
            client.close();
        }
    }

    private static StreamName fresh(String what) {
        return NatsFixture.createFresh(client, what);
    }

    private static List<EventId> appendN(StreamName s, int n) {
        List<StreamRecord> rs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rs.add(StreamRecord.of("e" + i));
        }
        return client.appendBatch(s, rs);
    }

    @Test
    void providerIsFoundByNameAndSchemes() {
        assertEquals("nats", client.backend());
        assertTrue(StreamClients.registry().providers().stream()
                .anyMatch(p -> p.name().equals("nats") && p.schemes().containsAll(Set.of("nats", "tls"))));
        assertTrue(client.supports(Capability.IDEMPOTENT_APPEND));
        assertTrue(client.supports(Capability.PARTITIONED));
        assertTrue(client.health().up());
    }

    @Test
    void appendedRecordsRoundTripWithKeyAndHeaders() {
        StreamName s = fresh("rt");
        Headers h = Headers.of("b", "ü\r\nx", "a", "", "b", "2", "Nats-Msg-Id", "user's", "colon", "a: \"q\"");
        EventId id1 = client.append(
                s,
                StreamRecord.builder()
                        .payload(new byte[0])
                        .key(new byte[0])
                        .headers(h)
                        .build());
        EventId id2 = client.append(s, StreamRecord.of("x"));
        assertTrue(id2.isAfter(id1));
        List<StreamEvent> ev = client.range(s, Position.earliest(), null, 10);
        assertEquals(2, ev.size());
        assertArrayEquals(new byte[0], ev.get(0).payload());
        assertArrayEquals(new byte[0], ev.get(0).key());
        assertEquals(h, ev.get(0).headers());
        assertNull(ev.get(1).key());
        assertEquals(Headers.empty(), ev.get(1).headers());
        assertEquals(id1, ev.get(0).id());
        assertEquals(id1, client.parseId(id1.toString()));
    }

    @Test
    void payloadAtTheLimitPassesAndOneMoreFailsTooLarge() {
        StreamName s = fresh("big");
        int max = client.limits().maxPayloadBytes();
        StringBuilder hv = new StringBuilder();
        while (hv.length() < client.limits().maxHeaderBytes() - 20) {
            hv.append('\n');
        }
        // the header budget spent on values NATS must encode (the worst case for the wire size)
        StreamRecord full = StreamRecord.builder()
                .payload(new byte[max])
                .header("h", hv.toString())
                .build();
        client.append(s, full);
        StreamException e =
                assertThrows(StreamException.class, () -> client.append(s, StreamRecord.of(new byte[max + 1])));
        assertEquals(ErrorKind.TOO_LARGE, e.kind());
        assertEquals(1, client.info(s).length());
    }

    @Test
    void idempotentAppendStoresOnceAndReturnsTheOriginalId() {
        StreamName s = fresh("idem");
        EventId a = client.append(s, StreamRecord.of("one").withIdempotencyId("order-42"));
        client.append(s, StreamRecord.of("two"));
        EventId b = client.append(s, StreamRecord.of("one again").withIdempotencyId("order-42"));
        assertEquals(a, b);
        assertEquals(2, client.info(s).length());
    }

    @Test
    void appendToAMissingStreamFailsNotFound() {
        StreamName s = StreamName.of("missing-" + System.nanoTime());
        StreamException e = assertThrows(StreamException.class, () -> client.append(s, StreamRecord.of("x")));
        assertEquals(ErrorKind.NOT_FOUND, e.kind());
        assertFalse(client.info(s).exists());
        assertTrue(client.range(s, Position.earliest(), null, 10).isEmpty());
    }

    @Test
    void concurrentAppendsKeepPerThreadOrder() throws Exception {
        StreamName s = fresh("conc");
        int threads = 4;
        int per = 2000;
        List<CompletableFuture<Void>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int tt = t;
            fs.add(CompletableFuture.runAsync(() -> {
                List<CompletableFuture<EventId>> ids = new ArrayList<>();
                for (int i = 0; i < per; i++) {
                    ids.add(client.appendAsync(s, StreamRecord.of(tt + "/" + i)));
                }
                ids.forEach(CompletableFuture::join);
            }));
        }
        CompletableFuture.allOf(fs.toArray(new CompletableFuture<?>[0])).get(120, TimeUnit.SECONDS);
        int[] next = new int[threads];
        int total = 0;
        try (StreamReader r = client.openReader(s, Position.earliest())) {
            while (total < threads * per) {
                List<StreamEvent> ev = r.poll(1000, Duration.ofSeconds(5));
                assertFalse(ev.isEmpty(), "read stalled at " + total);
                for (StreamEvent e : ev) {
                    String[] p = e.payloadAsString().split("/");
                    int t = Integer.parseInt(p[0]);
                    assertEquals(next[t]++, Integer.parseInt(p[1]));
                    total++;
                }
            }
        }
    }

    @Test
    void readerPositionsLatestAfterAndTime() throws Exception {
        StreamName s = fresh("pos");
        List<EventId> ids = appendN(s, 5);
        try (StreamReader latest = client.openReader(s, Position.latest())) {
            assertEquals(Position.after(ids.get(4)), latest.position());
            assertTrue(latest.poll(10, Duration.ZERO).isEmpty());
            EventId six = client.append(s, StreamRecord.of("e5"));
            List<StreamEvent> ev = latest.poll(10, Duration.ofSeconds(5));
            assertEquals(List.of(six), ev.stream().map(StreamEvent::id).toList());
            assertEquals(Position.after(six), latest.position());
        }
        try (StreamReader after = client.openReader(s, Position.after(ids.get(2)))) {
            List<StreamEvent> ev = after.poll(10, Duration.ofSeconds(5));
            assertEquals("e3", ev.get(0).payloadAsString());
            assertEquals(3, ev.size());
        }
        Instant t = client.range(s, Position.after(ids.get(1)), null, 1).get(0).timestamp();
        try (StreamReader at = client.openReader(s, Position.at(t))) {
            assertEquals(ids.get(2), at.poll(1, Duration.ofSeconds(5)).get(0).id());
        }
    }

    @Test
    void blockedPollWakesOnArrivalAndOnClose() throws Exception {
        StreamName s = fresh("wake");
        StreamReader r = client.openReader(s, Position.latest());
        CompletableFuture<List<StreamEvent>> f =
                CompletableFuture.supplyAsync(() -> r.poll(10, Duration.ofSeconds(30)));
        Thread.sleep(300);
        client.append(s, StreamRecord.of("now"));
        assertEquals("now", f.get(10, TimeUnit.SECONDS).get(0).payloadAsString());
        AtomicReference<Throwable> err = new AtomicReference<>();
        CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> {
            try {
                r.poll(10, Duration.ofSeconds(30));
            } catch (Throwable e) {
                err.set(e);
            }
        });
        Thread.sleep(300);
        long start = System.nanoTime();
        r.close();
        blocked.get(5, TimeUnit.SECONDS);
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2));
        assertEquals(ErrorKind.CLOSED, ((StreamException) err.get()).kind());
    }

    @Test
    void emptyPollReturnsWithinItsWait() {
        StreamName s = fresh("empty");
        try (StreamReader r = client.openReader(s, Position.earliest())) {
            long start = System.nanoTime();
            assertTrue(r.poll(10, Duration.ofMillis(300)).isEmpty());
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms >= 250 && ms < 3000, ms + " ms");
        }
    }

    @Test
    void readsBelowTheRetainedHeadReportDataLoss() {
        StreamName s = fresh("gap");
        List<EventId> ids = appendN(s, 10);
        assertEquals(5, client.trim(s, Trim.toLength(5)));
        StreamInfo info = client.info(s);
        assertEquals(5, info.length());
        assertEquals(ids.get(5), info.firstId().orElseThrow());
        try (StreamReader r = client.openReader(s, Position.after(ids.get(1)))) {
            StreamException e = assertThrows(StreamException.class, () -> r.poll(10, Duration.ofSeconds(1)));
            assertEquals(ErrorKind.DATA_LOSS, e.kind());
            assertEquals(Position.after(ids.get(1)), r.position());
            assertEquals(
                    ErrorKind.DATA_LOSS,
                    assertThrows(StreamException.class, () -> r.poll(10, Duration.ZERO))
                            .kind());
        }
        assertEquals(
                ErrorKind.DATA_LOSS,
                assertThrows(StreamException.class, () -> client.range(s, Position.after(ids.get(0)), null, 10))
                        .kind());
        // exactly at the head is no gap
        try (StreamReader r = client.openReader(s, Position.after(ids.get(4)))) {
            assertEquals(5, r.poll(10, Duration.ofSeconds(2)).size());
        }
        // a cursor whose events all vanished (nothing retained after it) is a gap too
        client.trim(s, Trim.toLength(0));
        try (StreamReader r = client.openReader(s, Position.after(ids.get(7)))) {
            assertEquals(
                    ErrorKind.DATA_LOSS,
                    assertThrows(StreamException.class, () -> r.poll(10, Duration.ofMillis(200)))
                            .kind());
        }
    }

    @Test
    void rangePagesWithoutGapsOrRepeats() {
        StreamName s = fresh("range");
        List<EventId> ids = appendN(s, 25);
        List<EventId> seen = new ArrayList<>();
        Position from = Position.earliest();
        while (true) {
            List<StreamEvent> page = client.range(s, from, ids.get(21), 4);
            if (page.isEmpty()) {
                break;
            }
            page.forEach(e -> seen.add(e.id()));
            from = Position.after(page.get(page.size() - 1).id());
        }
        assertEquals(ids.subList(0, 22), seen);
        assertTrue(client.range(s, Position.latest(), null, 10).isEmpty());
    }

    @Test
    void trimBelowIdAndByAge() throws Exception {
        StreamName s = fresh("trim");
        List<EventId> ids = appendN(s, 6);
        assertEquals(2, client.trim(s, Trim.below(ids.get(2))));
        assertEquals(ids.get(2), client.info(s).firstId().orElseThrow());
        Thread.sleep(1200);
        List<EventId> fresh = appendN(s, 2);
        assertEquals(4, client.trim(s, Trim.olderThan(Duration.ofMillis(800))));
        StreamInfo info = client.info(s);
        assertEquals(2, info.length());
        assertEquals(fresh.get(0), info.firstId().orElseThrow());
        assertEquals(0, client.trim(s, Trim.olderThan(Duration.ofHours(1))));
    }

    @Test
    void groupDeliversAcksAndRedelivers() throws Exception {
        StreamName s = fresh("grp");
        client.createGroup(s, "g", GroupOptions.defaults().withAckTimeout(Duration.ofMillis(800)));
        client.createGroup(s, "g", GroupOptions.defaults()); // idempotent
        List<EventId> ids = appendN(s, 6);
        try (GroupConsumer a = client.openGroupConsumer(s, "g", "a");
                GroupConsumer b = client.openGroupConsumer(s, "g", "b")) {
            List<StreamEvent> got = a.poll(4, Duration.ofSeconds(5));
            assertEquals(ids.subList(0, 4), got.stream().map(StreamEvent::id).toList());
            GroupInfo gi = client.groupInfo(s, "g");
            assertEquals(4, gi.pending());
            assertEquals(2, gi.lag());
            AckResult r = a.ack(ids.get(0), ids.get(1));
            assertEquals(new AckResult(2, 0), r);
            assertEquals(new AckResult(0, 2), a.ack(ids.get(0), EventId.ofSequence(999)));
            a.nack(List.of(ids.get(2)));
            List<StreamEvent> again = b.poll(10, Duration.ofSeconds(5));
            StreamEvent re = again.stream()
                    .filter(e -> e.id().equals(ids.get(2)))
                    .findFirst()
                    .orElseThrow();
            assertEquals(2, re.deliveryCount());
            // ids.get(3) was never acked: after the ack timeout it comes back with a higher count
            Set<EventId> seen = new HashSet<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            StreamEvent redelivered = null;
            while (redelivered == null && System.nanoTime() < deadline) {
                for (StreamEvent e : b.poll(10, Duration.ofMillis(500))) {
                    seen.add(e.id());
                    if (e.id().equals(ids.get(3))) {
                        redelivered = e;
                    }
                    b.ack(e.id());
                }
            }
            assertTrue(redelivered != null && redelivered.deliveryCount() > 1, "redelivery after the ack timeout");
        }
        assertEquals(1, client.groups(s).size());
        assertTrue(client.deleteGroup(s, "g"));
        assertFalse(client.deleteGroup(s, "g"));
        assertEquals(
                ErrorKind.NOT_FOUND,
                assertThrows(StreamException.class, () -> client.openGroupConsumer(s, "g", "a"))
                        .kind());
    }

    @Test
    void memberPollAfterGroupDeletionFailsNotFound() {
        StreamName s = fresh("gdel");
        client.createGroup(s, "g", GroupOptions.defaults());
        appendN(s, 1);
        try (GroupConsumer a = client.openGroupConsumer(s, "g", "a")) {
            List<StreamEvent> got = a.poll(10, Duration.ofSeconds(5));
            assertEquals(1, got.size());
            client.deleteGroup(s, "g");
            StreamException e = assertThrows(StreamException.class, () -> a.poll(10, Duration.ofSeconds(2)));
            assertEquals(ErrorKind.NOT_FOUND, e.kind());
            StreamException ack =
                    assertThrows(StreamException.class, () -> a.ack(got.get(0).id()));
            assertEquals(ErrorKind.NOT_FOUND, ack.kind(), ack.toString());
        }
    }

    @Test
    void groupStartingAtLatestSkipsHistory() {
        StreamName s = fresh("glatest");
        appendN(s, 3);
        client.createGroup(s, "g", GroupOptions.defaults().withStart(Position.latest()));
        EventId id = client.append(s, StreamRecord.of("new"));
        try (GroupConsumer a = client.openGroupConsumer(s, "g", "a")) {
            assertEquals(
                    List.of(id),
                    a.poll(10, Duration.ofSeconds(5)).stream()
                            .map(StreamEvent::id)
                            .toList());
        }
    }

    /** The one consumer of stream {@code s} (a reader's), seen through a plain jnats connection. */
    private static io.nats.client.api.ConsumerInfo readerConsumer(io.nats.client.Connection c, StreamName s)
            throws Exception {
        io.nats.client.JetStreamManagement jsm = c.jetStreamManagement();
        String js = "tributary_" + s.value();
        return jsm.getConsumerInfo(js, jsm.getConsumerNames(js).get(0));
    }

    private static long deliveredBy(io.nats.client.api.ConsumerInfo info) {
        return info.getDelivered().getStreamSequence();
    }

    /** The reader's consumer once it delivered up to {@code n}, or as it is after 5 s. */
    private static io.nats.client.api.ConsumerInfo awaitDelivered(io.nats.client.Connection c, StreamName s, long n)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        io.nats.client.api.ConsumerInfo info = readerConsumer(c, s);
        while (deliveredBy(info) < n && System.nanoTime() < deadline) {
            Thread.sleep(20);
            info = readerConsumer(c, s);
        }
        return info;
    }

    /** The reader's consumer 200 ms later: time for anything more it asked for to arrive. */
    private static io.nats.client.api.ConsumerInfo settled(io.nats.client.Connection c, StreamName s) throws Exception {
        Thread.sleep(200);
        return readerConsumer(c, s);
    }

    /**
     * A reader whose poll returned a full batch has asked for the next one before returning (the server's
     * count of what the reader's consumer delivered moves on while the caller holds the batch), and never
     * for more than one batch; what it read ahead comes next, in order.
     */
    @Test
    void aReaderAsksForTheNextBatchWhileItsCallerHandlesOneAndNoMore() throws Exception {
        StreamName s = fresh("ahead");
        appendN(s, 35);
        try (StreamReader r = client.openReader(s, Position.earliest());
                io.nats.client.Connection c = NatsFixture.shared().plainJnats()) {
            List<StreamEvent> first = r.poll(10, Duration.ofSeconds(5));
            assertEquals(10, first.size());
            assertEquals(
                    20,
                    deliveredBy(awaitDelivered(c, s, 20)),
                    "the next batch was asked for while the caller held the first");
            assertEquals(20, deliveredBy(settled(c, s)), "one batch ahead, no more");
            List<String> rest = new ArrayList<>();
            for (int i = 0; i < 10 && rest.size() < 25; i++) {
                r.poll(10, Duration.ofSeconds(1)).forEach(e -> rest.add(e.payloadAsString()));
            }
            List<String> expected = new ArrayList<>();
            for (int i = 10; i < 35; i++) {
                expected.add("e" + i);
            }
            assertEquals(expected, rest, "what was read ahead comes next, in order");
        }
    }

    /**
     * Large events: the read-ahead stops at 8 MiB (by the size of the batch just returned), since what it
     * holds waits in the subscription's queue, whose overflow jnats drops.
     */
    @Test
    void aReaderReadsAheadNoMoreThanEightMebibytes() throws Exception {
        StreamName s = fresh("aheadbig");
        byte[] big = new byte[850 * 1024];
        for (int i = 0; i < 20; i++) {
            client.append(s, StreamRecord.of(big));
        }
        try (StreamReader r = client.openReader(s, Position.earliest());
                io.nats.client.Connection c = NatsFixture.shared().plainJnats()) {
            assertEquals(10, r.poll(10, Duration.ofSeconds(5)).size());
            awaitDelivered(c, s, 19);
            // 10 returned, then 9 of 850 KiB each: the most that fits in 8 MiB
            assertEquals(19, deliveredBy(settled(c, s)));
            int rest = 0;
            for (int i = 0; i < 10 && rest < 10; i++) {
                rest += r.poll(10, Duration.ofSeconds(1)).size();
            }
            assertEquals(10, rest, "every event once, the one not read ahead included");
        }
    }

    /** What a reader read ahead before this client trimmed the stream under it is dropped: the gap shows. */
    @Test
    void aTrimByTheSameClientIsAGapEvenForEventsReadAhead() {
        StreamName s = fresh("aheadtrim");
        List<EventId> ids = appendN(s, 10);
        try (StreamReader r = client.openReader(s, Position.earliest())) {
            assertEquals(2, r.poll(2, Duration.ofSeconds(5)).size()); // full: events 2 and 3 are asked for
            client.trim(s, Trim.below(ids.get(6)));
            StreamException e = assertThrows(StreamException.class, () -> r.poll(10, Duration.ofSeconds(1)));
            assertEquals(ErrorKind.DATA_LOSS, e.kind(), e::getMessage);
            assertEquals(Position.after(ids.get(1)), r.position());
        }
    }

    @Test
    void noConsumerIsLeftBehindByRangesAndClosedReaders() throws Exception {
        StreamName s = fresh("leak");
        appendN(s, 3);
        for (int i = 0; i < 5; i++) {
            client.range(s, Position.earliest(), null, 10);
            try (StreamReader r = client.openReader(s, Position.earliest())) {
                r.poll(10, Duration.ofSeconds(1));
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int consumers;
        try (io.nats.client.Connection c = NatsFixture.shared().plainJnats()) {
            do {
                consumers = c.jetStreamManagement()
                        .getConsumerNames("tributary_" + s.value())
                        .size();
                if (consumers > 0) {
                    Thread.sleep(100);
                }
            } while (consumers > 0 && System.nanoTime() < deadline);
        }
        assertEquals(0, consumers);
    }

    @Test
    void invalidIdsAndArgumentsFailBeforeIo() {
        assertEquals(
                ErrorKind.INVALID_ARGUMENT,
                assertThrows(StreamException.class, () -> client.parseId("1-2")).kind());
        assertEquals(
                ErrorKind.INVALID_ARGUMENT,
                assertThrows(StreamException.class, () -> client.parseId("abc")).kind());
        StreamName s = fresh("args");
        assertEquals(
                ErrorKind.INVALID_ARGUMENT,
                assertThrows(StreamException.class, () -> client.openReader(s, Position.after(EventId.of(1, 2))))
                        .kind());
        try (StreamReader r = client.openReader(s, Position.earliest())) {
            assertEquals(
                    ErrorKind.INVALID_ARGUMENT,
                    assertThrows(StreamException.class, () -> r.poll(0, Duration.ZERO))
                            .kind());
            assertEquals(
                    ErrorKind.INVALID_ARGUMENT,
                    assertThrows(StreamException.class, () -> r.poll(1, Duration.ofHours(2)))
                            .kind());
        }
    }

    @Test
    void closeIsIdempotentAndLaterCallsFailClosed() {
        StreamClient c = StreamClients.open(NatsFixture.shared().config());
        c.close();
        c.close();
        StreamName s = StreamName.of("closed");
        assertEquals(
                ErrorKind.CLOSED,
                assertThrows(StreamException.class, () -> c.info(s)).kind());
        assertEquals(
                ErrorKind.CLOSED,
                assertThrows(StreamException.class, () -> c.append(s, StreamRecord.of("x")))
                        .kind());
        assertEquals(
                ErrorKind.CLOSED, assertThrows(StreamException.class, c::health).kind());
        assertTrue(
                new String(c.toString().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).contains("closed"));
    }
}
