package dev.tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The small value types of the contract: what they hold, what they reject, what they print. */
class ValuesTest {
    private static final StreamName S = new StreamName("orders");
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    private static StreamEvent event(EventId id) {
        return new StreamEvent(
                S,
                id,
                T,
                "k".getBytes(StandardCharsets.UTF_8),
                Headers.of("a", "1"),
                "body".getBytes(StandardCharsets.UTF_8),
                1);
    }

    @Test
    void eventExposesWhatItWasBuiltWith() {
        StreamEvent e = event(EventId.of(1, 0));
        assertEquals(S, e.stream());
        assertEquals(EventId.of(1, 0), e.id());
        assertEquals(T, e.timestamp());
        assertEquals("k", e.keyAsString());
        assertEquals("body", e.payloadAsString());
        assertEquals(4, e.payload().length);
        assertEquals(Headers.of("a", "1"), e.headers());
        assertEquals(1, e.deliveryCount());
        assertEquals(0, e.markedHeaders());
        assertTrue(e.toString().contains("orders"));
    }

    @Test
    void eventWithDeliveryCountKeepsEverythingElse() {
        StreamEvent e = event(EventId.of(1, 0)).withDeliveryCount(3);
        assertEquals(3, e.deliveryCount());
        assertEquals("body", e.payloadAsString());
    }

    @Test
    void eventsAreEqualByStreamAndId() {
        assertEquals(event(EventId.of(1, 0)), event(EventId.of(1, 0)));
        assertEquals(event(EventId.of(1, 0)).hashCode(), event(EventId.of(1, 0)).hashCode());
        assertNotEquals(event(EventId.of(1, 0)), event(EventId.of(2, 0)));
    }

    @Test
    void eventRejectsADeliveryCountBelowOneAndTooManyMarkedHeaders() {
        assertThrows(
                IllegalArgumentException.class, () -> event(EventId.of(1, 0)).withDeliveryCount(0));
        assertThrows(
                IllegalArgumentException.class,
                () -> new StreamEvent(S, EventId.of(1, 0), T, null, Headers.empty(), new byte[0], 1, 1));
    }

    @Test
    void eventWithoutKeyHasNullKeyText() {
        assertNull(new StreamEvent(S, EventId.of(1, 0), T, null, Headers.empty(), new byte[0], 1).keyAsString());
    }

    @Test
    void streamInfoFactoriesSayWhetherTheStreamExists() {
        assertFalse(StreamInfo.missing(S).exists());
        assertTrue(StreamInfo.empty(S).exists());
        assertEquals(0, StreamInfo.empty(S).length());
        StreamInfo i = StreamInfo.of(S, 2, EventId.of(1, 0), T, EventId.of(2, 0), T.plusSeconds(1));
        assertEquals(2, i.length());
        assertEquals(Optional.of(EventId.of(2, 0)), i.lastId());
        assertEquals(Optional.of(T), i.firstTimestamp());
    }

