package dev.tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventIdTest {

    @Test
    void bothFormsRoundTripThroughTheirText() {
        EventId seq = EventId.ofSequence(42);
        EventId pair = EventId.of(1_700_000_000_000L, 3);
        assertEquals("42", seq.toString());
        assertEquals("1700000000000-3", pair.toString());
        assertEquals(seq, EventId.parse(seq.toString()));
        assertEquals(pair, EventId.parse(pair.toString()));
        assertEquals(
                Long.MAX_VALUE, EventId.parse(Long.toString(Long.MAX_VALUE)).major());
    }

    @Test
    void idsCompareInStreamOrder() {
        assertTrue(EventId.of(5, 0).compareTo(EventId.of(5, 1)) < 0);
        assertTrue(EventId.of(6, 0).isAfter(EventId.of(5, 99)));
        assertTrue(EventId.ofSequence(10).compareTo(EventId.ofSequence(9)) > 0);
        assertNotEquals(EventId.ofSequence(5), EventId.of(5, 0));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"", "-", "a", "1-", "-1", "1-2-3", "1.5", " 1", "99999999999999999999", "+1", "0x10", "1-a"})
    void malformedIdsFailWithInvalidArgument(String text) {
        StreamException e = assertThrows(StreamException.class, () -> EventId.parse(text));
        assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
    }

    @Test
    void nullIdFailsWithInvalidArgument() {
        assertEquals(
                ErrorKind.INVALID_ARGUMENT,
                assertThrows(StreamException.class, () -> EventId.parse(null)).kind());
    }
}
