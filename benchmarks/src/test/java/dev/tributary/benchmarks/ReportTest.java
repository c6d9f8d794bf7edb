package dev.tributary.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ReportTest {

    /** A row of two rounds: Tributary first in round 1, the peer in round 2; 100 000 events each. */
    static RowResult result(String id, long t1, long p1, long t2, long p2) {
        Row row = new Row(
                id,
                "redis",
                "publish",
                "Publisher vs \"raw\" <Lettuce>",
                new Row.Contender("Tributary Publisher", "publish", "at least once", () -> null),
                new Row.Contender("raw Lettuce", "XADD", "acknowledged", () -> null));
        return new RowResult(
                row,
                List.of(new RowResult.Round(1, true, 100_000, t1, p1), new RowResult.Round(2, false, 100_000, t2, p2)),
                null);
    }

    static RowResult failed(String id) {
        Row row = new Row(
                id,
                "redis",
                "consume",
                "GroupProcessor vs Redisson",
                new Row.Contender("Tributary GroupProcessor", "m", "at least once", () -> null),
                new Row.Contender("Redisson", "m", "at least once", () -> null));
        return new RowResult(row, List.of(), "java.lang.IllegalStateException: no broker");
    }

    static RunInfo info() {
        return new RunInfo(
                "redis --rounds 2",
                "2026-12-03T09:00:00Z",
                "2026-12-03T09:01:00Z",
                "0.50 0.40 0.30",
                "1.50 0.60 0.35",
                2,
                0,
                100_000,
                200_000,
                100,
                Map.of("redis", "given: redis://127.0.0.1:6379"),
                Map.of("lettuce", "7.7.0.RELEASE"));
    }

    private static int count(String haystack, String needle) {
        Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(haystack);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void jsonHoldsEveryRoundAndTheRunsCircumstances() {
        List<RowResult> results = List.of(result("1", 1_000_000_000L, 2_000_000_000L, 1_000_000_000L, 500_000_000L));
        String json = JsonReport.render(info(), results);
        assertTrue(json.contains("\"loadAverageStart\": \"0.50 0.40 0.30\""), json);
        assertTrue(json.contains("\"loadAverageEnd\": \"1.50 0.60 0.35\""), json);
        assertTrue(json.contains("\"title\": \"Publisher vs \\\"raw\\\" <Lettuce>\""), json);
        assertTrue(json.contains("\"medianRatio\": 1.2500"), json);
        assertEquals(2, count(json, "\"round\": "));
        assertTrue(
                json.contains("{\"round\": 1, \"first\": \"tributary\", \"records\": 100000,"
                        + " \"tributaryNanos\": 1000000000, \"peerNanos\": 2000000000, \"tributaryRate\": 100000.0000,"
                        + " \"peerRate\": 50000.0000, \"ratio\": 2.0000}"),
                json);
        assertTrue(json.contains("\"first\": \"peer\""), json);
        assertTrue(json.contains("\"guarantee\": \"at least once\""), json);
        assertTrue(json.contains("\"consumeRecords\": 200000"), json);
        assertBalanced(json);
    }

    @Test
    void aFailedRowKeepsItsErrorAndNoFigures() {
        String json = JsonReport.render(info(), List.of(failed("5")));
        assertTrue(json.contains("\"error\": \"java.lang.IllegalStateException: no broker\""), json);
        assertFalse(json.contains("medianRatio"), json);
        assertBalanced(json);
        assertTrue(MarkdownTable.render(info(), List.of(failed("5"))).contains("not measured"));
    }

    @Test
    void jsonEscapesWhatItMust() {
        assertEquals("\"a\\\"b\\\\c\\nd\\u0001\"", JsonReport.quote("a\"b\\c\nd\u0001"));
        assertEquals("null", JsonReport.num(Double.NaN));
    }

    @Test
    void svgHasOneBarPerSidePerRowAndTheRatioLabels() {
        List<RowResult> results = List.of(
                result("1", 1_000_000_000L, 2_000_000_000L, 1_000_000_000L, 500_000_000L),
                result("2", 1_000_000_000L, 1_000_000_000L, 1_000_000_000L, 1_000_000_000L),
                failed("5"));
        String svg = SvgChart.render("Tributary vs peers", results);
        assertTrue(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""), svg);
        assertTrue(svg.trim().endsWith("</svg>"), svg);
        assertEquals(2, count(svg, "class=\"bar tributary\""));
        assertEquals(2, count(svg, "class=\"bar peer\""));
        assertTrue(svg.contains(">1.25\u00d7</text>"), svg);
        assertTrue(svg.contains(">1.00\u00d7</text>"), svg);
        assertTrue(svg.contains("not measured: java.lang.IllegalStateException: no broker"), svg);
        // text is escaped
        assertFalse(svg.contains("<Lettuce>"), svg);
        // the fastest median gets the full width, the others in proportion
        assertTrue(svg.contains("width=\"" + SvgChart.BAR_AREA + ".0\""), svg);
    }

    @Test
    void tableHasOneLinePerRowWithGuaranteesAndPerRoundRatios() {
        String table = MarkdownTable.render(
                info(), List.of(result("1", 1_000_000_000L, 2_000_000_000L, 1_000_000_000L, 500_000_000L)));
        assertTrue(table.contains("load average 0.50 0.40 0.30 at start, 1.50 0.60 0.35 at end"), table);
        assertTrue(table.contains("| 1 | redis publish: Publisher vs \"raw\" <Lettuce> |"), table);
        assertTrue(table.contains("at least once / acknowledged"), table);
        assertTrue(table.contains("**1.25**"), table);
        assertTrue(table.contains("2.00 (T), 0.50 (p)"), table);
    }

    private static void assertBalanced(String json) {
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
                assertTrue(depth >= 0, "unbalanced at " + i);
            }
        }
        assertEquals(0, depth);
        assertFalse(inString);
    }
}
