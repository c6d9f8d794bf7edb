package dev.tributary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A small demo on the memory backend: the whole story runs and nothing is lost. */
class DemoTest {

    static long figure(String out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out);
        assertTrue(m.find(), "no match for " + regex + " in\n" + out);
        return Long.parseLong(m.group(1).replace(",", ""));
    }

    /** Checks a demo report; shared with the integration tests. */
    static void assertCleanReport(Cli.Result r, int events) {
        assertEquals(0, r.exitCode(), r::toString);
        String out = r.out();
        assertTrue(out.contains("RESULT: OK"), r::toString);
        assertEquals(0, figure(out, "lost\\s+([\\d,]+)"), r::toString);
        assertEquals(events, figure(out, "appended\\s+([\\d,]+) of"), r::toString);
        assertEquals(events, figure(out, "live tail ([\\d,]+) \\(disconnected at"), r::toString);
        assertEquals(events, figure(out, "history reader ([\\d,]+) in"), r::toString);
        assertTrue(figure(out, "group demo-workers ([\\d,]+):") >= events, r::toString);
        assertTrue(out.contains("live tail disconnected"), r::toString);
        assertTrue(out.contains("live tail reconnected"), r::toString);
        assertTrue(out.contains("resumed from its checkpoint"), r::toString);
        assertTrue(out.contains("wall time"), r::toString);
        assertTrue(out.contains("p99"), r::toString);
        if (out.contains("died mid-batch")) {
            assertTrue(figure(out, "; ([\\d,]+) redelivered") > 0, "a dead member's events are redelivered\n" + r);
            assertEquals(1, out.split("\\(died\\)", -1).length - 1, "exactly one member dies\n" + r);
        }
    }

    @Test
    void demoOnMemoryLosesNothingAndShowsEveryPart() {
        Cli.Result r = Cli.run(
                "demo",
                "--events",
                "1200",
                "--rate",
                "600",
                "--ack-timeout",
                "500ms",
                "--disconnect",
                "300ms",
                "--payload-size",
                "512",
                "--no-progress");
        assertCleanReport(r, 1200);
        assertTrue(
                r.out().matches("(?s).*member-\\d died mid-batch: handled \\d+ of \\d+ events.*"),
                "a member dies mid-batch\n" + r);
        assertTrue(r.out().contains("history reader paged the whole range"), r::toString);
    }

    @Test
    void demoWithProgressPrintsProgressLinesOnStderr() {
        Cli.Result r = Cli.run(
                "demo",
                "--duration",
                "3s",
                "--rate",
                "200",
                "--ack-timeout",
                "300ms",
                "--disconnect",
                "200ms",
                "--payload-size",
                "256");
        assertCleanReport(r, 600);
        assertTrue(r.err().contains("appended"), "progress line\n" + r);
        assertTrue(r.err().contains("pending"), "progress shows pending\n" + r);
    }

    @Test
    void demoRejectsBadSettings() {
        Cli.Result r = Cli.run("demo", "--events", "3");
        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.err().startsWith("tributary: --events must be"), r::toString);
    }
}
