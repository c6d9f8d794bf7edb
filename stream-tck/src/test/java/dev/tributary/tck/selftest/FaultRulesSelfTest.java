package dev.tributary.tck.selftest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.tck.TckReport;
import dev.tributary.tck.TckRunner;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The F rules need a broker the kit can stop and pause; real ones come with the backends' fixtures.
 * Here they run against a simulated broker: a well-behaved client passes all six, and clients broken
 * the ways the F rules exist to catch fail at the expected rule.
 */
class FaultRulesSelfTest {

    @Test
    void wellBehavedClientPassesEveryFaultRule() {
        TckReport report =
                TckRunner.run(List.of(FaultKits.Simulated.class), "simulated broker", ".*#required_F[1-6]_.*");
        report.print(System.out);
        assertEquals(6, report.results().size(), "six F rules ran");
        assertEquals(
                6, report.passed(), "every F rule passes on a client that keeps the contract: " + report.results());
    }

    static Stream<Arguments> brokenClients() {
        return Stream.of(
                Arguments.of(FaultKits.BuffersDuringOutage.class, "F1"),
                Arguments.of(FaultKits.AcknowledgesAndDropsWhileDown.class, "F2"),
                Arguments.of(FaultKits.NoRequestTimeout.class, "F3"),
                Arguments.of(FaultKits.ReaderDoesNotRecover.class, "F4"),
                Arguments.of(FaultKits.SlowCloseWhenPaused.class, "F5"),
                Arguments.of(FaultKits.ClosedAlthoughSent.class, "F6"));
    }

    @ParameterizedTest(name = "{0} is caught by {1}")
    @MethodSource("brokenClients")
    void brokenClientIsCaughtByTheExpectedFaultRule(Class<?> kit, String rule) {
        TckReport report =
                TckRunner.run(List.of(kit), kit.getSimpleName() + " (simulated broker)", ".*#required_" + rule + "_.*");
        report.print(System.out);
        assertEquals(1, report.results().size(), "rule " + rule + " ran");
        assertTrue(
                report.failedRules().contains(rule),
                kit.getSimpleName() + " must be caught by " + rule + ": " + report.results());
    }
}
