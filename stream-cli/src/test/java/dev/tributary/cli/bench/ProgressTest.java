package dev.tributary.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final StringWriter out = new StringWriter();

    private Progress progress(boolean terminal, boolean enabled) {
        return new Progress(new PrintWriter(out, true), terminal, enabled, () -> false, now::get);
    }

    private void advanceMs(long ms) {
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(ms));
    }

    @Test
    void shortPhasesDrawNothing() {
        Progress p = progress(true, true);
        p.begin("append", 100);
        p.add(50);
        advanceMs(Progress.QUIET_MS - 1);
        p.tick();
        p.end();
        assertEquals("", out.toString());
        assertEquals(50, p.done());
    }

    @Test
    void aTerminalGetsABarRedrawnInPlaceAndClearedAtTheEnd() {
        Progress p = progress(true, true);
        p.begin("append", 100);
        p.add(50);
        advanceMs(2000);
        p.tick();
        String bar = out.toString();
        assertTrue(bar.startsWith("\rappend"), bar);
        assertTrue(bar.contains("[###############...............]  50%"), bar);
        assertTrue(bar.contains("25 ev/s"), bar);
        p.end();
        assertTrue(out.toString().endsWith("\r" + " ".repeat(80) + "\r"), out::toString);
    }

    @Test
    void otherwiseAPlainLineEveryInterval() {
        Progress p = progress(false, true);
        p.begin("consume", 1000);
        p.add(200);
        advanceMs(Progress.PLAIN_INTERVAL_MS);
        p.tick();
        p.tick(); // within the interval: nothing more
        advanceMs(Progress.PLAIN_INTERVAL_MS);
        p.add(800);
        p.tick();
        p.end();
        String[] lines = out.toString().split("\n");
        assertEquals(2, lines.length, out::toString);
        assertEquals("consume: 200 of 1,000 (20%), 40 ev/s", lines[0]);
        assertEquals("consume: 1,000 of 1,000 (100%), 100 ev/s", lines[1]);
    }

    @Test
    void disabledDrawsNothingButStillCounts() {
        Progress p = progress(true, false);
        p.begin("tail", 10);
        p.add(10);
        advanceMs(10_000);
        p.tick();
        assertEquals("", out.toString());
        assertEquals(10, p.done());
    }
}
