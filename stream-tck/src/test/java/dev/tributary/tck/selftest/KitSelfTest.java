package dev.tributary.tck.selftest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.tck.TckReport;
import dev.tributary.tck.TckRunner;
import java.util.List;

/** The check every self-test of a kit makes: run on something deliberately broken, the expected rule catches it. */
public final class KitSelfTest {
    private KitSelfTest() {}

    /**
     * Runs only {@code rule} of {@code kit} (a kit class on a broken backend or processor, described in
     * the report by {@code what}) and asserts that the rule ran and failed with a reason that names the
     * rule and carries its hint; returns that reason.
     */
    public static String assertCaughtBy(Class<?> kit, String rule, String what) {
        TckReport report = TckRunner.run(
                List.of(kit), kit.getSimpleName() + " (" + what + ")", ".*#(required|optional)_" + rule + "_.*");
        report.print(System.out);
        assertEquals(1, report.results().size(), "rule " + rule + " ran: " + report.results());
        assertTrue(
                report.failedRules().contains(rule),
                kit.getSimpleName() + " must be caught by rule " + rule + "; failed rules: " + report.failedRules());
        String reason = report.rule(rule).orElseThrow().reason();
        assertTrue(
                reason.startsWith("[" + rule + "]") && reason.contains("if this fails, check:"),
                "the failure names its rule and carries the hint: " + reason);
        return reason;
    }
}
