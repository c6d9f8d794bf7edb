package dev.tributary.nats.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ErrorKind;
import dev.tributary.StreamException;
import io.nats.client.impl.NatsMessage;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PullSessionTest {

    private static PullSession.Delivery parse(String reply) {
        return PullSession.parse(NatsMessage.builder()
                .subject("tributary.s")
                .replyTo(reply)
                .data(new byte[0])
                .build());
    }

    @Test
    void readsSequenceDeliveryCountAndTimeFromTheAckSubject() {
        PullSession.Delivery d = parse("$JS.ACK.tributary_s.g.3.42.17.1700000000123456789.5");
        assertEquals(42, d.streamSequence());
        assertEquals(3, d.deliveryCount());
        assertEquals(Instant.ofEpochSecond(1700000000L, 123456789), d.timestamp());
    }

    @Test
    void readsTheDomainFormOfTheAckSubject() {
        PullSession.Delivery d = parse("$JS.ACK.hub.ACCHASH.tributary_s.g.1.7.7.1700000000000000000.0.token");
        assertEquals(7, d.streamSequence());
        assertEquals(1, d.deliveryCount());
    }

    @Test
    void rejectsMessagesThatAreNotJetStreamDeliveries() {
        assertEquals(
                ErrorKind.INTERNAL,
                assertThrows(StreamException.class, () -> parse("_INBOX.x")).kind());
        assertEquals(
                ErrorKind.INTERNAL,
                assertThrows(StreamException.class, () -> parse("$JS.ACK.a.b.c"))
                        .kind());
        assertEquals(
                ErrorKind.INTERNAL,
                assertThrows(StreamException.class, () -> parse("$JS.ACK.s.g.x.42.17.1700000000123456789.5"))
                        .kind());
    }

    @Test
    void randomMessageIdsAreUuidsAndDistinct() {
        String a = NatsAppender.randomMsgId();
        String b = NatsAppender.randomMsgId();
        assertNotEquals(a, b);
        UUID u = UUID.fromString(a);
        assertEquals(4, u.version());
        assertEquals(2, u.variant());
        assertTrue(a.length() <= dev.tributary.StreamRecord.MAX_IDEMPOTENCY_ID_LENGTH);
    }
}
