package dev.tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Partitioned ids, cursors, the partitioner and partitioned stream info. */
class PartitionsTest {
    private static final StreamName S = StreamName.of("orders");

    @Test
    void aPartitionedIdCarriesItsPartitionAndRoundTrips() {
        EventId id = EventId.inPartition(3, EventId.ofSequence(42));
        assertEquals("3/42", id.toString());
        assertEquals(id, EventId.parse("3/42"));
        assertTrue(id.isPartitioned());
        assertEquals(3, id.partition());
        assertEquals(EventId.ofSequence(42), id.local());
        EventId pair = EventId.parse("11/1700000000000-3");
        assertEquals(11, pair.partition());
        assertEquals(EventId.of(1700000000000L, 3), pair.local());
        assertTrue(pair.isPair());
        assertNotEquals(EventId.ofSequence(42), id);
        assertFalse(EventId.ofSequence(42).isPartitioned());
        assertEquals(0, EventId.ofSequence(42).partition());
    }

    @Test
    void partitionedIdsOrderByPartitionThenId() {
        assertTrue(EventId.parse("1/5").compareTo(EventId.parse("2/1")) < 0);
        assertTrue(EventId.parse("2/6").isAfter(EventId.parse("2/5")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/42", "x/42", "-1/42", "3/", "3/4/5", "12345/1", "1024/1"})
    void malformedPartitionedIdsAreInvalid(String text) {
        StreamException e = assertThrows(StreamException.class, () -> EventId.parse(text));
        assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
    }

    @Test
    void aPartitionedIdCannotBePartitionedAgain() {
        EventId id = EventId.parse("1/5");
        assertEquals(
                ErrorKind.INVALID_ARGUMENT,
                assertThrows(StreamException.class, () -> EventId.inPartition(2, id))
                        .kind());
        assertEquals(
                ErrorKind.INVALID_ARGUMENT,
                assertThrows(StreamException.class, () -> EventId.inPartition(-1, EventId.ofSequence(1)))
                        .kind());
    }

    @Test
    void aCursorRoundTripsThroughItsText() {
        Cursor c = Cursor.of(List.of(
                Position.after(EventId.ofSequence(41)),
                Position.earliest(),
                Position.after(EventId.of(1700000000000L, 3)),
                Position.at(Instant.parse("2026-12-03T06:00:00.123Z"))));
        assertEquals("41,-,1700000000000-3,@2026-12-03T06:00:00.123Z", c.toString());
        assertEquals(c, Cursor.parse(c.toString()));
        assertEquals(4, c.partitionCount());
        assertEquals(Position.earliest(), c.position(1));
    }

    @Test
    void aOnePartitionCursorReadsAsItsId() {
        assertEquals(
                "42", Cursor.of(List.of(Position.after(EventId.ofSequence(42)))).toString());
        assertEquals(Cursor.earliest(1), Cursor.parse("-"));
    }

    @Test
    void aCursorAdvancesPastEventsOfEachPartition() {
        Cursor c = Cursor.earliest(3);
        Cursor moved = c.advance(List.of(event("0/5"), event("2/7"), event("0/6")));
        assertEquals("6,-,7", moved.toString());
        assertEquals(
                "6,-,7",
                c.after(EventId.parse("0/6")).after(EventId.parse("2/7")).toString());
        assertEquals("-,-,-", c.toString());
        assertEquals(
                ErrorKind.INVALID_ARGUMENT,
                assertThrows(StreamException.class, () -> c.after(EventId.parse("3/1")))
                        .kind());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1,,2", "1,x", "@yesterday", "1,3/4", ","})
    void malformedCursorsAreInvalidAndNameTheEntry(String text) {
        StreamException e = assertThrows(StreamException.class, () -> Cursor.parse(text));
        assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
    }

    @Test
    void aCursorHoldsNoLatestAndNoPartitionedId() {
        assertThrows(StreamException.class, () -> Cursor.of(List.of(Position.latest())));
        assertThrows(StreamException.class, () -> Cursor.of(List.of(Position.after(EventId.parse("1/2")))));
        assertThrows(StreamException.class, () -> Cursor.of(List.of()));
        assertThrows(StreamException.class, () -> Cursor.earliest(0));
        assertThrows(StreamException.class, () -> Cursor.earliest(StreamOptions.MAX_PARTITIONS + 1));
        assertThrows(StreamException.class, () -> Position.after((Cursor) null));
        assertEquals("after cursor -,-", Position.after(Cursor.earliest(2)).toString());
    }

    /** Vectors from kafka-clients' own {@code Utils.murmur2} and default partitioner (4.4.0). */
    @ParameterizedTest
    @CsvSource({
        "'', 275646681, 3, 9",
        "a, -1563381124, 4, 4",
        "ab, 316155434, 2, 2",
        "abc, 479470107, 3, 3",
        "abcd, -1323649548, 2, 8",
        "order-42, 501153024, 0, 0",
        "customer-7, -1283830537, 1, 7",
        "héllo, 614509002, 0, 6",
        "21-byte-key-for-tests, -520979283, 5, 5"
    })
    void theKeyHashIsKafkasDefaultPartitioner(String key, int murmur, int of6, int of12) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        assertEquals(murmur, Partitioner.murmur2(k));
        assertEquals(of6, Partitioner.partition(k, 6));
        assertEquals(of12, Partitioner.partition(k, 12));
        assertEquals(0, Partitioner.partition(k, 1));
    }

    @Test
    void thePartitionerRefusesNoKeyAndBadCounts() {
        assertThrows(StreamException.class, () -> Partitioner.partition(null, 3));
        assertThrows(StreamException.class, () -> Partitioner.partition(new byte[1], 0));
        assertThrows(StreamException.class, () -> StreamOptions.partitions(0));
        assertThrows(StreamException.class, () -> StreamOptions.partitions(StreamOptions.MAX_PARTITIONS + 1));
        assertEquals(1, StreamOptions.defaults().partitions());
    }

    @Test
    void partitionedInfoTotalsThePartitions() {
        Instant t0 = Instant.parse("2026-12-03T06:00:00Z");
        StreamInfo p0 =
                StreamInfo.of(S, 2, EventId.ofSequence(1), t0.plusSeconds(5), EventId.ofSequence(2), t0.plusSeconds(9));
        StreamInfo p1 = StreamInfo.empty(S);
        StreamInfo p2 = StreamInfo.of(S, 3, EventId.ofSequence(4), t0, EventId.ofSequence(6), t0.plusSeconds(7));
        StreamInfo all = StreamInfo.ofPartitions(S, List.of(p0, p1, p2));
        assertEquals(5, all.length());
        assertEquals(3, all.partitionCount());
        assertEquals(Optional.of(EventId.parse("2/4")), all.firstId());
        assertEquals(Optional.of(t0), all.firstTimestamp());
        assertEquals(Optional.of(EventId.parse("0/2")), all.lastId());
        assertEquals(Optional.of(t0.plusSeconds(9)), all.lastTimestamp());
        assertEquals(List.of(p0, p1, p2), all.partitions());
        StreamInfo none = StreamInfo.ofPartitions(S, List.of(p1, p1));
        assertTrue(none.exists());
        assertEquals(0, none.length());
        assertEquals(Optional.empty(), none.firstId());
        assertEquals(1, StreamInfo.empty(S).partitionCount());
        assertThrows(IllegalArgumentException.class, () -> StreamInfo.ofPartitions(S, List.of(p0)));
    }

    @Test
    void anEventKnowsItsPartition() {
        assertEquals(2, event("2/7").partition());
        assertEquals(0, event("7").partition());
    }

    private static StreamEvent event(String id) {
        return new StreamEvent(S, EventId.parse(id), Instant.EPOCH, null, Headers.empty(), new byte[0], 1);
    }
}
