package dev.tributary.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class FailureSpellTest {
    @Test
    void quietAtFirstThenWarnsOncePerRepeatAndReportsTheRecovery() {
        FailureSpell spell = new FailureSpell("p", "poll", 1_000);
        assertNull(spell.failed(1_000, 1, "e1"), "the first failure is the listener's only");
        assertNull(spell.failed(1_000 + FailureSpell.QUIET_MS - 1, 2, "e2"), "still within the quiet spell");
        assertEquals(
                "processor 'p': poll has failed for 10000 ms (3 attempts), retrying; last error: e3",
                spell.failed(1_000 + FailureSpell.QUIET_MS, 3, "e3"));
        assertNull(spell.failed(1_000 + FailureSpell.QUIET_MS + 5, 4, "e4"), "one warning per repeat period");
        assertEquals(
                "processor 'p': poll has failed for 70000 ms (5 attempts), retrying; last error: e5",
                spell.failed(1_000 + FailureSpell.QUIET_MS + FailureSpell.REPEAT_MS, 5, "e5"));
        assertEquals(
                "processor 'p': poll succeeded after 71000 ms of failures (6 attempts)", spell.succeeded(72_000, 6));
    }

    @Test
    void aShortSpellStaysOutOfTheLog() {
        FailureSpell spell = new FailureSpell("p", "ack", 0);
        assertNull(spell.failed(0, 1, "e"));
        assertNull(spell.failed(9_999, 2, "e"));
        assertNull(spell.succeeded(9_999, 3), "no warning was given, so no recovery line either");
    }
}
