package dev.tributary.memory;

import static dev.tributary.memory.Fixtures.client;
import static dev.tributary.memory.Fixtures.fails;
import static dev.tributary.memory.Fixtures.fresh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamReader;
import dev.tributary.StreamRecord;
import dev.tributary.Trim;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PositionTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));

    private static List<String> payloads(List<StreamEvent> events) {
        return events.stream().map(StreamEvent::payloadAsString).toList();
    }

    private static void append(StreamClient c, StreamName s, String... payloads) {
        for (String p : payloads) {
            c.append(s, StreamRecord.of(p));
        }
    }

    @Test
    void earliestReadsEverythingRetained() {
        try (StreamClient c = client("")) {
            StreamName s = fresh("earliest");
            append(c, s, "a", "b", "c");
            c.trim(s, Trim.toLength(2));
            try (StreamReader r = c.openReader(s, Position.earliest())) {
                assertEquals(List.of("b", "c"), payloads(r.poll(10, Duration.ZERO)));
            }
        }
    }

    @Test
    void latestIsResolvedWhenTheReaderOpensSoAppendsBetweenPollsAreNotLost() {
        try (StreamClient c = client("")) {
            StreamName s = fresh("latest");
            append(c, s, "old1", "old2");
            try (StreamReader r = c.openReader(s, Position.latest())) {
                assertEquals(Position.after(EventId.ofSequence(2)), r.position(), "latest is never kept symbolic");
                append(c, s, "new1");
                assertEquals(List.of("new1"), payloads(r.poll(10, Duration.ZERO)));
                assertTrue(r.poll(10, Duration.ZERO).isEmpty());
                append(c, s, "new2", "new3");
                assertEquals(List.of("new2", "new3"), payloads(r.poll(10, Duration.ZERO)));
            }
        }
    }

    @Test
    void latestOnAMissingStreamReadsEverythingAppendedLater() {
        try (StreamClient c = client("")) {
            StreamName s = fresh("latest-missing");
            try (StreamReader r = c.openReader(s, Position.latest())) {
                assertEquals(Position.after(EventId.ofSequence(0)), r.position());
                assertTrue(r.poll(10, Duration.ZERO).isEmpty());
                append(c, s, "first");
                assertEquals(List.of("first"), payloads(r.poll(10, Duration.ZERO)));
            }
        }
    }

    @Test
    void afterIsExclusiveAndResumingYieldsExactlyTheRest() {
        try (StreamClient c = client("")) {
            StreamName s = fresh("after");
            append(c, s, "a", "b", "c", "d");
            EventId lastRead;
            try (StreamReader r = c.openReader(s, Position.after(EventId.ofSequence(1)))) {
                List<StreamEvent> page = r.poll(2, Duration.ZERO);
                assertEquals(List.of("b", "c"), payloads(page));
                lastRead = page.get(1).id();
            }
            try (StreamReader r = c.openReader(s, Position.after(c.parseId(lastRead.toString())))) {
                assertEquals(List.of("d"), payloads(r.poll(10, Duration.ZERO)));
            }
        }
    }

    @Test
    void afterAnIdBeyondTheEndWaitsForThatId() {
        try (StreamClient c = client("")) {
            StreamName s = fresh("after-future");
            append(c, s, "1");
            try (StreamReader r = c.openReader(s, Position.after(EventId.ofSequence(2)))) {
                append(c, s, "2");
                assertTrue(r.poll(10, Duration.ZERO).isEmpty());
                append(c, s, "3");
                assertEquals(List.of("3"), payloads(r.poll(10, Duration.ZERO)));
            }
        }
    }

    @Test
    void atTimeStartsAtTheFirstEventAtOrAfterThatTime() {
        try (StreamClient c = client("", clock)) {
            StreamName s = fresh("at");
            append(c, s, "t0");
            clock.advance(Duration.ofSeconds(10));
            append(c, s, "t10a", "t10b");
            clock.advance(Duration.ofSeconds(10));
            append(c, s, "t20");
            Instant t10 = Instant.parse("2030-01-01T00:00:10Z");
            try (StreamReader r = c.openReader(s, Position.at(t10))) {
                assertEquals(Position.at(t10), r.position());
                assertEquals(List.of("t10a", "t10b", "t20"), payloads(r.poll(10, Duration.ZERO)));
            }
            try (StreamReader r = c.openReader(s, Position.at(t10.plusMillis(1)))) {
                assertEquals(List.of("t20"), payloads(r.poll(10, Duration.ZERO)));
            }
            try (StreamReader r = c.openReader(s, Position.at(t10.plusSeconds(60)))) {
                assertTrue(r.poll(10, Duration.ZERO).isEmpty());
                clock.advance(Duration.ofSeconds(60));
                append(c, s, "t80");
                assertEquals(List.of("t80"), payloads(r.poll(10, Duration.ZERO)));
            }
            assertEquals(List.of("t10a", "t10b"), payloads(c.range(s, Position.at(t10), EventId.ofSequence(3), 10)));
        }
    }

    @Test
    void atTimeOlderThanEverythingRetainedStartsAtTheHeadWithoutAGap() {
        try (StreamClient c = client("", clock)) {
            StreamName s = fresh("at-old");
            append(c, s, "a", "b", "c");
            c.trim(s, Trim.toLength(1));
            try (StreamReader r = c.openReader(s, Position.at(Instant.EPOCH))) {
                assertEquals(List.of("c"), payloads(r.poll(10, Duration.ZERO)));
            }
        }
    }

    @Test
    void readerBehindTheTrimmedHeadReportsDataLossAndStaysWhereItWas() {
        try (StreamClient c = client("")) {
            StreamName s = fresh("gap");
            append(c, s, "1", "2", "3", "4", "5");
            try (StreamReader r = c.openReader(s, Position.earliest())) {
                assertEquals(List.of("1", "2"), payloads(r.poll(2, Duration.ZERO)));
                c.trim(s, Trim.below(EventId.ofSequence(4)));
                StreamException e = fails(ErrorKind.DATA_LOSS, () -> r.poll(10, Duration.ZERO));
                assertTrue(
                        e.getMessage().contains("after id 2") && e.getMessage().contains("first retained id is 4"),
                        e.getMessage());
                assertEquals(Position.after(EventId.ofSequence(2)), r.position(), "the reader stays where it was");
                fails(ErrorKind.DATA_LOSS, () -> r.poll(10, Duration.ZERO));
            }
            try (StreamReader r = c.openReader(s, Position.after(EventId.ofSequence(3)))) {
                assertEquals(List.of("4", "5"), payloads(r.poll(10, Duration.ZERO)), "no gap right at the head");
            }
            fails(ErrorKind.DATA_LOSS, () -> c.range(s, Position.after(EventId.ofSequence(1)), null, 10));
        }
    }

    @Test
    void readerAtLatestOfAStreamTrimmedBeforeItReadReportsDataLoss() {
        try (StreamClient c = client("")) {
            StreamName s = fresh("gap-latest");
            append(c, s, "1");
            try (StreamReader r = c.openReader(s, Position.latest())) {
                append(c, s, "2", "3");
                c.trim(s, Trim.toLength(1));
                fails(ErrorKind.DATA_LOSS, () -> r.poll(10, Duration.ZERO));
            }
        }
    }

    @Test
    void streamTrimmedToEmptyContinuesItsNumbering() {
        try (StreamClient c = client("")) {
            StreamName s = fresh("empty-trim");
            append(c, s, "1", "2", "3");
            assertEquals(3, c.trim(s, Trim.toLength(0)));
            assertEquals(0, c.info(s).length());
            try (StreamReader r = c.openReader(s, Position.after(EventId.ofSequence(3)))) {
                assertTrue(r.poll(10, Duration.ZERO).isEmpty(), "after the last id: no gap");
                assertEquals(EventId.ofSequence(4), c.append(s, StreamRecord.of("4")));
                assertEquals(List.of("4"), payloads(r.poll(10, Duration.ZERO)));
            }
            try (StreamReader r = c.openReader(s, Position.after(EventId.ofSequence(2)))) {
                fails(ErrorKind.DATA_LOSS, () -> r.poll(10, Duration.ZERO));
            }
        }
    }

    @Test
    void idStringsRoundTripAndCompareInStreamOrder() {
        try (StreamClient c = client("")) {
            StreamName s = fresh("ids");
            EventId a = c.append(s, StreamRecord.of("a"));
            EventId b = c.append(s, StreamRecord.of("b"));
            assertEquals(a, c.parseId(a.toString()));
            assertEquals("2", b.toString());
            assertTrue(b.isAfter(a));
        }
    }

    @Test
    void foreignOrMalformedIdsFailInvalidArgument() {
        try (StreamClient c = client("")) {
            StreamName s = fresh("badid");
            StreamException e = fails(ErrorKind.INVALID_ARGUMENT, () -> c.parseId("5-0"));
            assertTrue(e.getMessage().contains("sequence numbers like 42"), e.getMessage());
            for (String bad : new String[] {"", "x", "-1", "1.5", " 1", "99999999999999999999", "1-"}) {
                fails(ErrorKind.INVALID_ARGUMENT, () -> c.parseId(bad));
            }
            fails(ErrorKind.INVALID_ARGUMENT, () -> c.parseId(null));
            fails(ErrorKind.INVALID_ARGUMENT, () -> c.openReader(s, Position.after(EventId.of(5, 0))));
            fails(ErrorKind.INVALID_ARGUMENT, () -> c.range(s, Position.earliest(), EventId.of(5, 0), 10));
            fails(ErrorKind.INVALID_ARGUMENT, () -> c.trim(s, Trim.below(EventId.of(5, 0))));
            fails(ErrorKind.INVALID_ARGUMENT, () -> c.openReader(s, null));
        }
    }
}
