package dev.tributary.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tributary.EventId;
import dev.tributary.Headers;
import dev.tributary.StreamEvent;
import dev.tributary.StreamName;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The one marked form every backend uses for what the header grammar cannot hold: lossless and counted. */
class MarkedHeadersTest {
    private static byte[] u(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] unb64(String s) {
        return Base64.getUrlDecoder().decode(s);
    }

    @Test
    void validKeysWithUtf8ValuesReadAsThemselvesAndAreNotCounted() {
        MarkedHeaders.Builder b =
                MarkedHeaders.builder().add("type", u("order.created")).add("note", u("ü \r\n:"));
        assertEquals(Headers.of("type", "order.created", "note", "ü \r\n:"), b.build());
        assertEquals(0, b.marked());
    }

    @Test
    void aValueThatIsNotUtf8IsMarkedByteForByteNeverReplaced() {
        byte[] raw = {(byte) 0xC3, 0x28, (byte) 0xFF, 0};
        MarkedHeaders.Builder b = MarkedHeaders.builder().add("bin", raw);
        String v = b.build().first("bin").orElseThrow();
        assertEquals("~b64~", v.substring(0, 5));
        assertArrayEquals(raw, unb64(v.substring(5)));
        assertEquals(1, b.marked());
    }

    @Test
    void aNameOutsideTheGrammarIsMarkedWithItsValueInItsPlace() {
        byte[] latin1Name = {'n', (byte) 0xE4, 'm', 'e'};
        MarkedHeaders.Builder b = MarkedHeaders.builder()
                .add("first", u("1"))
                .add("a:b", u("x"))
                .addMarked(latin1Name, new byte[] {(byte) 0x80})
                .add("last", u(""));
        Headers h = b.build();
        assertEquals(4, h.size());
        assertEquals("first", h.asList().get(0).key());
        assertEquals("~b64~", h.asList().get(1).key());
        String[] parts = h.asList().get(1).value().split("\\.");
        assertArrayEquals(u("a:b"), unb64(parts[0]));
        assertArrayEquals(u("x"), unb64(parts[1]));
        String[] bin = h.asList().get(2).value().split("\\.");
        assertArrayEquals(latin1Name, unb64(bin[0]));
        assertArrayEquals(new byte[] {(byte) 0x80}, unb64(bin[1]));
        assertEquals("last", h.asList().get(3).key());
        assertEquals(2, b.marked());
        assertEquals(
                ".",
                MarkedHeaders.builder()
                        .addMarked(u(""), u(""))
                        .build()
                        .first("~b64~")
                        .orElseThrow(),
                "an empty name and an empty value: the separator alone");
    }

    @Test
    void ourValuesThatStartWithTheMarkerRoundTrip() {
        for (String v : new String[] {"~b64~aGVsbG8", "~b64~", "~b64~not base64!", "plain", ""}) {
            assertEquals(v, MarkedHeaders.decodeValue(MarkedHeaders.encodeValue(v)), v);
        }
        assertEquals(
                "plain", new String(MarkedHeaders.encodeValue("plain"), StandardCharsets.UTF_8), "others as UTF-8");
        assertNull(MarkedHeaders.decodeValue(new byte[] {(byte) 0xFF}));
        assertEquals(
                "~b64~!!", MarkedHeaders.decodeValue(u("~b64~!!")), "a marker not followed by base64url: as it came");
    }

    @Test
    void theEventCarriesTheCountWithinItsHeaders() {
        StreamName s = StreamName.of("s");
        Headers two = MarkedHeaders.builder()
                .add("a b", u("1"))
                .add("c", new byte[] {(byte) 0xFF})
                .build();
        StreamEvent e = new StreamEvent(s, EventId.ofSequence(1), Instant.EPOCH, null, two, new byte[0], 1, 2);
        assertEquals(2, e.markedHeaders());
        assertEquals(2, e.withDeliveryCount(3).markedHeaders());
        assertEquals(
                0, new StreamEvent(s, EventId.ofSequence(1), Instant.EPOCH, null, two, new byte[0], 1).markedHeaders());
        assertThrows(
                IllegalArgumentException.class,
                () -> new StreamEvent(s, EventId.ofSequence(1), Instant.EPOCH, null, two, new byte[0], 1, 3));
    }
}
