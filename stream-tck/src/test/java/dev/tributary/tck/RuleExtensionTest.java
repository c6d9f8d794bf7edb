package dev.tributary.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.tck.internal.RuleExtension;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The kit's conventions: budgets, hints in failure messages, skip reasons, and the report rows. */
class RuleExtensionTest {

    /** A tiny kit run through the runner (a static member class: surefire does not run it by itself). */
    @ExtendWith(RuleExtension.class)
    static class Sample {
        @Test
        @DisplayName("X1 a rule that hangs past its budget")
        @RuleHint(value = "the thing that hangs", budgetSeconds = 1)
        void required_X1_hangs() throws InterruptedException {
            Thread.sleep(30_000);
        }

        @Test
        @DisplayName("X2 a rule whose assertion fails")
        @RuleHint("the thing that is wrong")
        void required_X2_fails() {
            Assertions.assertEquals(1, 2, "one is not two");
        }

        @Test
        @DisplayName("X3 a gated rule")
        @RuleHint("the capability")
        void optional_X3_skipped() {
            Assumptions.abort("capability FOO is not declared");
        }

        @Test
        @DisplayName("X4 a rule that passes")
        @RuleHint("nothing")
        void required_X4_passes() {}
    }

    @Test
    void budgetsHintsAndSkipReasonsReachTheReport() {
        long t0 = System.nanoTime();
        TckReport report = TckRunner.run(List.of(Sample.class), "sample");
        report.print(System.out);
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 20_000, "the 30 s sleep was cut at its budget");
        assertEquals(4, report.results().size());
        assertEquals(java.util.Set.of("X1", "X2"), report.failedRules());
        String hang = report.rule("X1").orElseThrow().reason();
        assertTrue(hang.startsWith("[X1] the rule ran longer than its budget"), hang);
        assertTrue(hang.contains("if this fails, check: the thing that hangs"), hang);
        String fail = report.rule("X2").orElseThrow().reason();
        assertTrue(fail.startsWith("[X2] one is not two"), fail);
        assertTrue(fail.endsWith("if this fails, check: the thing that is wrong"), fail);
        TckReport.RuleResult skipped = report.rule("X3").orElseThrow();
        assertEquals(TckReport.Status.SKIPPED, skipped.status());
        assertEquals("optional", skipped.strength());
        assertTrue(skipped.reason().contains("capability FOO is not declared"), skipped.reason());
        assertEquals(TckReport.Status.PASSED, report.rule("X4").orElseThrow().status());
        assertEquals(
                "X2 a rule whose assertion fails",
                report.rule("X2").orElseThrow().displayName());
    }
}
