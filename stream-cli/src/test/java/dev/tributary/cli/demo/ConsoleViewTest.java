package dev.tributary.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The demo's console rendering of given results and progress, with no scenario running. */
class ConsoleViewTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private ConsoleView view(boolean progress, boolean terminal) {
        return new ConsoleView(new PrintWriter(out), new PrintWriter(err), progress, terminal);
    }

    private List<String> outLines() {
        return Arrays.asList(out.toString().split("\\R"));
    }

    private static final List<DemoResult.Member> MEMBERS = List.of(
            new DemoResult.Member("member-1", 400, false),
            new DemoResult.Member("member-2", 450, true),
            new DemoResult.Member("member-3", 400, false));

    static DemoResult result(
            DemoResult.Checks checks,
            DemoResult.Latency latency,
            Optional<String> crash,
            Optional<String> disconnectedAt,
            boolean interrupted,
            long unknownOrder) {
        return new DemoResult(
                new DemoResult.Appends(1200, 1200, 1200, 0, Duration.ofSeconds(2)),
                new DemoResult.Tail(1200, disconnectedAt, true, unknownOrder),
                new DemoResult.Group(DemoScenario.GROUP, 1250, MEMBERS, 50),
                new DemoResult.History(1200, 3, 0),
                checks,
                latency,
                latency,
                Duration.ofMillis(2500),
                crash,
                List.of("member-3 client: closed twice"),
                Optional.empty(),
                interrupted);
    }

    private static DemoResult.Checks clean() {
        return new DemoResult.Checks(0, 0, 0, 0, 0, 50, 0, 0, 0);
    }

    @Test
    void reportOfACleanRunSaysOkWithLostZero() {
        ConsoleView v = view(false, false);
        v.report(result(
                clean(),
                new DemoResult.Latency(1200, 1500, 12_000, 20_000),
                Optional.of("member-2 died mid-batch: handled 5 of 10 events (1-0 to 10-0), acked none"),
                Optional.of("420-0"),
                false,
                0));

        List<String> lines = outLines();
        assertEquals(
                List.of(
                        "",
                        "Report",
                        "  appended       1,200 of 1,200 published (600/s), 0 failed",
                        "  delivered      live tail 1,200 (disconnected at 420-0, resumed from its checkpoint)",
                        "                 group demo-workers 1,250: member-1 400, member-2 450 (died), member-3 400; 50 redelivered",
                        "                 history reader 1,200 in 3 pages",
                        "  lost           0",
                        "  duplicates     50 (tail 0, group 50, history 0) - events the dead member handled but never acked: at-least-once",
                        "  latency        append to group handler p50 1.5 ms  p99 12.0 ms  max 20.0 ms",
                        "                 append to live tail     p50 1.5 ms  p99 12.0 ms  max 20.0 ms (includes the disconnect)",
                        "  wall time      2.5 s",
                        "  crash          member-2 died mid-batch: handled 5 of 10 events (1-0 to 10-0), acked none",
                        "  note           member-3 client: closed twice",
                        "",
                        "RESULT: OK - every acknowledged event reached the live tail, the group and the history reader (lost 0)"),
                lines);
        assertEquals("", err.toString());
    }

    @Test
    void reportOfALossyRunSaysFailedWithWhatEachViewMissed() {
        ConsoleView v = view(false, false);
        v.report(result(
                new DemoResult.Checks(3, 1, 2, 0, 0, 0, 0, 4, 0),
                DemoResult.Latency.NONE,
                Optional.empty(),
                Optional.of("420-0"),
                false,
                7));

        String text = out.toString();
        assertTrue(text.contains("  lost           3 (tail missed 1, group missed 2, history missed 0)\n"), text);
        assertTrue(
                text.contains("  order          tail 7 out of order, history 0 out of order, 4 unknown events\n"),
                text);
        assertTrue(text.contains("  duplicates     0 (tail 0, group 0, history 0)\n"), text);
        assertTrue(text.endsWith("RESULT: FAILED - lost 3\n"), text);
    }

    @Test
    void reportWithoutMeasurementsShowsDashesNoCrashAndTheInterruption() {
        ConsoleView v = view(false, false);
        v.report(result(clean(), DemoResult.Latency.NONE, Optional.empty(), Optional.empty(), true, 0));

        String text = out.toString();
        assertTrue(text.startsWith("\nReport (interrupted by Ctrl-C)\n"), text);
        assertTrue(text.contains("live tail 1,200 (never disconnected)"), text);
        assertTrue(text.contains("append to group handler p50 -  p99 -  max -\n"), text);
        assertTrue(
                text.contains("  crash          no member got a batch of several events after the halfway mark, "
                        + "so none died\n"),
                text);
        assertFalse(text.contains("  order "), text);
        assertTrue(text.endsWith("RESULT: INTERRUPTED - lost 0\n"), text);
    }

    @Test
    void headerSaysWhatRunsWhere() {
        view(false, false)
                .header(
                        "memory:",
                        "memory",
                        new DemoScenario.Settings(
                                1200, 600, 512, Duration.ofMillis(500), Duration.ofMillis(300), "demo-1"));
        view(false, false)
                .header(
                        "redis://h:6379",
                        "redis",
                        new DemoScenario.Settings(10, 0, 2048, Duration.ofSeconds(3), Duration.ofMillis(300), "s"));

        List<String> lines = outLines();
        assertEquals("Tributary demo on memory: (backend memory), stream demo-1", lines.get(0));
        assertEquals(
                "  1,200 domain events of about 512 bytes, at 600/s; group demo-workers of 3 members, "
                        + "ack timeout 500 ms",
                lines.get(1));
        assertTrue(
                out.toString()
                        .contains("  10 domain events of about 2,048 bytes, as fast as possible; "
                                + "group demo-workers of 3 members, ack timeout 3 s\n"),
                out::toString);
    }

    @Test
    void progressLinesGoToStderrWithRatesSinceThePreviousLine() {
        ConsoleView v = view(true, false);
        v.progress(new DemoProgress(1.0, 1000, 100, 90, 80, false, MEMBERS, 100, 5, 3, Optional.empty()));
        v.progress(
                new DemoProgress(2.0, 1000, 300, 290, 80, true, MEMBERS, 500, -1, 0, Optional.of("StreamException")));

        List<String> lines = Arrays.asList(err.toString().split("\\R"));
        assertEquals(
                List.of(
                        "   1.0s appended 90/1,000 (100/s) | tail 80 | m1 400 m2 450 (dead) m3 400 (100/s) | lag 5 pending 3",
                        "   2.0s appended 290/1,000 (200/s) | tail 80 (disconnected) | m1 400 m2 450 (dead) m3 400 (400/s)"
                                + " | lag ? (StreamException)"),
                lines);
        assertEquals("", out.toString());
    }

    @Test
    void onATerminalTheProgressLineIsRedrawnInPlaceAndClearedBeforeTheStory() {
        ConsoleView v = view(true, true);
        v.progress(new DemoProgress(1.0, 1000, 100, 90, 80, false, MEMBERS, 100, -1, 0, Optional.empty()));
        v.narrate(1.5, "live tail disconnected");
        v.clearProgress();

        assertTrue(err.toString().startsWith("\r   1.0s appended 90/1,000"), err::toString);
        assertTrue(err.toString().contains("lag ? pending 0\u001b[K\r\u001b[K"), err::toString);
        assertEquals(1, err.toString().split("\r\u001b\\[K", -1).length - 1, "cleared once, not again\n" + err);
        assertEquals("     1.5s  live tail disconnected\n", out.toString());
    }

    @Test
    void progressIntervalFollowsTheOptions() {
        assertEquals(Duration.ZERO, view(false, true).progressInterval());
        assertEquals(Duration.ofMillis(500), view(true, true).progressInterval());
        assertEquals(Duration.ofSeconds(2), view(true, false).progressInterval());
    }
}
