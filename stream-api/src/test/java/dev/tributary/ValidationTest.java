package dev.tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.spi.Checks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** E1–E3 and E7 of TCK-RULES.md at the level of the API: bad input fails before any I/O. */
class ValidationTest {

    private static final Limits LIMITS = new Limits(1024, 256, 100, 1000);

    private static void assertInvalid(Runnable r) {
        StreamException e = assertThrows(StreamException.class, r::run);
        assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind(), e.getMessage());
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(
            strings = {
                "",
                " ",
                "\t",
                ".",
                "*",
                ">",
                "a b",
                "a/b",
                "a\u0000b",
                "caf\u00e9",
                "a.b",
                "a:b",
                "orders*",
                "\u65e5\u672c"
            })
    void badStreamNamesFailWithInvalidArgument(String name) {
        assertInvalid(() -> StreamName.of(name));
        assertTrue(!StreamName.isValid(name));
    }

    @Test
    void tooLongStreamNameFailsAndMaxLengthPasses() {
        String max = "a".repeat(StreamName.MAX_LENGTH);
        assertEquals(max, StreamName.of(max).value());
        assertInvalid(() -> StreamName.of(max + "a"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"orders", "Orders-2024_v1", "a", "0", "-", "_"})
    void goodStreamNamesPass(String name) {
        assertEquals(name, StreamName.of(name).toString());
    }

    @Test
    void nullRecordPartsFailWithInvalidArgument() {
        assertInvalid(() -> StreamRecord.of((byte[]) null));
        assertInvalid(() -> StreamRecord.of((String) null));
        assertInvalid(() -> StreamRecord.builder().build());
        assertInvalid(() -> StreamRecord.builder().payload(new byte[0]).headers(null));
        assertInvalid(() -> Headers.of("k", null));
        assertInvalid(() -> Headers.of(null, "v"));
        assertInvalid(() -> Headers.of("odd"));
        assertInvalid(() -> Checks.record(null, LIMITS));
        assertInvalid(() -> Checks.batch(null, LIMITS));
        assertInvalid(() -> Checks.batch(List.of(), LIMITS));
    }

    @Test
    void headerKeysAreRestrictedAndValuesAreFree() {
        assertInvalid(() -> Headers.of("", "v"));
        assertInvalid(() -> Headers.of("a b", "v"));
        assertInvalid(() -> Headers.of("a:b", "v"));
        assertInvalid(() -> Headers.of("caf\u00e9", "v"));
        assertInvalid(() -> Headers.of("k".repeat(Headers.MAX_KEY_LENGTH + 1), "v"));
        assertInvalid(() -> Headers.of("k", "broken \ud800 surrogate"));
        Headers h = Headers.of(
                "type", "\"quoted\": r\u00e9sum\u00e9 \u65e5\u672c \ud83d\ude80\r\nnext", "type", "", "x", "y");
        assertEquals(3, h.size());
        assertEquals(List.of("\"quoted\": r\u00e9sum\u00e9 \u65e5\u672c \ud83d\ude80\r\nnext", ""), h.all("type"));
        assertEquals("y", h.first("x").orElseThrow());
        for (String bad : new String[] {null, "", "a b", "a:b", "caf\u00e9", "tab\t", "del\u007f", "k".repeat(257)}) {
            assertFalse(Headers.isValidKey(bad), String.valueOf(bad));
        }
        for (String good : new String[] {"!", "~", "traceparent", "X-Trace_Id.1", "k".repeat(256)}) {
            assertTrue(Headers.isValidKey(good), good);
        }
    }

    @Test
    void withAppendsOneHeaderAndLeavesTheOriginalAlone() {
        Headers h = Headers.of("a", "1");
        Headers more = h.with("traceparent", "00-x").with("a", "r\u00e9");
        assertEquals(1, h.size());
        assertEquals(Headers.of("a", "1", "traceparent", "00-x", "a", "r\u00e9"), more);
        assertEquals(Headers.of("a", "1", "traceparent", "00-x", "a", "r\u00e9").byteSize(), more.byteSize());
        assertEquals(Headers.of("k", "v"), Headers.empty().with("k", "v"));
        assertInvalid(() -> h.with("a b", "v"));
        assertInvalid(() -> h.with("k", "broken \ud800"));
        assertInvalid(() -> h.with(null, "v"));
        assertInvalid(() ->
                Headers.of("k", "v".repeat(Headers.MAX_TOTAL_BYTES - 1)).with("x", "y"));
        assertThrows(UnsupportedOperationException.class, () -> more.asList().clear());
    }

    @Test
    void tooManyHeaderBytesFailWithInvalidArgument() {
        Headers big = Headers.of("k", "v".repeat(300));
        assertInvalid(() -> Checks.record(
                StreamRecord.builder().payload(new byte[1]).headers(big).build(), LIMITS));
        assertInvalid(() -> Headers.of("k", "v".repeat(Headers.MAX_TOTAL_BYTES)));
    }

    @Test
    void payloadAtMaxPassesAndOneByteOverIsTooLarge() {
        Checks.record(StreamRecord.of(new byte[1024]), LIMITS);
        StreamException e =
                assertThrows(StreamException.class, () -> Checks.record(StreamRecord.of(new byte[1025]), LIMITS));
        assertEquals(ErrorKind.TOO_LARGE, e.kind());
    }

    @Test
    void countsAndWaitsOutOfRangeFail() {
        for (int bad : new int[] {0, -1, Integer.MIN_VALUE, 1001, Integer.MAX_VALUE}) {
            assertInvalid(() -> Checks.count(bad, LIMITS));
        }
        assertEquals(1, Checks.count(1, LIMITS));
        assertEquals(1000, Checks.count(1000, LIMITS));
        assertInvalid(() -> Checks.wait(null));
        assertInvalid(() -> Checks.wait(Duration.ofMillis(-1)));
        assertInvalid(() -> Checks.wait(Duration.ofDays(365)));
        assertEquals(Duration.ZERO, Checks.wait(Duration.ZERO));
        List<StreamRecord> tooMany = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            tooMany.add(StreamRecord.of("x"));
        }
        assertInvalid(() -> Checks.batch(tooMany, LIMITS));
    }

