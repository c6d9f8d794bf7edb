package dev.tributary.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.AckResult;
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
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Focused behaviour of the Redis backend against a real server (the kit runs the full rule set). */
class RedisClientIT {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final String RUN = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
    private static RedisFixture fixture;
    private static RawRedis<String, String> rawConn;
    private StreamClient client;

    @BeforeAll
    static void startBroker() {
        fixture = RedisFixture.shared();
        rawConn = RawRedis.open(fixture);
    }

    @AfterAll
    static void stopRaw() {
        if (rawConn != null) {
            rawConn.close();
        }
    }

    @BeforeEach
    void open() {
        client = StreamClients.open(fixture.config());
    }

    @AfterEach
    void close() {
        client.close();
    }

    static StreamName fresh(String what) {
        return StreamName.of("it-" + RUN + "-" + what + "-" + SEQ.incrementAndGet());
    }

    RedisCommands<String, String> redis() {
        return rawConn.sync();
    }

    @Test
    void providerIsFoundBySchemeAndHealthAnswers() {
        assertEquals("redis", client.backend());
        assertTrue(client.health().up(), () -> "health: " + client.health());
        assertTrue(
                client.health().detail().startsWith("redis 7"), client.health().detail());
    }

    @Test
    void recordRoundTripsAndTheEntryLayoutIsReadableInRedis() {
        StreamName s = fresh("layout");
        Headers h = Headers.of(
                "type", "created", "note", "quote \" colon : crlf \r\n emoji \uD83D\uDE00 é", "type", "again");
        EventId id = client.append(
                s, StreamRecord.builder().payload("hello").key("k1").headers(h).build());
        EventId empty = client.append(
                s, StreamRecord.builder().payload(new byte[0]).key(new byte[0]).build());
        EventId nokey = client.append(s, StreamRecord.of(new byte[] {0, (byte) 0xff, 10}));
        assertTrue(empty.isAfter(id) && nokey.isAfter(empty), "ids increase");

        List<StreamEvent> got = client.range(s, Position.earliest(), null, 10);
        assertEquals(3, got.size());
        assertEquals(h, got.get(0).headers());
        assertEquals("hello", got.get(0).payloadAsString());
        assertEquals("k1", got.get(0).keyAsString());
        assertArrayEquals(new byte[0], got.get(1).payload());
        assertArrayEquals(new byte[0], got.get(1).key(), "0-byte key stays a key");
        assertNull(got.get(2).key(), "no key stays no key");
        assertArrayEquals(new byte[] {0, (byte) 0xff, 10}, got.get(2).payload());
        assertEquals(Instant.ofEpochMilli(id.major()), got.get(0).timestamp());

        var fields = redis().xrange(s.value(), io.lettuce.core.Range.create("-", "+"));
        assertEquals(id.toString(), fields.get(0).getId());
        // field order of the layout: k, h:* in order (repeats kept), p
        List<String> raw = redis()
                .dispatch(
                        io.lettuce.core.protocol.CommandType.XRANGE,
                        new io.lettuce.core.output.NestedMultiOutput<>(io.lettuce.core.codec.StringCodec.UTF8),
                        new io.lettuce.core.protocol.CommandArgs<>(io.lettuce.core.codec.StringCodec.UTF8)
                                .addKey(s.value())
                                .add(id.toString())
                                .add(id.toString()))
                .stream()
                .map(Object::toString)
                .toList();
        String flat = raw.toString();
        assertTrue(
                flat.contains("[k, k1, h:type, created, h:note, quote \" colon : crlf \r\n emoji \uD83D\uDE00 é, "
                        + "h:type, again, p, hello]"),
                flat);
    }

