package dev.tributary.kafka.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.AckResult;
import dev.tributary.EventId;
import dev.tributary.StreamEvent;
import dev.tributary.StreamName;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The member's delivery ledger without a broker: delivery, redelivery, acks, commits and take-overs. */
class GroupLedgerTest {
    private static final StreamName S = StreamName.of("s");
    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final long ACK_MS = 1_000;

    private static GroupLedger ledger(int maxUnacked) {
        return new GroupLedger(S, "t", false, ACK_MS, maxUnacked);
    }

    private static Deque<ConsumerRecord<byte[], byte[]>> fetched(long from, long to) {
        Deque<ConsumerRecord<byte[], byte[]>> d = new ArrayDeque<>();
        for (long o = from; o < to; o++) {
            d.add(new ConsumerRecord<>("t", 0, o, null, ("e" + o).getBytes()));
        }
        return d;
    }

    private static List<StreamEvent> deliver(GroupLedger l, Deque<ConsumerRecord<byte[], byte[]>> buffer, long now) {
        List<StreamEvent> out = new ArrayList<>();
        l.deliver(buffer, now, out, 1_000);
        return out;
    }

    /** A ledger (at most 100 unacked) that owns TP from {@code from} and delivered {@code from..to-1} at time 0. */
    private static GroupLedger delivered(long from, long to) {
        GroupLedger l = ledger(100);
        l.assignedFresh(TP, from);
        deliver(l, fetched(from, to), 0);
        return l;
    }

    private static List<Long> offsets(List<StreamEvent> events) {
        return events.stream().map(e -> e.id().major()).toList();
    }

