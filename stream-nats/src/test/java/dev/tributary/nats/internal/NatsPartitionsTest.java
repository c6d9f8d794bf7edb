package dev.tributary.nats.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.Cursor;
import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.Position;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Names, descriptions and cursor mapping of partitioned streams: pure logic, no server. */
class NatsPartitionsTest {
    private final NatsNames names = new NatsNames("tributary");
    private final StreamName orders = StreamName.of("orders");

    @Test
    void aOnePartitionStreamKeepsItsJetStreamNameAndSubject() {
        NatsTarget t = names.target(orders);
        assertEquals("tributary_orders", t.stream());
        assertEquals("tributary.orders", t.append());
        assertEquals(-1, t.partition());
        assertEquals(EventId.ofSequence(42), t.eventId(42));
    }

    @Test
    void eachPartitionIsAJetStreamStreamOfItsOwnOnASubjectOfItsOwn() {
        NatsTarget t = names.partitionTarget(orders, 3);
        assertEquals("tributary_orders~3", t.stream());
        assertEquals("tributary.orders.3", t.append());
        assertEquals("tributary.orders.3", t.filter());
        assertFalse(t.adopted());
        assertTrue(t.dense(List.of("tributary.orders.3")), "a partition's sequences are dense");
        assertEquals(EventId.parse("3/42"), t.eventId(42));
        assertTrue(t.describe().contains("partition 3"), t.describe());
    }

    @Test
    void partitionsNeverCollideWithAOnePartitionStream() {
        // a one-partition stream named like a partition cannot take the partition's name or subject
        StreamName lookalike = StreamName.of("orders_3");
        assertNotEquals(names.streamName(lookalike), names.partitionStreamName(orders, 3));
        assertFalse(Subjects.overlap(names.subject(orders), names.partitionSubject(orders, 0)));
        assertFalse(Subjects.overlap(names.partitionSubject(orders, 1), names.partitionSubject(orders, 2)));
        assertTrue(NatsNames.PARTITION_MARK == '~' && !StreamName.isValid("orders~3"));
    }

    @Test
    void longNamesStayWithinTheJetStreamLimitAndApart() {
        StreamName longName = StreamName.of("x".repeat(StreamName.MAX_LENGTH));
        Set<String> seen = new HashSet<>();
        seen.add(names.streamName(longName));
        for (int p = 0; p < 1024; p++) {
            String n = names.partitionStreamName(longName, p);
            assertTrue(n.length() <= NatsNames.MAX_STREAM_NAME, n);
            assertTrue(seen.add(n), "distinct: " + n);
        }
        StreamName edge = StreamName.of("y".repeat(NatsNames.MAX_STREAM_NAME - "tributary_".length()));
        assertEquals(NatsNames.MAX_STREAM_NAME, names.streamName(edge).length());
        assertTrue(names.partitionStreamName(edge, 1023).length() <= NatsNames.MAX_STREAM_NAME);
    }

    @Test
    void theDescriptionRecordsThePartitionCount() {
        String d = NatsPartitions.description(orders, 2, 6);
        assertEquals("Tributary stream 'orders': partition 2 of 6", d);
        assertEquals(6, NatsPartitions.countOf(d));
        assertEquals(-1, NatsPartitions.countOf(null));
        assertEquals(-1, NatsPartitions.countOf("someone else's stream"));
        assertEquals(-1, NatsPartitions.countOf("partition 1 of 99999999999"));
    }

    @Test
    void startsOfEveryPartition() {
        assertEquals(
                List.of(Position.earliest(), Position.earliest(), Position.earliest()),
                NatsPartitions.starts(orders, 3, Position.earliest(), "a reader"));
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        assertEquals(
                List.of(Position.at(t), Position.at(t)), NatsPartitions.starts(orders, 2, Position.at(t), "a range"));
        Cursor c = Cursor.parse("41,-,@2026-01-01T00:00:00Z");
        assertEquals(c.positions(), NatsPartitions.starts(orders, 3, Position.after(c), "a reader"));
    }

    @Test
    void oneIdOrACursorOfAnotherCountIsRefusedNamingTheCursor() {
        StreamException one = assertThrows(
                StreamException.class,
                () -> NatsPartitions.starts(orders, 4, Position.after(EventId.parse("2/7")), "a reader"));
        assertEquals(ErrorKind.INVALID_ARGUMENT, one.kind());
        assertTrue(one.getMessage().contains("cursor"), one.getMessage());
        StreamException other = assertThrows(
                StreamException.class,
                () -> NatsPartitions.starts(orders, 4, Position.after(Cursor.earliest(5)), "a range"));
        assertEquals(ErrorKind.INVALID_ARGUMENT, other.kind());
        assertTrue(other.getMessage().contains("covers 5 partitions"), other.getMessage());
    }

    @Test
    void aPartitionsDataLossNamesThePartitionOtherErrorsPassUnchanged() {
        StreamException loss = new StreamException(ErrorKind.DATA_LOSS, "events 3 to 5 were trimmed");
        StreamException named = NatsPartitions.inPartition(loss, orders, 2);
        assertEquals(ErrorKind.DATA_LOSS, named.kind());
        assertEquals("partition 2 of 'orders': events 3 to 5 were trimmed", named.getMessage());
        StreamException retry = new StreamException(ErrorKind.RETRYABLE, "no answer");
        assertSame(retry, NatsPartitions.inPartition(retry, orders, 2));
    }
}