    @Test
    void streamInfoRejectsNullComponentsAndANegativeLength() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new StreamInfo(S, true, 0, null, Optional.empty(), Optional.empty(), Optional.empty()));
        assertThrows(
                IllegalArgumentException.class,
                () -> new StreamInfo(
                        S, true, -1, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()));
    }

    @Test
    void unwrapFindsTheStreamExceptionInsideCompletionAndExecutionExceptions() {
        StreamException cause = StreamException.invalid("bad");
        assertSame(cause, StreamException.unwrap(new CompletionException(new ExecutionException(cause))));
        assertEquals(ErrorKind.INVALID_ARGUMENT, cause.kind());
    }

    @Test
    void unwrapTurnsAnInterruptIntoRetryableAndRestoresTheFlag() {
        StreamException e = StreamException.unwrap(new InterruptedException());
        assertEquals(ErrorKind.RETRYABLE, e.kind());
        assertTrue(Thread.interrupted());
    }

    @Test
    void unwrapTurnsAnythingElseIntoInternal() {
        assertEquals(
                ErrorKind.INTERNAL,
                StreamException.unwrap(new IllegalStateException("x")).kind());
    }

    @Test
    void closedAndUnsupportedNameTheirKind() {
        assertEquals(ErrorKind.CLOSED, StreamException.closed("client").kind());
        assertEquals(
                ErrorKind.UNSUPPORTED,
                StreamException.unsupported(Capability.TRIM_BY_AGE, "x").kind());
        assertTrue(StreamException.closed("client").toString().contains("CLOSED"));
    }

    @Test
    void recordCopiesKeepWhatTheyDoNotChange() {
        StreamRecord r = StreamRecord.builder()
                .payload("p")
                .key("k")
                .headers(Headers.of("a", "1"))
                .build();
        assertEquals(r, r.toBuilder().build());
        assertEquals(r.hashCode(), r.toBuilder().build().hashCode());
        assertEquals("id-1", r.withIdempotencyId("id-1").idempotencyId());
        assertEquals(Headers.empty(), r.withHeaders(Headers.empty()).headers());
        assertNotEquals(r, r.withIdempotencyId("id-1"));
        assertTrue(r.hasKey());
        assertFalse(StreamRecord.builder()
                .payload(new byte[0])
                .key((byte[]) null)
                .build()
                .hasKey());
    }

    @Test
    void recordRejectsAnIdempotencyIdThatIsNotPrintableAscii() {
        assertEquals(
                ErrorKind.INVALID_ARGUMENT,
                assertThrows(
                                StreamException.class,
                                () -> StreamRecord.builder()
                                        .payload("p")
                                        .idempotencyId("a b")
                                        .build())
                        .kind());
    }

    @Test
    void headersFromAListKeepItsOrderAndRejectNulls() {
        Headers h = Headers.of(java.util.List.of(new Header("b", "2"), new Header("a", "1")));
        assertEquals(Headers.of("b", "2", "a", "1"), h);
        assertThrows(StreamException.class, () -> Headers.of((java.util.List<Header>) null));
        java.util.List<Header> withNull = new java.util.ArrayList<>();
        withNull.add(null);
        assertThrows(StreamException.class, () -> Headers.of(withNull));
    }

    @Test
    void configToBuilderKeepsEverySetting() {
        ClientConfig c = ClientConfig.parse("memory:x?namespace=ns&connectTimeout=2s&requestTimeout=3s"
                + "&closeTimeout=4s&maxInFlightAppends=7&custom=v");
        ClientConfig copy = c.toBuilder().build();
        assertEquals(c.namespace(), copy.namespace());
        assertEquals(java.time.Duration.ofSeconds(2), copy.connectTimeout());
        assertEquals(java.time.Duration.ofSeconds(3), copy.requestTimeout());
        assertEquals(java.time.Duration.ofSeconds(4), copy.closeTimeout());
        assertEquals(7, copy.maxInFlightAppends());
        assertEquals(c.option("custom"), copy.option("custom"));
        assertEquals(c.toString(), copy.toString());
    }

    @Test
    void positionsPrintWhereTheyStartAndRejectNull() {
        assertEquals("earliest", Position.earliest().toString());
        assertEquals("latest", Position.latest().toString());
        assertTrue(Position.after(EventId.of(1, 0)).toString().startsWith("after "));
        assertEquals("at " + T, Position.at(T).toString());
        assertThrows(StreamException.class, () -> Position.after((EventId) null));
        assertThrows(StreamException.class, () -> Position.at(null));
    }

    @Test
    void trimsHoldTheirBoundAndRejectBadOnes() {
        assertEquals(new Trim.ToLength(5), Trim.toLength(5));
        assertEquals(
                new Trim.OlderThan(java.time.Duration.ofSeconds(1)), Trim.olderThan(java.time.Duration.ofSeconds(1)));
        assertEquals(new Trim.Below(EventId.of(1, 0)), Trim.below(EventId.of(1, 0)));
        assertThrows(StreamException.class, () -> Trim.toLength(-1));
        assertThrows(StreamException.class, () -> Trim.olderThan(java.time.Duration.ofSeconds(-1)));
        assertThrows(StreamException.class, () -> Trim.below(null));
    }
}