    @Test
    void entriesWrittenByAnotherToolAreReadable() {
        StreamName s = fresh("foreign");
        redis().xadd(s.value(), java.util.Map.of("temperature", "21"));
        redis().xadd(s.value(), "k", "sensor-1", "h:unit", "C", "p", "{\"t\":21}");
        List<StreamEvent> got = client.range(s, Position.earliest(), null, 10);
        assertEquals(2, got.size());
        assertEquals("21", got.get(0).headers().first("temperature").orElseThrow());
        assertEquals(0, got.get(0).payload().length);
        assertEquals("sensor-1", got.get(1).keyAsString());
        assertEquals("C", got.get(1).headers().first("unit").orElseThrow());
        assertEquals("{\"t\":21}", got.get(1).payloadAsString());
    }

    @Test
    void readerFollowsTheTailAndLatestIsResolvedAtOpen() {
        StreamName s = fresh("tail");
        client.append(s, StreamRecord.of("before"));
        try (StreamReader r = client.openReader(s, Position.latest())) {
            assertTrue(r.position() instanceof Position.After, "latest is resolved at open: " + r.position());
            assertTrue(r.poll(10, Duration.ZERO).isEmpty());
            client.append(s, StreamRecord.of("a1"));
            client.append(s, StreamRecord.of("a2"));
            List<StreamEvent> got = r.poll(10, Duration.ofSeconds(5));
            assertEquals(
                    List.of("a1", "a2"),
                    got.stream().map(StreamEvent::payloadAsString).toList());
            assertEquals(Position.after(got.get(1).id()), r.position());
            CompletableFuture<List<StreamEvent>> blocked =
                    CompletableFuture.supplyAsync(() -> r.poll(10, Duration.ofSeconds(20)));
            sleep(300);
            client.append(s, StreamRecord.of("a3"));
            List<StreamEvent> woke = blocked.join();
            assertEquals("a3", woke.get(0).payloadAsString(), "a blocked read returns what arrives");
            long t0 = System.nanoTime();
            assertTrue(r.poll(5, Duration.ofMillis(300)).isEmpty());
            assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(250), "waited its bound");
        }
    }

    @Test
    void trimmedCursorReportsDataLossAndStaysPut() {
        StreamName s = fresh("gap");
        List<EventId> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ids.add(client.append(s, StreamRecord.of("e" + i)));
        }
        StreamReader r = client.openReader(s, Position.earliest());
        assertEquals(3, r.poll(3, Duration.ZERO).size());
        assertEquals(7, client.trim(s, Trim.toLength(3)));
        StreamException e = assertThrows(StreamException.class, () -> r.poll(10, Duration.ZERO));
        assertEquals(ErrorKind.DATA_LOSS, e.kind(), e.getMessage());
        assertEquals(Position.after(ids.get(2)), r.position(), "the reader stays where it was");
        assertEquals(
                ErrorKind.DATA_LOSS,
                assertThrows(StreamException.class, () -> client.range(s, Position.after(ids.get(0)), null, 10))
                        .kind());
        assertEquals(3, client.range(s, Position.earliest(), null, 10).size(), "earliest reads what is retained");
        assertEquals(2, client.range(s, Position.after(ids.get(7)), null, 10).size(), "a retained cursor has no gap");
        r.close();
    }

    @Test
    void anEarliestReaderWhoseLastReadEntryIsTrimmedExactlyHasNoFalseGap() {
        StreamName s = fresh("boundary");
        for (int i = 0; i < 3; i++) {
            client.append(s, StreamRecord.of("old" + i));
        }
        client.trim(s, Trim.toLength(2)); // the reader starts at a head that is not the first entry ever
        try (StreamReader r = client.openReader(s, Position.earliest())) {
            assertEquals(2, r.poll(10, Duration.ZERO).size());
            client.append(s, StreamRecord.of("next"));
            client.trim(s, Trim.toLength(1)); // exactly what the reader read is gone, nothing unread
            assertEquals(
                    List.of("next"),
                    r.poll(10, Duration.ZERO).stream()
                            .map(StreamEvent::payloadAsString)
                            .toList());
            client.append(s, StreamRecord.of("lost"));
            client.append(s, StreamRecord.of("kept"));
            client.trim(s, Trim.toLength(1)); // "lost" was never read
            assertEquals(
                    ErrorKind.DATA_LOSS,
                    assertThrows(StreamException.class, () -> r.poll(10, Duration.ZERO))
                            .kind());
        }
    }

    @Test
    void latestOnAStreamTrimmedToEmptyHasNoFalseGap() {
        StreamName s = fresh("emptytrim");
        for (int i = 0; i < 3; i++) {
            client.append(s, StreamRecord.of("old" + i));
        }
        client.trim(s, Trim.toLength(0));
        try (StreamReader r = client.openReader(s, Position.latest())) {
            client.append(s, StreamRecord.of("new"));
            assertEquals("new", r.poll(10, Duration.ofSeconds(2)).get(0).payloadAsString());
        }
        try (StreamReader r = client.openReader(s, Position.earliest())) {
            assertEquals(1, r.poll(10, Duration.ZERO).size());
        }
    }

    @Test
    void timePositionStartsAtTheFirstEventAtOrAfterTheInstant() {
        StreamName s = fresh("time");
        client.append(s, StreamRecord.of("early"));
        sleep(20);
        EventId second = client.append(s, StreamRecord.of("late"));
        try (StreamReader r = client.openReader(s, Position.at(Instant.ofEpochMilli(second.major())))) {
            assertEquals(
                    List.of("late"),
                    r.poll(10, Duration.ZERO).stream()
                            .map(StreamEvent::payloadAsString)
                            .toList());
        }
        assertEquals(2, client.range(s, Position.at(Instant.EPOCH), null, 10).size());
    }

    @Test
    void infoAnswersForMissingEmptyAndFilledStreams() {
        StreamName s = fresh("info");
        StreamInfo missing = client.info(s);
        assertFalse(missing.exists());
        assertEquals(0, missing.length());
        client.createStream(s);
        client.createStream(s);
        StreamInfo empty = client.info(s);
        assertTrue(empty.exists());
        assertEquals(0, empty.length());
        assertTrue(empty.firstId().isEmpty());
        EventId a = client.append(s, StreamRecord.of("a"));
        EventId b = client.append(s, StreamRecord.of("b"));
        StreamInfo info = client.info(s);
        assertEquals(2, info.length());
        assertEquals(a, info.firstId().orElseThrow());
        assertEquals(b, info.lastId().orElseThrow());
        assertTrue(client.range(fresh("none"), Position.earliest(), null, 5).isEmpty());
        assertTrue(client.deleteStream(s));
        assertFalse(client.deleteStream(s));
    }

    @Test
    void idempotentAppendStoresOneEventInsideTheWindow() {
        StreamName s = fresh("idem");
        StreamRecord r =
                StreamRecord.builder().payload("once").idempotencyId("order-42").build();
        EventId first = client.append(s, r);
        EventId again = client.append(s, r);
        assertEquals(first, again);
        assertEquals(1, client.info(s).length());
        List<EventId> batch = client.appendBatch(s, List.of(StreamRecord.of("x"), r, StreamRecord.of("y")));
        assertEquals(first, batch.get(1));
        assertEquals(3, client.info(s).length());
    }

    @Test
    void idempotencyIdsLiveInTwoKeysPerStreamBoundedByDedupMaxIds() {
        StreamName s = fresh("idem-bound");
        try (StreamClient c = StreamClients.open(
                fixture.config().toBuilder().option("dedupMaxIds", "100").build())) {
            List<CompletableFuture<EventId>> sent = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                sent.add(c.appendAsync(
                        s,
                        StreamRecord.builder()
                                .payload("e" + i)
                                .idempotencyId("id-" + i)
                                .build()));
            }
            List<EventId> ids = sent.stream().map(CompletableFuture::join).toList();
            assertEquals(1_000, ids.stream().distinct().count(), "every new id stores an event");
            List<String> keys = redis().keys("*" + s.value() + "*");
            assertEquals(3, keys.size(), "the stream and its two dedup keys, not a key per event: " + keys);
            String dedup = keys.stream()
                    .filter(k -> k.endsWith(":tributary:dedup"))
                    .findFirst()
                    .orElseThrow();
            String times = keys.stream()
                    .filter(k -> k.endsWith(":tributary:dedup-times"))
                    .findFirst()
                    .orElseThrow();
            long kept = redis().hlen(dedup);
            assertTrue(kept >= 99 && kept <= 100, "trimmed to dedupMaxIds (less 1/64 of it): " + kept);
            assertEquals(kept, redis().zcard(times));
            assertTrue(redis().pttl(dedup) > 0 && redis().pttl(times) > 0, "both expire when appends stop");
            // a retry of a recent id is deduplicated, in a single append and in a batch
            assertEquals(
                    ids.get(999),
                    c.append(
                            s,
                            StreamRecord.builder()
                                    .payload("again")
                                    .idempotencyId("id-999")
                                    .build()));
            List<EventId> batch = c.appendBatch(
                    s,
                    List.of(
                            StreamRecord.of("x"),
                            StreamRecord.builder()
                                    .payload("again")
                                    .idempotencyId("id-950")
                                    .build()));
            assertEquals(ids.get(950), batch.get(1));
            assertEquals(1_001, c.info(s).length());
            // a batch of idempotent records is one script call: new ids stored in order, a repeat inside it
            // deduplicated
            List<StreamRecord> run = new ArrayList<>();
            for (int i = 0; i < 200; i++) { // two script calls (128 + 73)
                run.add(StreamRecord.builder()
                        .payload("b" + i)
                        .idempotencyId("b-" + i)
                        .build());
            }
            run.add(StreamRecord.builder()
                    .payload("b150 again")
                    .idempotencyId("b-150")
                    .build());
            List<EventId> runIds = c.appendBatch(s, run);
            for (int i = 1; i < 200; i++) {
                assertTrue(runIds.get(i).isAfter(runIds.get(i - 1)), "in order");
            }
            assertEquals(runIds.get(150), runIds.get(200), "the repeat returns the first id");
            assertEquals(1_201, c.info(s).length());
        }
    }

    @Test
    void trimByIdAndByAge() {
        StreamName s = fresh("trim");
        List<EventId> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(client.append(s, StreamRecord.of("e" + i)));
        }
        assertEquals(2, client.trim(s, Trim.below(ids.get(2))));
        assertEquals(ids.get(2), client.info(s).firstId().orElseThrow());
        assertEquals(0, client.trim(s, Trim.olderThan(Duration.ofHours(1))));
        sleep(30);
        assertEquals(3, client.trim(s, Trim.olderThan(Duration.ofMillis(10))));
        assertEquals(0, client.info(s).length());
    }

    @Test
    void groupDeliversRedeliversAfterTheAckTimeoutAndCountsDeliveries() {
        StreamName s = fresh("group");
        client.createGroup(s, "g", GroupOptions.defaults().withAckTimeout(Duration.ofMillis(300)));
        client.createGroup(s, "g", GroupOptions.defaults());
        for (int i = 0; i < 4; i++) {
            client.append(s, StreamRecord.of("e" + i));
        }
        GroupConsumer a = client.openGroupConsumer(s, "g", "a");
        GroupConsumer b = client.openGroupConsumer(s, "g", "b");
        List<StreamEvent> got = a.poll(2, Duration.ofSeconds(2));
        assertEquals(
                List.of("e0", "e1"),
                got.stream().map(StreamEvent::payloadAsString).toList());
        assertEquals(1, got.get(0).deliveryCount());
        List<StreamEvent> rest = b.poll(10, Duration.ofSeconds(2));
        assertEquals(
                List.of("e2", "e3"),
                rest.stream().map(StreamEvent::payloadAsString).toList());
        assertEquals(new AckResult(2, 0), b.ack(rest.get(0).id(), rest.get(1).id()));
        assertEquals(new AckResult(0, 2), b.ack(rest.get(0).id(), EventId.of(1, 1)), "unknown ids are counted");

        GroupInfo info = client.groupInfo(s, "g");
        assertEquals(2, info.pending());
        assertEquals(0, info.lag());
        assertTrue(info.members().containsAll(List.of("a", "b")));

        // a "dies": b gets its events after the ack timeout, with the delivery count raised
        a.close();
        List<StreamEvent> redelivered = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (redelivered.size() < 2 && System.nanoTime() < deadline) {
            redelivered.addAll(b.poll(10, Duration.ofMillis(200)));
        }
        assertEquals(
                List.of("e0", "e1"),
                redelivered.stream().map(StreamEvent::payloadAsString).toList());
        assertTrue(redelivered.stream().allMatch(e -> e.deliveryCount() == 2), redelivered.toString());

        // nack: redelivered at once (not after the timeout), count raised again
        b.nack(List.of(redelivered.get(0).id()));
        List<StreamEvent> nacked = b.poll(10, Duration.ofSeconds(2));
        assertEquals(redelivered.get(0).id(), nacked.get(0).id());
        assertEquals(3, nacked.get(0).deliveryCount());
        b.ack(List.of(nacked.get(0).id(), redelivered.get(1).id()));
        assertEquals(0, client.groupInfo(s, "g").pending());
        b.close();
    }

    @Test
    void lagIsCountedWhenRedisCannotTell() {
        StreamName s = fresh("lag");
        List<EventId> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add(client.append(s, StreamRecord.of("e" + i)));
        }
        client.createGroup(s, "mid", GroupOptions.defaults().withStart(Position.after(ids.get(4))));
        redis().xdel(s.value(), ids.get(10).toString()); // a hole: Redis reports lag as nil
        GroupInfo info = client.groupInfo(s, "mid");
        assertEquals(34, info.lag(), info.toString());
        assertEquals(0, info.pending());
        assertEquals(ids.get(4), info.lastDelivered().orElseThrow());
        assertEquals(1, client.groups(s).size());
    }

    @Test
    void deletedGroupIsNotFoundAndAVanishedGroupIsDataLoss() {
        StreamName s = fresh("vanish");
        client.append(s, StreamRecord.of("x"));
        client.createGroup(s, "g1", GroupOptions.defaults());
        client.createGroup(s, "g2", GroupOptions.defaults());
        GroupConsumer c1 = client.openGroupConsumer(s, "g1", "m");
        GroupConsumer c2 = client.openGroupConsumer(s, "g2", "m");
        assertEquals(1, c1.poll(10, Duration.ZERO).size());
        assertTrue(client.deleteGroup(s, "g1"));
        assertFalse(client.deleteGroup(s, "g1"));
        assertEquals(
                ErrorKind.NOT_FOUND,
                assertThrows(StreamException.class, () -> c1.poll(10, Duration.ZERO))
                        .kind());
        assertEquals(1, c2.poll(10, Duration.ZERO).size(), "other groups are unaffected");
        // the server loses the group behind the client's back (as after a restart without persistence)
        redis().xgroupDestroy(s.value(), "g2");
        StreamException lost = assertThrows(StreamException.class, () -> c2.poll(10, Duration.ofMillis(100)));
        assertEquals(ErrorKind.DATA_LOSS, lost.kind(), lost.getMessage());
        assertEquals(
                ErrorKind.NOT_FOUND,
                assertThrows(StreamException.class, () -> client.openGroupConsumer(s, "nope", "m"))
                        .kind());
        assertEquals(
                ErrorKind.NOT_FOUND,
                assertThrows(StreamException.class, () -> client.groupInfo(fresh("missing"), "g"))
                        .kind());
    }

    @Test
    void aKeyOfAnotherTypeIsAConfigurationErrorNamingTheKey() {
        StreamName s = fresh("wrongtype");
        redis().set(s.value(), "not a stream");
        StreamException e = assertThrows(StreamException.class, () -> client.append(s, StreamRecord.of("x")));
        assertEquals(ErrorKind.CONFIGURATION, e.kind());
        assertTrue(e.getMessage().contains(s.value()), e.getMessage());
        assertTrue(client.health().up(), "the client still works");
    }

    @Test
    void tooLargeAndInvalidInputFailBeforeIo() {
        StreamName s = fresh("limits");
        int max = client.limits().maxPayloadBytes();
        client.append(s, StreamRecord.of(new byte[max]));
        assertEquals(
                ErrorKind.TOO_LARGE,
                assertThrows(StreamException.class, () -> client.append(s, StreamRecord.of(new byte[max + 1])))
                        .kind());
        assertEquals(1, client.info(s).length());
        assertEquals(
                ErrorKind.INVALID_ARGUMENT,
                assertThrows(StreamException.class, () -> client.parseId("42")).kind());
        assertEquals(EventId.of(5, 1), client.parseId("5-1"));
    }

    @Test
    void closeWakesBlockedReadsWhichFailClosed() throws Exception {
        StreamName s = fresh("wake");
        client.createGroup(s, "g", GroupOptions.defaults());
        StreamReader r = client.openReader(s, Position.latest());
        GroupConsumer c = client.openGroupConsumer(s, "g", "m");
        CompletableFuture<Throwable> reader =
                CompletableFuture.supplyAsync(() -> failure(() -> r.poll(1, Duration.ofMinutes(1))));
        CompletableFuture<Throwable> member =
                CompletableFuture.supplyAsync(() -> failure(() -> c.poll(1, Duration.ofMinutes(1))));
        sleep(500);
        long t0 = System.nanoTime();
        client.close();
        Throwable a = reader.get(2, TimeUnit.SECONDS);
        Throwable b = member.get(2, TimeUnit.SECONDS);
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(2));
        assertEquals(ErrorKind.CLOSED, ((StreamException) a).kind(), String.valueOf(a));
        assertEquals(ErrorKind.CLOSED, ((StreamException) b).kind(), String.valueOf(b));
        client.close();
        assertEquals(
                ErrorKind.CLOSED,
                assertThrows(StreamException.class, () -> client.info(s)).kind());
    }

    @Test
    void readerCloseWakesItsOwnBlockedPoll() throws Exception {
        StreamName s = fresh("rwake");
        StreamReader r = client.openReader(s, Position.latest());
        CompletableFuture<Throwable> f =
                CompletableFuture.supplyAsync(() -> failure(() -> r.poll(1, Duration.ofMinutes(1))));
        sleep(300);
        r.close();
        assertEquals(ErrorKind.CLOSED, ((StreamException) f.get(2, TimeUnit.SECONDS)).kind());
        assertTrue(client.health().up());
    }

    @Test
    void manyConcurrentBlockingReadsShareTheBoundedPool() throws Exception {
        StreamName s = fresh("pool");
        List<CompletableFuture<List<StreamEvent>>> polls = new ArrayList<>();
        List<StreamReader> readers = new ArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(12);
        for (int i = 0; i < 12; i++) {
            StreamReader r = client.openReader(s, Position.earliest());
            readers.add(r);
            polls.add(CompletableFuture.supplyAsync(() -> r.poll(1, Duration.ofSeconds(3)), pool));
        }
        sleep(300);
        client.append(s, StreamRecord.of("one"));
        int got = 0;
        for (CompletableFuture<List<StreamEvent>> p : polls) {
            got += p.get(10, TimeUnit.SECONDS).size() > 0 ? 1 : 0;
        }
        assertTrue(got >= 8, "the readers holding a pooled connection all saw the event: " + got);
        long clients = redis().clientList().lines().count();
        assertTrue(clients < 8 + 1 + 12, "connections stay bounded: " + clients);
        readers.forEach(StreamReader::close);
        pool.shutdownNow();
    }

    private static Throwable failure(Runnable r) {
        try {
            r.run();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
