package dev.tributary.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.cli.CliException;
import dev.tributary.cli.Errors;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How a demo result becomes the command's exit code. */
class DemoRunTest {

    private static DemoResult result(
            long lost,
            long deliveredButFailed,
            long historyOutOfOrder,
            Optional<String> producerFailure,
            boolean interrupted) {
        return new DemoResult(
                new DemoResult.Appends(100, 100, 100, 0, Duration.ofSeconds(1)),
                new DemoResult.Tail(100, Optional.empty(), false, 0),
                new DemoResult.Group(DemoScenario.GROUP, 100, List.of(), 0),
                new DemoResult.History(100, 1, historyOutOfOrder),
                new DemoResult.Checks(lost, 0, 0, 0, 0, 0, 0, 0, deliveredButFailed),
                DemoResult.Latency.NONE,
                DemoResult.Latency.NONE,
                Duration.ofSeconds(1),
                Optional.empty(),
                List.of(),
                producerFailure,
                interrupted);
    }

    @Test
    void aCleanRunExitsZero() {
        assertEquals(0, DemoRun.exitCode(result(0, 0, 0, Optional.empty(), false)));
    }

    @Test
    void anInterruptedRunExitsWithTheInterruptedCode() {
        assertEquals(Errors.INTERRUPTED, DemoRun.exitCode(result(0, 0, 0, Optional.empty(), true)));
    }

    @Test
    void aLostEventFailsTheRunSayingWhatWasWrong() {
        CliException e =
                assertThrows(CliException.class, () -> DemoRun.exitCode(result(2, 1, 3, Optional.empty(), false)));
        assertEquals(
                "demo FAILED: 2 acknowledged events lost, 1 failed appends delivered, 3 history events out of order",
                e.getMessage());
        assertEquals(1, Errors.exitCode(e));
    }

    @Test
    void historyOutOfOrderAloneFailsTheRun() {
        assertThrows(CliException.class, () -> DemoRun.exitCode(result(0, 0, 1, Optional.empty(), false)));
    }

    @Test
    void aPublishingFailureWinsOverEverythingElse() {
        CliException e = assertThrows(
                CliException.class, () -> DemoRun.exitCode(result(0, 0, 0, Optional.of("broker gone"), true)));
        assertTrue(e.getMessage().equals("demo publishing failed: broker gone"), e::getMessage);
    }
}
