package dev.tributary.memory;

import static dev.tributary.memory.Fixtures.client;
import static dev.tributary.memory.Fixtures.fails;
import static dev.tributary.memory.Fixtures.fresh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.AckResult;
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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The memory backend as the reference for partitioned streams (the kit's K rules run in stream-tck). */
class PartitionedStreamTest {
    private static final Instant T0 = Instant.parse("2026-12-03T00:00:00Z");

    private static StreamRecord keyed(String key, String payload) {
        return StreamRecord.builder().key(key).payload(payload).build();
    }

    private static int partitionOf(String key, int n) {
        return Partitioner.partition(key.getBytes(StandardCharsets.UTF_8), n);
    }

    private static String keyIn(int partition, int n) {
        for (int i = 0; ; i++) {
            if (partitionOf("k" + i, n) == partition) {
                return "k" + i;
            }
        }
    }

    private static List<String> payloads(List<StreamEvent> events) {
        List<String> out = new ArrayList<>();
        events.forEach(e -> out.add(e.payloadAsString()));
        return out;
    }

    @Test
    void keysChooseTheirPartitionAndKeylessRecordsAreSpreadOrFollowTheirIdempotencyId() {
        try (StreamClient c = client("")) {
            StreamName s = fresh("part");
            c.createStream(s, StreamOptions.partitions(3));
            c.createStream(s, StreamOptions.partitions(5)); // exists: keeps 3
            assertEquals(3, c.info(s).partitionCount());
            EventId a = c.append(s, keyed("alpha", "a"));
            assertEquals(partitionOf("alpha", 3), a.partition());
            assertTrue(a.isPartitioned());
            Set<Integer> spread = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                spread.add(c.append(s, StreamRecord.builder().payload("x" + i).build())
                        .partition());
            }
            assertEquals(Set.of(0, 1, 2), spread, "records without a key go round robin");
            StreamRecord idem =
                    StreamRecord.builder().payload("i").idempotencyId("op-1").build();
            EventId first = c.append(s, idem);
            assertEquals(first, c.append(s, idem), "a retry lands in the same partition and is recognised");
            assertEquals(partitionOf("op-1", 3), first.partition());
            List<EventId> batch = c.appendBatch(s, List.of(keyed("alpha", "a2"), keyed("beta", "b")));
            assertEquals(partitionOf("alpha", 3), batch.get(0).partition());
            assertEquals(partitionOf("beta", 3), batch.get(1).partition());
            assertEquals(7, c.info(s).length());
            assertEquals(c.parseId(batch.get(1).toString()), batch.get(1));
            fails(ErrorKind.INVALID_ARGUMENT, () -> c.parseId("1/2-3"));
        }
    }

    @Test
    void aFullPartitionRefusesTheWholeBatch() {
        try (StreamClient c = client("maxStreamBytes=10")) {
            StreamName s = fresh("full");
            c.createStream(s, StreamOptions.partitions(2));
            String k0 = keyIn(0, 2);
            String other = keyIn(1, 2);
            StreamException e = assertThrowsStream(
                    () -> c.appendBatch(s, List.of(keyed(k0, "small"), keyed(other, "far too large a payload"))));
            assertEquals(ErrorKind.BACKPRESSURE, e.kind());
            assertTrue(e.getMessage().contains("partition "), e.getMessage());
            assertEquals(0, c.info(s).length(), "nothing of a refused batch is stored");
        }
    }

    private static StreamException assertThrowsStream(org.junit.jupiter.api.function.Executable call) {
        return org.junit.jupiter.api.Assertions.assertThrows(StreamException.class, call);
    }

    @Test
    void readersRangesAndTimesCoverEveryPartitionAndTheCursorResumes() {
        MutableClock clock = new MutableClock(T0);
        try (StreamClient c = client("", clock)) {
            StreamName s = fresh("read");
            // a reader opened while the stream is missing applies its start to every partition later
            StreamReader early = c.openReader(s, Position.latest());
            c.createStream(s, StreamOptions.partitions(3));
            for (int i = 0; i < 9; i++) {
                clock.advance(Duration.ofSeconds(1));
                c.append(s, keyed("k" + i, "e" + i));
            }
            assertEquals(9, early.poll(100, Duration.ZERO).size());
            assertEquals(3, early.cursor().partitionCount());
            early.close();
            try (StreamReader r = c.openReader(s, Position.earliest())) {
                List<StreamEvent> got = r.poll(4, Duration.ZERO);
                assertEquals(List.of("e0", "e1", "e2", "e3"), payloads(got), "by timestamp across partitions");
                Cursor saved = Cursor.parse(r.cursor().toString());
                try (StreamReader rest = c.openReader(s, Position.after(saved))) {
                    assertEquals(List.of("e4", "e5", "e6", "e7", "e8"), payloads(rest.poll(100, Duration.ZERO)));
                }
            }
            assertEquals(List.of("e6", "e7", "e8"), payloads(c.range(s, Position.at(T0.plusSeconds(7)), null, 100)));
            try (StreamReader at = c.openReader(s, Position.at(T0.plusSeconds(8)))) {
                assertTrue(at.cursor().toString().contains("@"), at.cursor().toString());
                assertEquals(List.of("e7", "e8"), payloads(at.poll(100, Duration.ZERO)));
            }
            try (StreamReader latest = c.openReader(s, Position.latest())) {
                assertEquals(List.of(), latest.poll(10, Duration.ZERO));
                c.append(s, keyed("k0", "late"));
                assertEquals(List.of("late"), payloads(latest.poll(10, Duration.ofSeconds(1))));
            }
            fails(ErrorKind.INVALID_ARGUMENT, () -> c.openReader(s, Position.after(EventId.ofSequence(1))));
            fails(ErrorKind.INVALID_ARGUMENT, () -> c.range(s, Position.earliest(), EventId.parse("0/1"), 10));
            fails(ErrorKind.INVALID_ARGUMENT, () -> c.range(s, Position.after(Cursor.earliest(2)), null, 10));
            StreamName plain = fresh("plain");
            c.createStream(plain);
            c.append(plain, keyed("k", "p"));
            fails(ErrorKind.INVALID_ARGUMENT, () -> c.openReader(plain, Position.after(EventId.parse("0/1"))));
            assertEquals(List.of("p"), payloads(c.range(plain, Position.after(Cursor.earliest(1)), null, 10)));
            try (StreamReader missing = c.openReader(fresh("gone"), Position.after(Cursor.earliest(3)))) {
                assertEquals(3, missing.cursor().partitionCount(), "a saved cursor of a missing stream is kept");
            }
        }
    }

    @Test
    void infoTrimAndDataLossArePerPartition() {
        try (StreamClient c = client("")) {
            StreamName s = fresh("trim");
            c.createStream(s, StreamOptions.partitions(2));
            assertEquals(0, c.info(s).length());
            String k0 = keyIn(0, 2);
            String k1 = keyIn(1, 2);
            List<EventId> zero = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                zero.add(c.append(s, keyed(k0, "z" + i)));
                c.append(s, keyed(k1, "o" + i));
            }
            StreamInfo info = c.info(s);
            assertEquals(8, info.length());
            assertEquals(4, info.partitions().get(0).length());
            assertEquals(zero.get(0).local(), info.partitions().get(0).firstId().orElseThrow());
            Cursor start = Cursor.earliest(2);
            assertEquals(1, c.trim(s, Trim.below(zero.get(1))), "below trims the id's partition only");
            StreamException loss = fails(
                    ErrorKind.DATA_LOSS,
                    () -> c.range(
                            s, Position.after(start.after(EventId.inPartition(0, EventId.ofSequence(0)))), null, 10));
            assertTrue(loss.getMessage().contains("partition 0"), loss.getMessage());
            assertEquals(1, c.trim(s, Trim.toLength(3)), "length applies to each partition");
            assertEquals(6, c.info(s).length());
            assertEquals(6, c.trim(s, Trim.olderThan(Duration.ZERO)));
            fails(ErrorKind.INVALID_ARGUMENT, () -> c.trim(s, Trim.below(EventId.ofSequence(3))));
        }
    }

    @Test
    void aGroupReadsEveryPartitionAcksByPartitionAndReportsTotals() {
        try (StreamClient c = client("")) {
            StreamName s = fresh("group");
            c.createStream(s, StreamOptions.partitions(3));
            for (int i = 0; i < 6; i++) {
                c.append(s, keyed("k" + i, "e" + i));
            }
            c.createGroup(s, "g", GroupOptions.defaults().withAckTimeout(Duration.ofMillis(50)));
            c.createGroup(s, "late", GroupOptions.defaults().withStart(Position.latest()));
            fails(
                    ErrorKind.INVALID_ARGUMENT,
                    () -> c.createGroup(
                            s, "one-id", GroupOptions.defaults().withStart(Position.after(EventId.ofSequence(1)))));
            try (GroupConsumer m = c.openGroupConsumer(s, "g", "m")) {
                List<StreamEvent> got = m.poll(100, Duration.ZERO);
                assertEquals(6, got.size());
                GroupInfo info = c.groupInfo(s, "g");
                assertEquals(6, info.pending());
                assertEquals(0, info.lag());
                assertTrue(info.lastDelivered().orElseThrow().isPartitioned());
                AckResult r = m.ack(List.of(got.get(0).id(), got.get(0).id().local(), EventId.parse("9/1")));
                assertEquals(new AckResult(1, 2), r);
                m.nack(List.of(got.get(1).id(), EventId.parse("9/1")));
                List<StreamEvent> again = m.poll(100, Duration.ofSeconds(2));
                assertTrue(again.stream().anyMatch(e -> e.id().equals(got.get(1).id())), "nacked: redelivered");
                assertEquals(2, c.groups(s).size());
                assertEquals(6, c.groupInfo(s, "late").lag() + 6, "late starts after every partition's end");
            }
            assertTrue(c.deleteGroup(s, "g"));
            fails(ErrorKind.NOT_FOUND, () -> c.groupInfo(s, "g"));
        }
    }
}
