package dev.tributary.memory;

import static dev.tributary.memory.Fixtures.client;
import static dev.tributary.memory.Fixtures.fails;
import static dev.tributary.memory.Fixtures.fresh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.GroupConsumer;
import dev.tributary.GroupOptions;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamInfo;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import dev.tributary.Trim;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RangeInfoTrimTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));

    private static List<Long> seqs(List<StreamEvent> events) {
        return events.stream().map(e -> e.id().sequence()).toList();
    }

    private static void fill(StreamClient c, StreamName s, int n) {
        for (int i = 0; i < n; i++) {
            c.append(s, StreamRecord.of("e" + (i + 1)));
        }
    }

    @Test
    void rangePagesWithoutGapsOrRepeats() {
        try (StreamClient c = client("")) {
            StreamName s = fresh("range");
            fill(c, s, 95);
            List<Long> all = new ArrayList<>();
            Position from = Position.earliest();
            while (true) {
                List<StreamEvent> page = c.range(s, from, null, 10);
                if (page.isEmpty()) {
                    break;
                }
                all.addAll(seqs(page));
                from = Position.after(page.get(page.size() - 1).id());
            }
            List<Long> expected = new ArrayList<>();
            for (long i = 1; i <= 95; i++) {
                expected.add(i);
            }
            assertEquals(expected, all);
        }
    }

    @Test
    void rangeStopsAtToInclusiveAndAtMaxCount() {
        try (StreamClient c = client("")) {
            StreamName s = fresh("range-to");
            fill(c, s, 10);
            assertEquals(
                    List.of(3L, 4L, 5L),
                    seqs(c.range(s, Position.after(EventId.ofSequence(2)), EventId.ofSequence(5), 100)));
            assertEquals(List.of(1L, 2L), seqs(c.range(s, Position.earliest(), null, 2)));
            assertEquals(
                    List.of(10L), seqs(c.range(s, Position.after(EventId.ofSequence(9)), EventId.ofSequence(50), 100)));
            assertTrue(c.range(s, Position.after(EventId.ofSequence(5)), EventId.ofSequence(5), 100)
                    .isEmpty());
            assertTrue(c.range(s, Position.latest(), null, 100).isEmpty(), "latest: nothing newer at call time");
        }
    }

    @Test
    void rangeOnMissingOrEmptyStreamIsEmpty() {
        try (StreamClient c = client("")) {
            StreamName missing = fresh("range-missing");
            assertTrue(c.range(missing, Position.earliest(), null, 10).isEmpty());
            assertTrue(c.range(missing, Position.after(EventId.ofSequence(7)), null, 10)
                    .isEmpty());
            StreamName empty = fresh("range-empty");
            c.createStream(empty);
            assertTrue(c.range(empty, Position.earliest(), null, 10).isEmpty());
        }
    }

    @Test
    void rangeValidatesItsCount() {
        try (StreamClient c = client("")) {
            StreamName s = fresh("range-count");
            fails(ErrorKind.INVALID_ARGUMENT, () -> c.range(s, Position.earliest(), null, 0));
            fails(ErrorKind.INVALID_ARGUMENT, () -> c.range(s, Position.earliest(), null, 10_001));
            fails(ErrorKind.INVALID_ARGUMENT, () -> c.range(s, null, null, 1));
        }
    }

    @Test
    void infoOnMissingEmptyAndNonEmptyStreams() {
        try (StreamClient c = client("", clock)) {
            StreamName s = fresh("info");
            assertEquals(StreamInfo.missing(s), c.info(s));
            c.createStream(s);
            c.createStream(s);
            assertEquals(StreamInfo.empty(s), c.info(s));
            Instant t1 = clock.instant();
            c.append(s, StreamRecord.of("a"));
            clock.advance(Duration.ofSeconds(3));
            c.append(s, StreamRecord.of("b"));
            c.append(s, StreamRecord.of("c"));
            assertEquals(
                    StreamInfo.of(s, 3, EventId.ofSequence(1), t1, EventId.ofSequence(3), t1.plusSeconds(3)),
                    c.info(s));
            c.trim(s, Trim.toLength(0));
            StreamInfo afterTrim = c.info(s);
            assertTrue(afterTrim.exists());
            assertEquals(0, afterTrim.length());
            assertEquals(Optional.empty(), afterTrim.firstId());
        }
    }

    @Test
    void deleteStreamRemovesItAndReportsWhetherItExisted() {
        try (StreamClient c = client("")) {
            StreamName s = fresh("delete");
            fill(c, s, 3);
            c.createGroup(s, "g", GroupOptions.defaults());
            assertTrue(c.deleteStream(s));
            assertFalse(c.deleteStream(s));
            assertFalse(c.info(s).exists());
            assertTrue(c.groups(s).isEmpty());
            assertEquals(
                    EventId.ofSequence(1), c.append(s, StreamRecord.of("new life")), "a new stream numbers from 1");
            fails(ErrorKind.NOT_FOUND, () -> c.groupInfo(s, "g"));
        }
    }

    @Test
    void trimToLengthKeepsExactlyTheNewestN() {
        try (StreamClient c = client("")) {
            StreamName s = fresh("trim-len");
            fill(c, s, 10);
            assertEquals(7, c.trim(s, Trim.toLength(3)));
            assertEquals(List.of(8L, 9L, 10L), seqs(c.range(s, Position.earliest(), null, 100)));
            assertEquals(0, c.trim(s, Trim.toLength(5)));
            assertEquals(3, c.info(s).length());
        }
    }

    @Test
    void trimOlderThanRemovesOnlyEventsOlderThanTheAge() {
        try (StreamClient c = client("", clock)) {
            StreamName s = fresh("trim-age");
            c.append(s, StreamRecord.of("t0"));
            clock.advance(Duration.ofSeconds(10));
            c.append(s, StreamRecord.of("t10"));
            clock.advance(Duration.ofSeconds(10));
            c.append(s, StreamRecord.of("t20"));
            // now = t20: older than 10 s means before t10; the event exactly 10 s old stays
            assertEquals(1, c.trim(s, Trim.olderThan(Duration.ofSeconds(10))));
            assertEquals(List.of(2L, 3L), seqs(c.range(s, Position.earliest(), null, 100)));
            assertEquals(1, c.trim(s, Trim.olderThan(Duration.ZERO)), "age 0 at t20 removes t10, keeps t20");
            clock.advance(Duration.ofMillis(1));
            assertEquals(1, c.trim(s, Trim.olderThan(Duration.ZERO)));
            assertEquals(0, c.info(s).length());
            assertEquals(0, c.trim(s, Trim.olderThan(Duration.ofDays(365_000_000L))), "an absurd age removes nothing");
        }
    }

    @Test
    void trimBelowAnIdKeepsThatId() {
        try (StreamClient c = client("")) {
            StreamName s = fresh("trim-id");
            fill(c, s, 6);
            assertEquals(3, c.trim(s, Trim.below(EventId.ofSequence(4))));
            assertEquals(List.of(4L, 5L, 6L), seqs(c.range(s, Position.earliest(), null, 100)));
            assertEquals(0, c.trim(s, Trim.below(EventId.ofSequence(2))));
            assertEquals(3, c.trim(s, Trim.below(EventId.ofSequence(100))));
            assertEquals(EventId.ofSequence(7), c.append(s, StreamRecord.of("7")));
        }
    }

    @Test
    void trimOfAMissingStreamRemovesNothing() {
        try (StreamClient c = client("")) {
            StreamName s = fresh("trim-missing");
            assertEquals(0, c.trim(s, Trim.toLength(0)));
            assertFalse(c.info(s).exists(), "trim does not create the stream");
        }
    }

    @Test
    void pendingEntriesOfTrimmedEventsAreDroppedAndUndeliveredOnesReportedOnce() {
        try (StreamClient c = client("")) {
            StreamName s = fresh("trim-group");
            fill(c, s, 6);
            c.createGroup(s, "g", GroupOptions.defaults());
            GroupConsumer m = c.openGroupConsumer(s, "g", "m");
            assertEquals(List.of(1L, 2L), seqs(m.poll(2, Duration.ZERO)));
            c.trim(s, Trim.below(EventId.ofSequence(5)));
            assertEquals(0, c.groupInfo(s, "g").pending(), "pending entries of trimmed events are dropped");
            var e = fails(ErrorKind.DATA_LOSS, () -> m.poll(10, Duration.ZERO));
            assertTrue(e.getMessage().contains("lost events 3 to 4"), e.getMessage());
            assertEquals(List.of(5L, 6L), seqs(m.poll(10, Duration.ZERO)), "then the group continues at the head");
            assertEquals(
                    new dev.tributary.AckResult(2, 2),
                    m.ack(EventId.ofSequence(1), EventId.ofSequence(2), EventId.ofSequence(5), EventId.ofSequence(6)));
        }
    }

    @Test
    void memoryCapCountsOnlyRetainedEvents() {
        try (StreamClient c = client("maxStreamBytes=30")) {
            StreamName s = fresh("trim-cap");
            c.append(s, StreamRecord.of(new byte[10]));
            c.append(s, StreamRecord.of(new byte[10]));
            c.append(s, StreamRecord.of(new byte[10]));
            fails(ErrorKind.BACKPRESSURE, () -> c.append(s, StreamRecord.of(new byte[1])));
            c.trim(s, Trim.below(EventId.ofSequence(3)));
            c.append(s, StreamRecord.of(new byte[20]));
            fails(ErrorKind.BACKPRESSURE, () -> c.append(s, StreamRecord.of(new byte[1])));
        }
    }
}
