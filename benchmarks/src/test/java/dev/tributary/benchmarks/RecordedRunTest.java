package dev.tributary.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordedRunTest {

    @Test
    void aRunReadBackFromItsJsonHasTheSameFigures() {
        List<RowResult> results = List.of(
                ReportTest.result("1", 1_000_000_000L, 2_000_000_000L, 1_053_803_696L, 439_877_635L),
                ReportTest.failed("5"));
        String json = JsonReport.render(ReportTest.info(), results);
        RecordedRun run = RecordedRun.parse(json);
        assertEquals(ReportTest.info(), run.info());
        assertEquals(2, run.results().size());
        RowResult r = run.results().get(0);
        assertEquals(results.get(0).rounds(), r.rounds());
        assertEquals(results.get(0).medianRatio(), r.medianRatio(), 1e-12);
        assertEquals("Publisher vs \"raw\" <Lettuce>", r.row().title());
        assertEquals("at least once", r.row().tributary().guarantee());
        assertEquals(
                "java.lang.IllegalStateException: no broker",
                run.results().get(1).error());
        // and rendering it again gives the same JSON
        assertEquals(json, JsonReport.render(run.info(), run.results()));
    }

    @Test
    void theChartIsDrawnFromTheJson() {
        String json = JsonReport.render(
                ReportTest.info(),
                List.of(ReportTest.result("1", 1_000_000_000L, 2_000_000_000L, 1_000_000_000L, 500_000_000L)));
        String svg = Peers.svg(RecordedRun.parse(json));
        assertTrue(svg.contains(">1.25\u00d7</text>"), svg);
        assertTrue(svg.contains("load 0.50 0.40 0.30 to 1.50 0.60 0.35"), svg);
    }

    @Test
    void theParserReadsJsonAndNamesWhereItIsWrong() {
        assertEquals(
                Map.of("a", List.of(1.0, -2.5e3, true, "x\n\u00e9"), "b", Map.of()),
                JsonParser.parse(" {\"a\": [1, -2.5e3, true, \"x\\n\\u00e9\"], \"b\": {}} "));
        assertEquals(
                "bad JSON at offset 5: expected ':'",
                assertThrows(IllegalArgumentException.class, () -> JsonParser.parse("{\"a\" 1}"))
                        .getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> JsonParser.parse("[1] x"))
                .getMessage()
                .contains("text after the JSON value"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RecordedRun.parse("[]"))
                .getMessage()
                .contains("not a JSON object"));
    }
}
