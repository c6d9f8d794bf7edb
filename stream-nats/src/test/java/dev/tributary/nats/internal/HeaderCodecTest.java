package dev.tributary.nats.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.Headers;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HeaderCodecTest {

    /** Serialises through jnats' own wire form and parses it back, as a delivery would. */
    private static HeaderCodec.Decoded roundTrip(byte[] key, Headers h) {
        io.nats.client.impl.Headers enc = HeaderCodec.encode(key, h);
        if (enc == null) {
            return HeaderCodec.decode(null);
        }
        byte[] wire = enc.getSerialized();
        io.nats.client.impl.Headers parsed = new io.nats.client.support.IncomingHeadersProcessor(wire).getHeaders();
        return HeaderCodec.decode(parsed);
    }

    @Test
    void plainValuesTravelAsTheyAre() {
        assertEquals("hello world", HeaderCodec.encodeValue("hello world"));
        assertEquals("a:b\"c'", HeaderCodec.encodeValue("a:b\"c'"));
    }

    @Test
    void valuesNatsCannotCarryAreEncodedAndRoundTrip() {
        String[] values = {
            "",
            " ",
            " lead",
            "trail ",
            "line\r\nbreak",
            "tab\there",
            "é",
            "😀 emoji",
            "~b64~literal",
            "\u0000nul",
            "ü:\"quoted\"\n"
        };
        Headers.Builder b = Headers.builder();
        for (String v : values) {
            b.add("k", v);
            if (!HeaderCodec.isPlain(v)) {
                assertTrue(HeaderCodec.encodeValue(v).startsWith(HeaderCodec.MARKER), v);
            }
        }
        Headers h = b.build();
        assertEquals(h, roundTrip(null, h).headers());
    }

    @Test
    void interleavedRepeatedKeysKeepTheirOrder() {
        Headers h = Headers.of("a", "1", "b", "2", "a", "3", "c", "4", "b", "5");
        HeaderCodec.Decoded d = roundTrip(null, h);
        assertEquals(h, d.headers());
        assertNull(HeaderCodec.order(java.util.List.of("a", "a")));
    }

    @Test
    void reservedKeysAreEscaped() {
        Headers h = Headers.of(
                "Nats-Msg-Id", "mine", "Tributary-Key", "x", "tributary-esc-y", "z", "NATS-Expected-Stream", "s");
        io.nats.client.impl.Headers enc = HeaderCodec.encode(null, h);
        assertTrue(enc.keySet().stream()
                .allMatch(k -> k.startsWith(HeaderCodec.ESCAPE) || k.equals(HeaderCodec.ORDER_HEADER)));
        assertEquals(h, roundTrip(null, h).headers());
    }

    @Test
    void emptyKeyAndNoKeyStayDistinct() {
        assertNull(roundTrip(null, Headers.empty()).key());
        assertArrayEquals(new byte[0], roundTrip(new byte[0], Headers.empty()).key());
        byte[] bin = {0, (byte) 0xff, 10, 13};
        assertArrayEquals(bin, roundTrip(bin, Headers.of("a", "b")).key());
    }

    @Test
    void serverHeadersAreNotReturned() {
        io.nats.client.impl.Headers in = new io.nats.client.impl.Headers();
        in.add("Nats-Msg-Id", "abc");
        in.add("x", "y");
        assertEquals(Headers.of("x", "y"), HeaderCodec.decode(in).headers());
    }

    @Test
    void reservedMeansTheLowerCasedKeyStartsWithNatsOrTributary() {
        String[] keys = {
            "Nats-Msg-Id", "NATS-x", "nats-", "nats", "Nats_Msg", "Tributary-Key", "TRIBUTARY-", "tributary",
            "x-nats-", "", "n", "Tr\u0130butary-x", "Tr\u0131butary-x", "Nat\u017f-x", "\u212Aats-", "Na\u0054S-k"
        };
        for (String k : keys) {
            String lower = k.toLowerCase(java.util.Locale.ROOT);
            assertEquals(lower.startsWith("nats-") || lower.startsWith("tributary-"), HeaderCodec.isReserved(k), k);
        }
    }

    @Test
    void onlyServerAndTributaryHeadersDecodeToNoUserHeaders() {
        io.nats.client.impl.Headers in = new io.nats.client.impl.Headers();
        in.add("Nats-Msg-Id", "a1");
        in.add(HeaderCodec.KEY_HEADER, "k");
        HeaderCodec.Decoded d = HeaderCodec.decode(in);
        assertTrue(d.headers().isEmpty());
        assertArrayEquals("k".getBytes(StandardCharsets.US_ASCII), d.key());
        in.add("user", "v");
        assertEquals("v", HeaderCodec.decode(in).headers().iterator().next().value());
    }

    @Test
    void randomHeadersRoundTrip() {
        Random rnd = new Random(42);
        for (int i = 0; i < 2000; i++) {
            Headers.Builder b = Headers.builder();
            int n = rnd.nextInt(6);
            for (int j = 0; j < n; j++) {
                b.add(randomKey(rnd), randomValue(rnd));
            }
            Headers h = b.build();
            byte[] key = rnd.nextBoolean() ? null : randomValue(rnd).getBytes(StandardCharsets.UTF_8);
            HeaderCodec.Decoded d = roundTrip(key, h);
            assertEquals(h, d.headers());
            assertArrayEquals(key, d.key());
        }
    }

    @Test
    void worstCaseBoundCoversTinyEscapedHeaders() {
        int budget = 4096;
        Headers.Builder b = Headers.builder();
        int used = 0;
        int i = 0;
        while (used + 10 <= budget) {
            String k = "Nats-" + (i % 10); // 6 bytes, escaped, interleaved through the order header
            b.add(k, "\n\n\n\n"); // 4 bytes, encoded
            used += 10;
            i++;
        }
        io.nats.client.impl.Headers enc = HeaderCodec.encode(new byte[0], b.build());
        assertTrue(
                enc.serializedLength() <= HeaderCodec.worstCaseEncodedBytes(budget),
                enc.serializedLength() + " > " + HeaderCodec.worstCaseEncodedBytes(budget));
    }

    private static String randomKey(Random r) {
        String[] pool = {"a", "b", "Nats-X", "Tributary-Key", "Tributary-Esc-q", "x-y", "K"};
        return pool[r.nextInt(pool.length)];
    }

    private static String randomValue(Random r) {
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(8);
        for (int i = 0; i < n; i++) {
            int kind = r.nextInt(5);
            if (kind == 0) {
                sb.append((char) r.nextInt(0x20));
            } else if (kind == 1) {
                sb.appendCodePoint(0x80 + r.nextInt(0x700));
            } else if (kind == 2) {
                sb.appendCodePoint(0x1F600 + r.nextInt(50));
            } else {
                sb.append((char) (0x20 + r.nextInt(0x5f)));
            }
        }
        return sb.toString();
    }

    @Test
    void aPrintableAsciiKeyTravelsPlainAndEveryOtherKeyMarked() {
        io.nats.client.impl.Headers plain =
                HeaderCodec.encode("order-42".getBytes(StandardCharsets.UTF_8), Headers.empty());
        assertEquals("order-42", plain.getFirst(HeaderCodec.KEY_HEADER), "a NATS user reads the key as it is");
        for (byte[] key : new byte[][] {
            new byte[0],
            {0, 1, 2},
            "Grüße".getBytes(StandardCharsets.UTF_8),
            " edge".getBytes(StandardCharsets.UTF_8),
            (HeaderCodec.MARKER + "x").getBytes(StandardCharsets.UTF_8)
        }) {
            String sent = HeaderCodec.encode(key, Headers.empty()).getFirst(HeaderCodec.KEY_HEADER);
            assertTrue(sent.startsWith(HeaderCodec.MARKER), "marked: " + sent);
            assertArrayEquals(key, roundTrip(key, Headers.empty()).key());
        }
        assertArrayEquals(
                "order-42".getBytes(StandardCharsets.UTF_8),
                roundTrip("order-42".getBytes(StandardCharsets.UTF_8), Headers.empty())
                        .key());
    }

    @Test
    void anUnmarkedKeyWrittenByAnotherApplicationIsReadAsUtf8() {
        io.nats.client.impl.Headers foreign = new io.nats.client.impl.Headers();
        foreign.add(HeaderCodec.KEY_HEADER, "abcd"); // valid Base64 too: it must not be decoded as such
        assertArrayEquals(
                "abcd".getBytes(StandardCharsets.UTF_8),
                HeaderCodec.decode(foreign).key());
    }
}
