package dev.tributary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code tributary tck} runs the kit against the memory backend and prints its rule table. */
class TckCommandTest {

    @Test
    void tckAgainstMemoryPrintsTheRuleTableAndPasses() {
        Cli.Result r = Cli.run("tck", "memory:");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("A1"), "the table lists rule A1\n" + r);
        assertTrue(r.out().contains("G5"), "the table lists rule G5\n" + r);
        assertTrue(r.out().matches("(?s).*Totals: \\d+ rules .* 0 failed.*"), r::toString);
        assertTrue(r.err().contains("running the Tributary compatibility kit against memory:tck-"), r::toString);
    }

    @Test
    void tckWithABadUriIsAUsageError() {
        Cli.Result r = Cli.run("tck", "::nope");
        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.err().startsWith("tributary: "), r::toString);
    }
}
