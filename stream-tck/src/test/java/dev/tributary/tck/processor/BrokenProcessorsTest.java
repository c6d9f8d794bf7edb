package dev.tributary.tck.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.tck.TckReport;
import dev.tributary.tck.TckRunner;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The processor kit tests itself: C9 and C10 run on deliberately broken processors over the memory
 * backend (which passes them: {@code MemoryProcessorTckTest}) and must fail each one, with a failure
 * that names the likely cause — the processor, not the backend.
 */
class BrokenProcessorsTest {

    static Stream<Arguments> brokenProcessors() {
        return Stream.of(
                Arguments.of(BrokenProcessors.CheckpointsBeforeHandling.class, "C9", "ahead of what its handler"),
                Arguments.of(BrokenProcessors.SkipsEvents.class, "C9", "never handled"),
                Arguments.of(BrokenProcessors.SwapsKeyOrder.class, "C9", "out of append order"),
                Arguments.of(BrokenProcessors.IgnoresGroupStart.class, "C10", "start where they were asked"));
    }

    @ParameterizedTest(name = "{0} is caught by {1}")
    @MethodSource("brokenProcessors")
    void brokenProcessorIsCaughtByTheExpectedRule(Class<?> kit, String rule, String symptom) {
        TckReport report = TckRunner.run(
                List.of(kit),
                kit.getSimpleName() + " (broken processor on memory)",
                ".*#(required|optional)_" + rule + "_.*");
        report.print(System.out);
        assertEquals(1, report.results().size(), "rule " + rule + " ran: " + report.results());
        assertTrue(
                report.failedRules().contains(rule),
                kit.getSimpleName() + " must be caught by rule " + rule + "; failed rules: " + report.failedRules());
        String reason = report.rule(rule).orElseThrow().reason();
        assertTrue(
                reason.startsWith("[" + rule + "]") && reason.contains("if this fails, check:"),
                "the failure names its rule and carries the hint: " + reason);
        assertTrue(reason.contains(symptom), "the failure states the symptom (" + symptom + "): " + reason);
    }
}
