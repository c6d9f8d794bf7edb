package dev.tributary.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.Capability;
import dev.tributary.ClientConfig;
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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kafka backend's own integration tests against the real broker of {@link KafkaFixture}: the
 * Kafka-specific parts of the contract (record layout as other Kafka clients see it, offsets as ids,
 * trimming with deleteRecords, group semantics over Kafka consumer groups, error mapping). The
 * portable rules run in {@link KafkaTckIT}.
 */
class KafkaClientIT {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final String RUN = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
    private static StreamClient client;

    @BeforeAll
    static void open() {
        client = StreamClients.open(KafkaFixture.shared().config());
    }

    @AfterAll
    static void close() {
        if (client != null) {
            client.close();
        }
    }

    static StreamName fresh(String what) {
        return StreamName.of("it-" + RUN + "-" + what + "-" + SEQ.incrementAndGet());
    }

    static StreamRecord rec(String payload) {
        return StreamRecord.of(payload);
    }

    @Test
    void discoveredByScheme() {
        assertEquals("kafka", client.backend());
        assertTrue(client.supports(Capability.CONSUMER_GROUPS));
        assertFalse(client.supports(Capability.IDEMPOTENT_APPEND));
        assertFalse(client.supports(Capability.PARTITIONED));
        assertTrue(client.health().up(), "health: " + client.health());
    }