    @Test
    void firstDeliveryCountsOneAndOnlyTheAckedPrefixIsCommitted() {
        GroupLedger l = ledger(100);
        l.assignedFresh(TP, 0);
        List<StreamEvent> got = deliver(l, fetched(0, 5), 0);
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), offsets(got));
        assertTrue(got.stream().allMatch(e -> e.deliveryCount() == 1));
        assertEquals(5, l.inflight());
        AckResult r = l.ack(List.of(
                EventId.ofSequence(0),
                EventId.ofSequence(1),
                EventId.ofSequence(3),
                EventId.ofSequence(3),
                EventId.ofSequence(99),
                EventId.of(0, 1)));
        assertEquals(new AckResult(3, 3), r, "a second ack, an unknown offset and a pair id are unknown");
        Map<TopicPartition, OffsetAndMetadata> c = l.pendingCommits(l.owned());
        assertEquals(2, c.get(TP).offset(), "3 is acked above the unacked 2: not committed yet");
        GroupMeta meta = GroupMeta.parse(c.get(TP).metadata());
        assertEquals(5, meta.deliveredUpTo);
        assertTrue(meta.acked.contains(3L), "the ack above the gap travels in the metadata");
        assertTrue(l.pendingCommits(l.owned()).isEmpty(), "nothing changed: nothing to commit");
        l.ack(List.of(EventId.ofSequence(2), EventId.ofSequence(4)));
        assertEquals(5, l.pendingCommits(l.owned()).get(TP).offset());
    }

    @Test
    void unackedEventsAreRedeliveredAfterTheAckTimeoutWithTheCountRaised() {
        GroupLedger l = delivered(0, 2);
        assertEquals(ACK_MS, l.nextDueInMs(0));
        List<StreamEvent> due = new ArrayList<>();
        l.takeDue(ACK_MS - 1, due, 10);
        assertTrue(due.isEmpty(), "not due before the ack timeout");
        l.ack(List.of(EventId.ofSequence(0)));
        l.takeDue(ACK_MS, due, 10);
        assertEquals(List.of(1L), offsets(due));
        assertEquals(2, due.get(0).deliveryCount());
        assertEquals(ACK_MS, l.nextDueInMs(ACK_MS), "a new deadline from the redelivery");
    }

    @Test
    void aNackMakesTheEventDueAtOnce() {
        GroupLedger l = delivered(0, 3);
        l.nack(List.of(EventId.ofSequence(1), EventId.ofSequence(77)));
        assertEquals(0, l.nextDueInMs(10));
        List<StreamEvent> due = new ArrayList<>();
        l.takeDue(10, due, 10);
        assertEquals(List.of(1L), offsets(due));
        assertEquals(2, due.get(0).deliveryCount());
    }

    @Test
    void deliveryStopsAtMaxUnackedAndKeepsTheRestBuffered() {
        GroupLedger l = ledger(3);
        l.assignedFresh(TP, 0);
        Deque<ConsumerRecord<byte[], byte[]>> buffer = fetched(0, 10);
        assertEquals(List.of(0L, 1L, 2L), offsets(deliver(l, buffer, 0)));
        assertTrue(l.full());
        assertEquals(7, buffer.size(), "nothing dropped");
        l.ack(List.of(EventId.ofSequence(0)));
        assertEquals(List.of(3L), offsets(deliver(l, buffer, 0)));
    }

    @Test
    void recordsOfPartitionsNotOwnedOrAlreadyDeliveredAreDropped() {
        GroupLedger l = ledger(100);
        l.assignedFresh(TP, 5);
        Deque<ConsumerRecord<byte[], byte[]>> buffer = fetched(3, 7);
        buffer.add(new ConsumerRecord<>("t", 1, 0, null, new byte[0]));
        assertEquals(List.of(5L, 6L), offsets(deliver(l, buffer, 0)), "below the committed offset: skipped");
        assertEquals(List.of(), offsets(deliver(l, fetched(5, 7), 0)), "delivered already");
        assertTrue(buffer.isEmpty());
    }

    @Test
    void aTakeOverHoldsBackWhatThePreviousOwnerDeliveredRecentlyAndRaisesItsCount() {
        GroupMeta m = new GroupMeta(ACK_MS);
        m.deliveredUpTo = 4;
        m.lastDeliveryMs = 10_000;
        m.counts.put(1L, 3);
        m.acked.add(2L);
        GroupLedger l = ledger(100);
        l.assigned(TP, 0, m.encode());
        List<StreamEvent> early = deliver(l, fetched(0, 6), 10_500);
        assertEquals(List.of(4L, 5L), offsets(early), "0, 1, 3 are held back; 2 was acked elsewhere");
        List<StreamEvent> due = new ArrayList<>();
        l.takeDue(11_000, due, 10);
        assertEquals(List.of(0L, 1L, 3L), offsets(due));
        assertEquals(
                List.of(2, 4, 2), due.stream().map(StreamEvent::deliveryCount).toList());
    }

    @Test
    void aPartitionThatComesBackKeepsItsAcksAndCounts() {
        GroupLedger l = delivered(0, 3);
        l.ack(List.of(EventId.ofSequence(0), EventId.ofSequence(2)));
        l.drop(List.of(TP));
        assertNull(l.figures(TP));
        assertEquals(new AckResult(0, 1), l.ack(List.of(EventId.ofSequence(1))), "not owned now");
        l.assigned(TP, 0, null); // the broker lost the commit of offset 0
        Map<TopicPartition, OffsetAndMetadata> c = l.pendingCommits(l.owned());
        assertEquals(1, c.get(TP).offset(), "what this member acked before moves the commit at once");
        List<StreamEvent> again = deliver(l, fetched(0, 4), 5_000);
        assertEquals(List.of(1L, 3L), offsets(again), "2 stays acked");
        assertEquals(2, again.get(0).deliveryCount(), "1 was delivered before: its count goes on");
    }

    @Test
    void figuresReportPendingReachedAndDeliveredAndAFailedCommitIsSentAgain() {
        GroupLedger l = delivered(10, 14);
        l.ack(List.of(EventId.ofSequence(10)));
        assertArrayEquals(new long[] {3, 14, 14}, l.figures(TP));
        assertFalse(l.pendingCommits(List.of(TP)).isEmpty());
        assertTrue(l.pendingCommits(List.of(TP)).isEmpty());
        l.commitFailed(List.of(TP));
        assertFalse(l.pendingCommits(List.of(TP)).isEmpty(), "a failed commit is sent again");
    }
}