    @Test
    void groupAndMemberNamesShareTheStreamGrammar() {
        assertInvalid(() -> Checks.group(null));
        assertInvalid(() -> Checks.group("a.b"));
        assertInvalid(() -> Checks.member(""));
        assertEquals("g-1", Checks.group("g-1"));
    }

    @Test
    void undeclaredCapabilitiesFailUnsupported() {
        StreamException e = assertThrows(StreamException.class, () -> Checks.trim(Trim.toLength(5), Set.of(), "test"));
        assertEquals(ErrorKind.UNSUPPORTED, e.kind());
        e = assertThrows(
                StreamException.class, () -> Checks.position(Position.at(java.time.Instant.now()), Set.of(), "test"));
        assertEquals(ErrorKind.UNSUPPORTED, e.kind());
        assertInvalid(() -> Trim.toLength(-1));
        assertInvalid(() -> Trim.olderThan(Duration.ofSeconds(-1)));
        assertInvalid(() -> Trim.below(null));
        assertInvalid(() -> Position.after((EventId) null));
    }

    @Test
    void idempotencyIdsAreBounded() {
        assertInvalid(
                () -> StreamRecord.builder().payload("x").idempotencyId("").build());
        assertInvalid(
                () -> StreamRecord.builder().payload("x").idempotencyId("a b").build());
        assertInvalid(() -> StreamRecord.builder()
                .payload("x")
                .idempotencyId("x".repeat(129))
                .build());
        assertEquals(
                "order-42",
                StreamRecord.builder()
                        .payload("x")
                        .idempotencyId("order-42")
                        .build()
                        .idempotencyId());
    }

    @Test
    void groupOptionsRejectAbsurdTimeouts() {
        assertInvalid(() -> GroupOptions.defaults().withAckTimeout(Duration.ZERO));
        assertInvalid(() -> GroupOptions.defaults().withAckTimeout(Duration.ofDays(2)));
        assertInvalid(() -> GroupOptions.defaults().withStart(null));
        assertInvalid(() -> GroupOptions.defaults().withStart(Position.at(java.time.Instant.EPOCH)));
    }

    /** E7: random input through validation yields only documented kinds and never hangs. */
    @Test
    void randomInputYieldsOnlyDocumentedKinds() {
        Random rnd = new Random(42);
        Set<ErrorKind> allowed = Set.of(ErrorKind.INVALID_ARGUMENT, ErrorKind.TOO_LARGE);
        int valid = 0;
        for (int i = 0; i < 100_000; i++) {
            String name = randomString(rnd, rnd.nextInt(8) == 0 ? 250 : 12);
            String key = randomString(rnd, 6);
            String value = randomString(rnd, 20);
            byte[] payload = new byte[rnd.nextInt(1100)];
            try {
                StreamName.of(name);
                Checks.record(
                        StreamRecord.builder()
                                .payload(payload)
                                .header(key, value)
                                .build(),
                        LIMITS);
                valid++;
            } catch (StreamException e) {
                assertTrue(allowed.contains(e.kind()), "unexpected kind " + e.kind() + ": " + e.getMessage());
            }
        }
        assertTrue(valid > 0, "some random inputs must be valid");
    }

    private static String randomString(Random rnd, int maxLen) {
        int len = rnd.nextInt(maxLen + 1);
        StringBuilder b = new StringBuilder(len);
        for (int i = 0; i < len; i++) {
            int pick = rnd.nextInt(10);
            if (pick < 6) {
                b.append((char) ('a' + rnd.nextInt(26)));
            } else if (pick < 8) {
                b.append((char) rnd.nextInt(0x80));
            } else {
                b.append((char) rnd.nextInt(0x10000));
            }
        }
        return b.toString();
    }
}