    @Test
    void offsetsAreIdsAndRecordsAreOrdinaryKafkaRecords() {
        StreamName s = fresh("layout");
        client.createStream(s);
        client.createStream(s); // idempotent
        StreamRecord r = StreamRecord.builder()
                .payload(new byte[0])
                .key(new byte[0])
                .header("a", "1")
                .header("a", "ü\r\n:\"")
                .build();
        EventId id0 = client.append(s, r);
        EventId id1 = client.append(s, StreamRecord.builder().payload("x").build());
        assertEquals(EventId.ofSequence(0), id0);
        assertEquals(EventId.ofSequence(1), id1);
        assertEquals(id1, client.parseId(id1.toString()));
        assertEquals(
                ErrorKind.INVALID_ARGUMENT,
                assertThrows(StreamException.class, () -> client.parseId("1-2")).kind());

        // a plain Kafka consumer sees a 0-byte value (not a tombstone), a 0-byte key, then a null key
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(
                Map.of("bootstrap.servers", KafkaFixture.shared().config().uri().getRawAuthority()),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(s.value(), 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (got.size() < 2 && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(got::add);
            }
            assertEquals(2, got.size());
            assertNotNull(got.get(0).value(), "an empty payload must not become a tombstone");
            assertEquals(0, got.get(0).value().length);
            assertNotNull(got.get(0).key());
            assertEquals(0, got.get(0).key().length);
            assertEquals(
                    "ü\r\n:\"", new String(got.get(0).headers().lastHeader("a").value(), StandardCharsets.UTF_8));
            assertNull(got.get(1).key());
        }
        List<StreamEvent> back = client.range(s, Position.earliest(), null, 10);
        assertEquals(2, back.size());
        assertEquals(0, back.get(0).payload().length);
        assertArrayEquals(new byte[0], back.get(0).key());
        assertEquals(Headers.of("a", "1", "a", "ü\r\n:\""), back.get(0).headers());
        assertNull(back.get(1).key());
    }

    @Test
    void appendToMissingStreamFailsNotFoundQuickly() {
        StreamName s = fresh("missing");
        long t0 = System.nanoTime();
        StreamException e = assertThrows(StreamException.class, () -> client.append(s, rec("x")));
        assertEquals(ErrorKind.NOT_FOUND, e.kind());
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10));
        assertFalse(client.info(s).exists());
        assertTrue(client.range(s, Position.earliest(), null, 10).isEmpty());
        assertEquals(
                ErrorKind.NOT_FOUND,
                assertThrows(StreamException.class, () -> client.openGroupConsumer(s, "g", "m"))
                        .kind());
    }

    @Test
    void tooLargeAndIdempotencyIdFailBeforeIo() {
        StreamName s = fresh("large");
        client.createStream(s);
        byte[] max = new byte[client.limits().maxPayloadBytes()];
        assertEquals(EventId.ofSequence(0), client.append(s, StreamRecord.of(max)));
        StreamException e =
                assertThrows(StreamException.class, () -> client.append(s, StreamRecord.of(new byte[max.length + 1])));
        assertEquals(ErrorKind.TOO_LARGE, e.kind());
        assertEquals(
                ErrorKind.UNSUPPORTED,
                assertThrows(StreamException.class, () -> client.append(s, rec("x").withIdempotencyId("k1")))
                        .kind());
        assertEquals(1, client.info(s).length());
    }

    @Test
    void batchesReadersAndPositions() throws Exception {
        StreamName s = fresh("read");
        client.createStream(s);
        List<StreamRecord> batch = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            batch.add(rec("e" + i));
        }
        List<EventId> ids = client.appendBatch(s, batch);
        assertEquals(250, ids.size());
        for (int i = 0; i < ids.size(); i++) {
            assertEquals(EventId.ofSequence(i), ids.get(i));
        }
        try (StreamReader r = client.openReader(s, Position.earliest())) {
            List<StreamEvent> all = new ArrayList<>();
            while (all.size() < 250) {
                List<StreamEvent> got = r.poll(100, Duration.ofSeconds(5));
                assertFalse(got.isEmpty());
                all.addAll(got);
            }
            for (int i = 0; i < 250; i++) {
                assertEquals("e" + i, all.get(i).payloadAsString());
            }
            assertEquals(Position.after(ids.get(249)), r.position());
        }
        try (StreamReader r = client.openReader(s, Position.latest())) {
            assertTrue(r.poll(10, Duration.ofMillis(300)).isEmpty());
            EventId next = client.append(s, rec("late"));
            List<StreamEvent> got = r.poll(10, Duration.ofSeconds(5));
            assertEquals(1, got.size());
            assertEquals(next, got.get(0).id());
        }
        try (StreamReader r = client.openReader(s, Position.after(ids.get(99)))) {
            assertEquals(ids.get(100), r.poll(1, Duration.ofSeconds(5)).get(0).id());
            assertEquals(ids.get(101), r.poll(1, Duration.ZERO).get(0).id());
        }
        // paging with range
        List<StreamEvent> paged = new ArrayList<>();
        Position from = Position.earliest();
        while (true) {
            List<StreamEvent> page = client.range(s, from, ids.get(199), 33);
            if (page.isEmpty()) {
                break;
            }
            paged.addAll(page);
            from = Position.after(page.get(page.size() - 1).id());
        }
        assertEquals(200, paged.size());
        assertEquals(ids.get(199), paged.get(199).id());
        // time position
        Thread.sleep(20);
        Instant t = Instant.now();
        Thread.sleep(20);
        EventId later = client.append(s, rec("after-t"));
        try (StreamReader r = client.openReader(s, Position.at(t))) {
            assertEquals(later, r.poll(5, Duration.ofSeconds(5)).get(0).id());
        }
        StreamInfo info = client.info(s);
        assertEquals(252, info.length());
        assertEquals(EventId.ofSequence(0), info.firstId().orElseThrow());
        assertEquals(later, info.lastId().orElseThrow());
        assertFalse(info.lastTimestamp()
                .orElseThrow()
                .isBefore(info.firstTimestamp().orElseThrow()));
    }

    @Test
    void trimmingReportsGapsAndCounts() {
        StreamName s = fresh("trim");
        client.createStream(s);
        List<StreamRecord> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            batch.add(rec("t" + i));
        }
        List<EventId> ids = client.appendBatch(s, batch);
        StreamReader stale = client.openReader(s, Position.after(ids.get(2)));
        assertEquals(5, client.trim(s, Trim.below(ids.get(5))));
        assertEquals(15, client.info(s).length());
        StreamException gap = assertThrows(StreamException.class, () -> stale.poll(10, Duration.ofSeconds(2)));
        assertEquals(ErrorKind.DATA_LOSS, gap.kind());
        assertEquals(Position.after(ids.get(2)), stale.position(), "the reader stays where it was");
        assertEquals(
                ErrorKind.DATA_LOSS,
                assertThrows(StreamException.class, () -> client.range(s, Position.after(ids.get(1)), null, 10))
                        .kind());
        assertEquals(5, client.trim(s, Trim.toLength(10)));
        assertEquals(ids.get(10), client.info(s).firstId().orElseThrow());
        assertEquals(0, client.trim(s, Trim.olderThan(Duration.ofHours(1))));
        assertEquals(10, client.trim(s, Trim.olderThan(Duration.ZERO)));
        StreamInfo info = client.info(s);
        assertTrue(info.exists());
        assertEquals(0, info.length());
        stale.close();
    }

    @Test
    void closeWakesABlockedRead() throws Exception {
        StreamName s = fresh("wake");
        client.createStream(s);
        try (StreamClient c = StreamClients.open(KafkaFixture.shared().config())) {
            StreamReader r = c.openReader(s, Position.latest());
            ExecutorService ex = Executors.newSingleThreadExecutor();
            Future<Object> f = ex.submit(() -> r.poll(10, Duration.ofSeconds(60)));
            Thread.sleep(500);
            long t0 = System.nanoTime();
            c.close();
            Exception e = assertThrows(Exception.class, () -> f.get(5, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof StreamException se && se.kind() == ErrorKind.CLOSED, e.toString());
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(3));
            ex.shutdownNow();
            assertEquals(
                    ErrorKind.CLOSED,
                    assertThrows(StreamException.class, () -> c.append(s, rec("x")))
                            .kind());
        }
    }

    @Test
    void groupDeliversAcksAndRedelivers() {
        StreamName s = fresh("group");
        client.createStream(s);
        client.appendBatch(s, List.of(rec("a"), rec("b"), rec("c")));
        client.createGroup(s, "g", GroupOptions.defaults().withAckTimeout(Duration.ofSeconds(1)));
        client.createGroup(s, "g", GroupOptions.defaults()); // idempotent, keeps the 1 s timeout
        client.createGroup(s, "other", GroupOptions.defaults());
        try (GroupConsumer m = client.openGroupConsumer(s, "g", "m1")) {
            List<StreamEvent> got = pollUntil(m, 3, Duration.ofSeconds(20));
            assertEquals(
                    List.of("a", "b", "c"),
                    got.stream().map(StreamEvent::payloadAsString).toList());
            assertTrue(got.stream().allMatch(e -> e.deliveryCount() == 1));
            assertEquals(1, m.ack(got.get(0).id()).acked());
            assertEquals(new dev.tributary.AckResult(0, 2), m.ack(got.get(0).id(), EventId.ofSequence(999)));
            m.nack(List.of(got.get(1).id()));
            List<StreamEvent> re = pollUntil(m, 1, Duration.ofSeconds(5));
            assertEquals("b", re.get(0).payloadAsString());
            assertEquals(2, re.get(0).deliveryCount());
            GroupInfo gi = client.groupInfo(s, "g");
            assertEquals(2, gi.pending(), gi.toString());
            assertEquals(0, gi.lag(), gi.toString());
            // c not acked: comes back after the 1 s ack timeout
            List<StreamEvent> timedOut = pollUntil(m, 2, Duration.ofSeconds(10));
            assertTrue(timedOut.stream().allMatch(e -> e.deliveryCount() >= 2), timedOut.toString());
            m.ack(timedOut.stream().map(StreamEvent::id).toList());
            assertEquals(0, client.groupInfo(s, "g").pending());
        }
        // the other group sees everything from the start
        try (GroupConsumer o = client.openGroupConsumer(s, "other", "x")) {
            assertEquals(3, pollUntil(o, 3, Duration.ofSeconds(20)).size());
        }
        // a new member resumes after the acked prefix
        client.append(s, rec("d"));
        try (GroupConsumer m2 = client.openGroupConsumer(s, "g", "m2")) {
            List<StreamEvent> got = pollUntil(m2, 1, Duration.ofSeconds(20));
            assertEquals("d", got.get(0).payloadAsString());
        }
        assertEquals(
                List.of("g", "other"),
                client.groups(s).stream().map(GroupInfo::group).toList());
        assertTrue(client.deleteGroup(s, "g"));
        assertFalse(client.deleteGroup(s, "g"));
        assertEquals(
                ErrorKind.NOT_FOUND,
                assertThrows(StreamException.class, () -> client.groupInfo(s, "g"))
                        .kind());
        assertEquals(
                List.of("other"),
                client.groups(s).stream().map(GroupInfo::group).toList());
    }

    @Test
    void withACommitIntervalAMemberCommitsWhenItGoesIdleNotAfterEveryPoll() throws Exception {
        StreamName s = fresh("commit-interval");
        client.createStream(s);
        List<StreamRecord> recs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            recs.add(rec("e" + i));
        }
        client.appendBatch(s, recs);
        client.createGroup(s, "g", GroupOptions.defaults());
        ClientConfig every10s = KafkaFixture.shared().config().toBuilder()
                .option("commitInterval", "10s")
                .build();
        TopicPartition tp = new TopicPartition(s.value(), 0);
        String groupId = s.value() + ".g";
        try (StreamClient c = StreamClients.open(every10s);
                org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(Map.of(
                        "bootstrap.servers",
                        KafkaFixture.shared().config().uri().getRawAuthority()));
                GroupConsumer m = c.openGroupConsumer(s, "g", "m")) {
            m.ack(pollUntil(m, 10, Duration.ofSeconds(20)).stream()
                    .map(StreamEvent::id)
                    .toList());
            m.ack(pollUntil(m, 10, Duration.ofSeconds(5)).stream()
                    .map(StreamEvent::id)
                    .toList());
            m.ack(pollUntil(m, 10, Duration.ofSeconds(5)).stream()
                    .map(StreamEvent::id)
                    .toList());
            Thread.sleep(1_000); // room for a commit that should not be sent
            assertEquals(0, committed(admin, groupId, tp), "events flowing: no commit within the 10 s interval");
            m.ack(pollUntil(m, 10, Duration.ofSeconds(5)).stream()
                    .map(StreamEvent::id)
                    .toList());
            assertEquals(List.of(), m.poll(10, Duration.ofMillis(200)), "all 40 read"); // finds nothing: commits
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (committed(admin, groupId, tp) != 40 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(40, committed(admin, groupId, tp), "a poll that found nothing committed every ack");
        }
    }

    private static long committed(org.apache.kafka.clients.admin.Admin admin, String groupId, TopicPartition tp)
            throws Exception {
        var offsets = admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS);
        var om = offsets.get(tp);
        return om == null ? -1 : om.offset();
    }

    @Test
    void unackedEventsMoveToAnotherMemberWithRaisedCount() {
        StreamName s = fresh("handoff");
        client.createStream(s);
        client.createGroup(s, "g", GroupOptions.defaults().withAckTimeout(Duration.ofSeconds(1)));
        client.appendBatch(s, List.of(rec("1"), rec("2"), rec("3")));
        Set<String> seen = new HashSet<>();
        try (GroupConsumer a = client.openGroupConsumer(s, "g", "a")) {
            List<StreamEvent> got = pollUntil(a, 3, Duration.ofSeconds(20));
            a.ack(got.get(0).id());
        } // dies with 2 and 3 unacked
        try (StreamClient other = StreamClients.open(KafkaFixture.shared().config());
                GroupConsumer b = other.openGroupConsumer(s, "g", "b")) {
            List<StreamEvent> got = pollUntil(b, 2, Duration.ofSeconds(30));
            for (StreamEvent e : got) {
                seen.add(e.payloadAsString());
                assertTrue(e.deliveryCount() >= 2, "delivery count after hand-off: " + e);
            }
            b.ack(got.stream().map(StreamEvent::id).toList());
        }
        assertEquals(Set.of("2", "3"), seen);
    }

    @Test
    void concurrentAppendsKeepPerThreadOrder() throws Exception {
        StreamName s = fresh("conc");
        client.createStream(s);
        int threads = 8;
        int per = 500;
        ExecutorService ex = Executors.newFixedThreadPool(threads);
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int tt = t;
            fs.add(ex.submit(() -> {
                List<CompletableFuture<EventId>> mine = new ArrayList<>();
                for (int i = 0; i < per; i++) {
                    mine.add(client.appendAsync(s, rec(tt + "/" + i)));
                }
                mine.forEach(CompletableFuture::join);
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get(60, TimeUnit.SECONDS);
        }
        ex.shutdown();
        List<StreamEvent> all = new ArrayList<>();
        Position from = Position.earliest();
        while (true) {
            List<StreamEvent> page = client.range(s, from, null, 1000);
            if (page.isEmpty()) {
                break;
            }
            all.addAll(page);
            from = Position.after(page.get(page.size() - 1).id());
        }
        assertEquals(threads * per, all.size());
        int[] last = new int[threads];
        java.util.Arrays.fill(last, -1);
        for (StreamEvent e : all) {
            String[] p = e.payloadAsString().split("/");
            int t = Integer.parseInt(p[0]);
            int i = Integer.parseInt(p[1]);
            assertEquals(last[t] + 1, i, "per-thread order");
            last[t] = i;
        }
    }

    @Test
    void wrongCredentialsFailAsAuthentication() {
        ClientConfig bad = KafkaFixture.shared().wrongCredentials().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(bad != null, "needs the local broker's SASL listener");
        StreamException e = assertThrows(StreamException.class, () -> {
            try (StreamClient c = StreamClients.open(bad)) {
                c.createStream(fresh("auth"));
            }
        });
        assertEquals(ErrorKind.AUTHENTICATION, e.kind(), e.toString());
        assertTrue(e.isFatal());
        try (StreamClient ok =
                StreamClients.open(KafkaFixture.shared().saslConfig().orElseThrow())) {
            StreamName s = fresh("sasl");
            ok.createStream(s);
            assertEquals(EventId.ofSequence(0), ok.append(s, rec("over SASL")));
        }
    }

    @Test
    void partitionedStreamsKeepOrderPerKeyAndAreReadThroughGroups() throws Exception {
        ClientConfig cfg = KafkaFixture.shared().config().toBuilder()
                .option("partitions", "3")
                .build();
        StreamName s = fresh("parts");
        try (StreamClient p = StreamClients.open(cfg)) {
            assertTrue(p.supports(Capability.PARTITIONED));
            assertTrue(p.supports(Capability.TRIM_BY_LENGTH));
            p.createStream(s);
            p.createGroup(s, "g", GroupOptions.defaults());
            List<StreamRecord> batch = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                batch.add(StreamRecord.builder()
                        .key("k" + (i % 6))
                        .payload("k" + (i % 6) + "/" + i)
                        .build());
            }
            List<EventId> ids = p.appendBatch(s, batch);
            assertTrue(ids.stream().allMatch(EventId::isPartitioned), ids.toString());
            assertEquals(ids.get(0), p.parseId(ids.get(0).toString()));
            assertEquals(
                    ErrorKind.INVALID_ARGUMENT,
                    assertThrows(StreamException.class, () -> p.parseId("5")).kind());
            assertEquals(60, p.info(s).length());
            try (StreamReader r = p.openReader(s, Position.earliest())) {
                List<StreamEvent> got = new ArrayList<>();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (got.size() < 60 && System.nanoTime() < deadline) {
                    got.addAll(r.poll(100, Duration.ofMillis(200)));
                }
                assertEquals(
                        Set.copyOf(ids),
                        Set.copyOf(got.stream().map(StreamEvent::id).toList()),
                        "a tail reader reads every partition");
                assertEquals(3, r.cursor().partitionCount());
            }
            // the one-partition client refuses to read one partition of it
            assertEquals(
                    ErrorKind.CONFIGURATION,
                    assertThrows(StreamException.class, () -> client.range(s, Position.earliest(), null, 10))
                            .kind());
            // two members share the partitions; together they get everything, in order per key
            Map<String, List<Integer>> perKey = new java.util.concurrent.ConcurrentHashMap<>();
            Set<String> members = java.util.concurrent.ConcurrentHashMap.newKeySet();
            AtomicInteger total = new AtomicInteger();
            ExecutorService ex = Executors.newFixedThreadPool(2);
            List<Future<?>> fs = new ArrayList<>();
            for (String name : List.of("a", "b")) {
                fs.add(ex.submit(() -> {
                    try (GroupConsumer m = p.openGroupConsumer(s, "g", name)) {
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                        while (total.get() < 60 && System.nanoTime() < deadline) {
                            List<StreamEvent> got = m.poll(50, Duration.ofMillis(200));
                            for (StreamEvent e : got) {
                                String[] kv = e.payloadAsString().split("/");
                                perKey.computeIfAbsent(
                                                kv[0], k -> java.util.Collections.synchronizedList(new ArrayList<>()))
                                        .add(Integer.parseInt(kv[1]));
                                members.add(name);
                            }
                            total.addAndGet(got.size());
                            m.ack(got.stream().map(StreamEvent::id).toList());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get(60, TimeUnit.SECONDS);
            }
            ex.shutdown();
            assertEquals(60, total.get());
            for (Map.Entry<String, List<Integer>> e : perKey.entrySet()) {
                List<Integer> sorted = new ArrayList<>(e.getValue());
                sorted.sort(null);
                assertEquals(sorted, e.getValue(), "order per key " + e.getKey());
            }
            assertEquals(0, p.groupInfo(s, "g").pending());
            assertTrue(p.deleteStream(s));
        }
    }

    @Test
    void aPartitionedStreamIsPagedWithACursorAndDescribedPerPartition() {
        ClientConfig cfg = KafkaFixture.shared().config().toBuilder()
                .option("partitions", "2")
                .build();
        StreamName s = fresh("pages");
        try (StreamClient p = StreamClients.open(cfg)) {
            p.createStream(s, dev.tributary.StreamOptions.partitions(3)); // the options' count, not the URI's
            List<EventId> ids = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                ids.add(p.append(
                        s,
                        StreamRecord.builder()
                                .key("k" + (i % 7))
                                .payload("e" + i)
                                .build()));
            }
            for (int i = 0; i < 30; i++) {
                assertEquals(
                        dev.tributary.Partitioner.partition(("k" + (i % 7)).getBytes(StandardCharsets.UTF_8), 3),
                        ids.get(i).partition(),
                        "Kafka's partitioner and Tributary's agree for key k" + (i % 7));
            }
            StreamInfo info = p.info(s);
            assertEquals(3, info.partitionCount());
            assertEquals(30, info.length());
            for (int part = 0; part < 3; part++) {
                final int q = part;
                long n = ids.stream().filter(id -> id.partition() == q).count();
                assertEquals(n, info.partitions().get(part).length(), "partition " + part);
            }
            dev.tributary.Cursor cursor = dev.tributary.Cursor.earliest(3);
            List<StreamEvent> all = new ArrayList<>();
            for (int pages = 0; pages < 20; pages++) {
                List<StreamEvent> page = p.range(s, Position.after(cursor), null, 4);
                if (page.isEmpty()) {
                    break;
                }
                all.addAll(page);
                cursor = dev.tributary.Cursor.parse(cursor.advance(page).toString());
            }
            assertEquals(
                    Set.copyOf(ids),
                    Set.copyOf(all.stream().map(StreamEvent::id).toList()));
            assertEquals(30, all.size(), "no event twice");
            for (int i = 1; i < all.size(); i++) {
                assertFalse(
                        all.get(i).timestamp().isBefore(all.get(i - 1).timestamp()),
                        "pages together are in timestamp order: " + all);
            }
            assertEquals(
                    Set.copyOf(all.subList(0, 5)),
                    Set.copyOf(p.range(s, Position.earliest(), null, 5)),
                    "earliest is the start of every partition");
            for (dev.tributary.StreamException e : List.of(
                    assertThrows(StreamException.class, () -> p.range(s, Position.after(ids.get(0)), null, 5)),
                    assertThrows(StreamException.class, () -> p.range(s, Position.earliest(), ids.get(0), 5)),
                    assertThrows(
                            StreamException.class,
                            () -> p.range(s, Position.after(dev.tributary.Cursor.earliest(2)), null, 5)))) {
                assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
                assertTrue(e.getMessage().contains("cursor") || e.getMessage().contains("toInclusive"), e.getMessage());
            }
            long expected = 0;
            for (int part = 0; part < 3; part++) {
                expected += Math.max(0, info.partitions().get(part).length() - 2);
            }
            assertEquals(expected, p.trim(s, Trim.toLength(2)), "a length trim applies to each partition");
            StreamInfo trimmed = p.info(s);
            for (StreamInfo part : trimmed.partitions()) {
                assertTrue(part.length() <= 2, trimmed.toString());
            }
            EventId newest = trimmed.lastId().orElseThrow();
            p.trim(s, Trim.below(newest));
            assertEquals(1, p.info(s).partitions().get(newest.partition()).length(), "below trims its partition");
            assertTrue(p.deleteStream(s));
        }
    }

    static List<StreamEvent> pollUntil(GroupConsumer m, int n, Duration timeout) {
        List<StreamEvent> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (out.size() < n && System.nanoTime() < deadline) {
            out.addAll(m.poll(n - out.size(), Duration.ofMillis(500)));
        }
        assertEquals(n, out.size(), "events within " + timeout + ": " + out);
        return out;
    }
}
