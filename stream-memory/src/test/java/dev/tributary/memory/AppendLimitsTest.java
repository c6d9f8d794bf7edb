package dev.tributary.memory;

import static dev.tributary.memory.Fixtures.client;
import static dev.tributary.memory.Fixtures.fails;
import static dev.tributary.memory.Fixtures.fresh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.Headers;
import dev.tributary.Limits;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import dev.tributary.Trim;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class AppendLimitsTest {

    @Test
    void defaultLimitsAreDocumentedValues() {
        try (StreamClient c = client("")) {
            assertEquals(new Limits(1 << 20, 64 << 10, 10_000, 10_000), c.limits());
        }
    }

    @Test
    void payloadExactlyAtMaxPassesAndOneByteOverFailsTooLargeWithNothingWritten() {
        try (StreamClient c = client("maxPayloadBytes=100")) {
            StreamName s = fresh("max");
            assertEquals(EventId.ofSequence(1), c.append(s, StreamRecord.of(new byte[100])));
            StreamException e = fails(ErrorKind.TOO_LARGE, () -> c.appendAsync(s, StreamRecord.of(new byte[101])));
            assertTrue(e.getMessage().contains("101"), e.getMessage());
            assertEquals(1, c.info(s).length());
            assertEquals(EventId.ofSequence(2), c.append(s, StreamRecord.of(new byte[0])));
        }
    }

    @Test
    void keyPlusHeadersOverMaxHeaderBytesFailsInvalidArgument() {
        try (StreamClient c = client("maxHeaderBytes=10")) {
            StreamName s = fresh("hdr");
            c.append(
                    s,
                    StreamRecord.builder()
                            .payload("x")
                            .key("12345")
                            .header("ab", "cde")
                            .build());
            fails(
                    ErrorKind.INVALID_ARGUMENT,
                    () -> c.append(
                            s,
                            StreamRecord.builder()
                                    .payload("x")
                                    .key("123456")
                                    .header("ab", "cde")
                                    .build()));
            assertEquals(1, c.info(s).length());
        }
    }

    @Test
    void badArgumentsAreThrownDirectlyNotThroughTheFuture() {
        try (StreamClient c = client("")) {
            StreamName s = fresh("bad");
            fails(ErrorKind.INVALID_ARGUMENT, () -> c.appendAsync(null, StreamRecord.of("x")));
            fails(ErrorKind.INVALID_ARGUMENT, () -> c.appendAsync(s, null));
            fails(ErrorKind.INVALID_ARGUMENT, () -> c.appendBatchAsync(s, List.of()));
            fails(ErrorKind.INVALID_ARGUMENT, () -> c.appendBatchAsync(s, null));
            List<StreamRecord> tooMany = new ArrayList<>();
            for (int i = 0; i < 10_001; i++) {
                tooMany.add(StreamRecord.of("r"));
            }
            fails(ErrorKind.INVALID_ARGUMENT, () -> c.appendBatchAsync(s, tooMany));
            assertFalse(c.info(s).exists(), "nothing may be created by a rejected append");
        }
    }

    @Test
    void batchAppendReturnsOneIdPerRecordInOrder() {
        try (StreamClient c = client("")) {
            StreamName s = fresh("batch");
            c.append(s, StreamRecord.of("before"));
            List<EventId> ids =
                    c.appendBatch(s, List.of(StreamRecord.of("a"), StreamRecord.of("b"), StreamRecord.of("c")));
            assertEquals(List.of(EventId.ofSequence(2), EventId.ofSequence(3), EventId.ofSequence(4)), ids);
            CompletableFuture<List<EventId>> f = c.appendBatchAsync(s, List.of(StreamRecord.of("d")));
            assertTrue(f.isDone(), "memory appends complete before the future is returned");
            assertEquals(List.of(EventId.ofSequence(5)), f.join());
            assertEquals(
                    List.of("before", "a", "b", "c", "d"),
                    c.range(s, Position.earliest(), null, 10).stream()
                            .map(e -> e.payloadAsString())
                            .toList());
        }
    }

    @Test
    void appendingToAMissingStreamCreatesIt() {
        try (StreamClient c = client("")) {
            StreamName s = fresh("auto");
            assertFalse(c.info(s).exists());
            c.append(s, StreamRecord.of("x"));
            assertTrue(c.info(s).exists());
        }
    }

    @Test
    void sameIdempotencyIdStoresOneEventAndReturnsTheFirstId() {
        try (StreamClient c = client("")) {
            StreamName s = fresh("idem");
            EventId first = c.append(s, StreamRecord.of("one").withIdempotencyId("req-1"));
            c.append(s, StreamRecord.of("other"));
            EventId again = c.append(s, StreamRecord.of("one-retry").withIdempotencyId("req-1"));
            assertEquals(first, again);
            assertEquals(2, c.info(s).length());
            assertEquals("one", c.range(s, Position.earliest(), null, 1).get(0).payloadAsString());
        }
    }

    @Test
    void idempotencyIdsAreScopedPerStream() {
        try (StreamClient c = client("")) {
            StreamName a = fresh("idem-a");
            StreamName b = fresh("idem-b");
            c.append(a, StreamRecord.of("x"));
            c.append(a, StreamRecord.of("y").withIdempotencyId("k"));
            assertEquals(EventId.ofSequence(1), c.append(b, StreamRecord.of("y").withIdempotencyId("k")));
            assertEquals(1, c.info(b).length());
        }
    }

    @Test
    void duplicateInsideOneBatchGetsTheIdOfItsFirstOccurrence() {
        try (StreamClient c = client("")) {
            StreamName s = fresh("idem-batch");
            EventId earlier = c.append(s, StreamRecord.of("z").withIdempotencyId("z"));
            List<EventId> ids = c.appendBatch(
                    s,
                    List.of(
                            StreamRecord.of("a").withIdempotencyId("a"),
                            StreamRecord.of("b"),
                            StreamRecord.of("a2").withIdempotencyId("a"),
                            StreamRecord.of("z2").withIdempotencyId("z")));
            assertEquals(List.of(EventId.ofSequence(2), EventId.ofSequence(3), EventId.ofSequence(2), earlier), ids);
            assertEquals(3, c.info(s).length());
        }
    }

    @Test
    void idempotencyIdIsForgottenAfterTheDedupWindow() {
        MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
        try (StreamClient c = client("dedupWindow=2m", clock)) {
            StreamName s = fresh("window");
            EventId first = c.append(s, StreamRecord.of("a").withIdempotencyId("k"));
            clock.advance(Duration.ofSeconds(119));
            assertEquals(first, c.append(s, StreamRecord.of("a").withIdempotencyId("k")), "inside the window");
            clock.advance(Duration.ofSeconds(1));
            EventId second = c.append(s, StreamRecord.of("a").withIdempotencyId("k"));
            assertEquals(EventId.ofSequence(2), second, "window of 2 minutes has passed: a new event");
            assertEquals(second, c.append(s, StreamRecord.of("a").withIdempotencyId("k")));
            assertEquals(2, c.info(s).length());
        }
    }

    @Test
    void dedupRemembersAtMostDedupMaxEntriesIds() {
        try (StreamClient c = client("dedupMaxEntries=2")) {
            StreamName s = fresh("dedupmax");
            c.append(s, StreamRecord.of("1").withIdempotencyId("a"));
            c.append(s, StreamRecord.of("2").withIdempotencyId("b"));
            c.append(s, StreamRecord.of("3").withIdempotencyId("c"));
            assertEquals(EventId.ofSequence(3), c.append(s, StreamRecord.of("3").withIdempotencyId("c")));
            assertEquals(
                    EventId.ofSequence(4),
                    c.append(s, StreamRecord.of("1").withIdempotencyId("a")),
                    "the oldest id was forgotten");
        }
    }

    @Test
    void dedupWindowZeroTurnsDeduplicationOff() {
        try (StreamClient c = client("dedupWindow=0")) {
            StreamName s = fresh("nodedup");
            c.append(s, StreamRecord.of("1").withIdempotencyId("a"));
            assertEquals(EventId.ofSequence(2), c.append(s, StreamRecord.of("1").withIdempotencyId("a")));
        }
    }

    @Test
    void memoryCapFailsWithBackpressureAndWritesNothing() {
        try (StreamClient c = client("maxStreamBytes=100")) {
            StreamName s = fresh("cap");
            // 60 payload + 3 key + 7 header bytes = 70
            c.append(
                    s,
                    StreamRecord.builder()
                            .payload(new byte[60])
                            .key("abc")
                            .header("h", "123456")
                            .build());
            CompletableFuture<EventId> f = c.appendAsync(s, StreamRecord.of(new byte[31]));
            assertTrue(f.isCompletedExceptionally());
            StreamException e = fails(ErrorKind.BACKPRESSURE, () -> c.append(s, StreamRecord.of(new byte[31])));
            assertTrue(e.getMessage().contains("trim the stream or raise maxStreamBytes"), e.getMessage());
            fails(
                    ErrorKind.BACKPRESSURE,
                    () -> c.appendBatch(s, List.of(StreamRecord.of(new byte[10]), StreamRecord.of(new byte[21]))));
            assertEquals(1, c.info(s).length(), "a refused batch stores no record");
            assertEquals(EventId.ofSequence(2), c.append(s, StreamRecord.of(new byte[30])), "exactly at the cap fits");
            c.trim(s, Trim.toLength(1));
            assertEquals(EventId.ofSequence(3), c.append(s, StreamRecord.of(new byte[70])), "trim frees room");
        }
    }

    @Test
    void refusedFirstAppendDoesNotCreateTheStream() {
        try (StreamClient c = client("maxStreamBytes=10")) {
            StreamName s = fresh("capnew");
            fails(ErrorKind.BACKPRESSURE, () -> c.append(s, StreamRecord.of(new byte[11])));
            assertFalse(c.info(s).exists());
        }
    }

    @Test
    void duplicatesDoNotCountAgainstTheMemoryCap() {
        try (StreamClient c = client("maxStreamBytes=10")) {
            StreamName s = fresh("capdup");
            EventId id = c.append(s, StreamRecord.of(new byte[10]).withIdempotencyId("k"));
            assertEquals(id, c.append(s, StreamRecord.of(new byte[10]).withIdempotencyId("k")));
        }
    }

    @Test
    void timestampsComeFromTheClockAndNeverDecrease() {
        MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:10Z"));
        try (StreamClient c = client("", clock)) {
            StreamName s = fresh("ts");
            c.append(s, StreamRecord.of("a"));
            clock.set(Instant.parse("2030-01-01T00:00:05Z"));
            c.append(s, StreamRecord.of("b"));
            clock.set(Instant.parse("2030-01-01T00:00:20Z"));
            c.append(s, StreamRecord.of("c"));
            List<Instant> ts = c.range(s, Position.earliest(), null, 10).stream()
                    .map(e -> e.timestamp())
                    .toList();
            assertEquals(
                    List.of(
                            Instant.parse("2030-01-01T00:00:10Z"),
                            Instant.parse("2030-01-01T00:00:10Z"),
                            Instant.parse("2030-01-01T00:00:20Z")),
                    ts);
        }
    }

    @Test
    void headersKeepOrderAndRepeatedKeys() {
        try (StreamClient c = client("")) {
            StreamName s = fresh("hdrs");
            Headers h = Headers.of("b", "1", "a", "2", "b", "3");
            c.append(s, StreamRecord.of("x").withHeaders(h));
            assertEquals(h, c.range(s, Position.earliest(), null, 1).get(0).headers());
        }
    }
}
