package dev.tributary.kafka.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tributary.Headers;
import dev.tributary.StreamEvent;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** Headers of records other producers wrote are never dropped or changed silently; ours round-trip. */
class RecordsTest {
    private static final StreamName S = StreamName.of("s");

    private static StreamEvent read(RecordHeaders headers) {
        ConsumerRecord<byte[], byte[]> rec = new ConsumerRecord<>(
                "s",
                0,
                7L,
                0L,
                TimestampType.LOG_APPEND_TIME,
                0,
                0,
                null,
                new byte[] {1},
                headers,
                java.util.Optional.empty());
        return Records.toEvent(S, rec, false, 1);
    }

    private static StreamEvent roundTrip(StreamRecord r) {
        ProducerRecord<byte[], byte[]> p = Records.toProducer("s", null, r);
        RecordHeaders h = new RecordHeaders();
        p.headers().forEach(h::add);
        return read(h);
    }

    private static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    @Test
    void ourHeadersRoundTripExactlyIncludingValuesThatLookMarked() {
        Headers h = Headers.of("type", "order.created", "a", "ü\r\n:\"", "odd", "~b64~aGVsbG8", "a", "again");
        StreamEvent e = roundTrip(StreamRecord.builder().payload("x").headers(h).build());
        assertEquals(h, e.headers());
        assertEquals(0, e.markedHeaders(), "our own headers are never marked");
    }

    @Test
    void aForeignValueThatIsNotUtf8IsCarriedMarkedByteForByte() {
        byte[] latin1 = {(byte) 0xE9, 'x', (byte) 0xFF};
        RecordHeaders h = new RecordHeaders();
        h.add(new RecordHeader("note", latin1));
        h.add(new RecordHeader("plain", "ok".getBytes(StandardCharsets.UTF_8)));
        StreamEvent e = read(h);
        assertEquals(Headers.of("note", "~b64~" + b64(latin1), "plain", "ok"), e.headers());
        assertEquals(1, e.markedHeaders());
        assertArrayEquals(
                latin1,
                Base64.getUrlDecoder()
                        .decode(e.headers().first("note").orElseThrow().substring(5)));
    }

    @Test
    void aForeignKeyOutsideTheGrammarIsCarriedMarkedInItsPlace() {
        RecordHeaders h = new RecordHeaders();
        h.add(new RecordHeader("first", "1".getBytes(StandardCharsets.UTF_8)));
        h.add(new RecordHeader("content type: json", "yes".getBytes(StandardCharsets.UTF_8)));
        h.add(new RecordHeader("schlüssel", new byte[] {(byte) 0xC0}));
        h.add(new RecordHeader("last", null));
        StreamEvent e = read(h);
        assertEquals(
                Headers.of(
                        "first",
                        "1",
                        "~b64~",
                        b64("content type: json".getBytes(StandardCharsets.UTF_8)) + "."
                                + b64("yes".getBytes(StandardCharsets.UTF_8)),
                        "~b64~",
                        b64("schlüssel".getBytes(StandardCharsets.UTF_8)) + "." + b64(new byte[] {(byte) 0xC0}),
                        "last",
                        ""),
                e.headers());
        assertEquals(2, e.markedHeaders(), "counted on the event");
    }
}
