package dev.tributary.cli.command;

import static dev.tributary.cli.command.WatchRatesTest.group;
import static dev.tributary.cli.command.WatchRatesTest.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.GroupInfo;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What one refresh of {@code groups --watch} prints, from samples built by hand. */
class WatchViewTest {
    private final WatchView view = new WatchView(2, Duration.ofSeconds(2));

    @Test
    void theFirstRefreshHasFiguresButNoRatesYet() {
        List<String> lines = view.text(sample(0, 1, 100, group("billing", 3, 12)), null);
        assertEquals(3, lines.size(), lines::toString);
        assertTrue(
                lines.get(0).matches("orders {2}length 100 {2}appended -/s {2}at 00:00:00 UTC, every 2s"),
                lines.get(0));
        assertTrue(lines.get(1).matches("GROUP\\s+PENDING\\s+LAG\\s+ACKED/S\\s+LAG/S\\s+MEMBERS"), lines.get(1));
        assertTrue(lines.get(2).matches("billing\\s+3\\s+12\\s+-\\s+-\\s+m1"), lines.get(2));
    }

    @Test
    void laterRefreshesShowRatesAndQuestionMarksWhereUnknown() {
        WatchSample before = sample(0, 1, 100, group("billing", 10, 40), group("audit", 0, -1));
        WatchSample after = sample(2, 1, 600, group("billing", 30, 90), group("audit", 0, -1));
        List<String> lines = view.text(after, WatchRates.between(before, after));
        assertTrue(lines.get(0).contains("appended 250.0/s"), lines.get(0));
        assertTrue(lines.get(2).matches("billing\\s+30\\s+90\\s+215\\.0\\s+\\+25\\.0\\s+m1"), lines.get(2));
        assertTrue(lines.get(3).matches("audit\\s+0\\s+unknown\\s+\\?\\s+\\?\\s+m1"), lines.get(3));
    }

    @Test
    void groupsFurthestBehindComeFirstAndTheRowsAreBounded() {
        List<String> lines = view.text(
                sample(0, 1, 100, group("a", 0, 1), group("b", 0, 50), group("c", 9, 50), group("d", 0, 7)), null);
        assertEquals(5, lines.size(), lines::toString);
        assertTrue(lines.get(2).startsWith("c "), "equal lag: more pending first " + lines);
        assertTrue(lines.get(3).startsWith("b "), lines::toString);
        assertEquals("... 2 more groups (name one, or raise --rows)", lines.get(4));
    }

    @Test
    void longMemberListsAreCut() {
        GroupInfo many = new GroupInfo(
                "g", 0, 0, List.of("member-0001", "member-0002", "member-0003", "member-0004"), Optional.empty());
        String row = view.text(sample(0, 1, 1, many), null).get(2);
        assertTrue(row.endsWith("member-0001,member-0002,membe..."), row);
        assertEquals(
                WatchView.MEMBERS_WIDTH,
                row.substring(row.indexOf("member-0001")).length());
    }

    @Test
    void aStreamWithoutGroupsSaysSo() {
        List<String> lines = view.text(sample(0, 1, 5), null);
        assertEquals(List.of("no groups on orders"), lines.subList(1, lines.size()));
    }

    @Test
    void jsonCarriesTheSameFiguresWithNullForUnknownRates() {
        WatchSample before = sample(0, 1, 100, group("billing", 10, 40));
        WatchSample after = sample(0.5, 51, 100, group("billing", 10, 45), group("x", 0, 0), group("y", 0, 0));
        ObjectNode n = view.json(after, WatchRates.between(before, after));
        assertTrue(n.get("appendedPerSecond").isNull(), "trimmed: unknown " + n);
        assertEquals(100, n.get("length").asLong());
        assertEquals(2, n.get("groups").size(), n::toString);
        assertEquals(1, n.get("moreGroups").asInt(), n::toString);
        ObjectNode billing = (ObjectNode) n.get("groups").get(0);
        assertEquals("billing", billing.get("group").asText());
        assertEquals(45, billing.get("lag").asLong());
        assertEquals(10.0, billing.get("lagPerSecond").asDouble());
        assertTrue(billing.get("ackedPerSecond").isNull(), billing::toString);
    }

    @Test
    void ratesAreFormattedWithOneDecimal() {
        assertEquals("-", WatchView.rate(null, false));
        assertEquals("?", WatchView.rate(Double.NaN, true));
        assertEquals("1234.6", WatchView.rate(1234.56, false));
        assertEquals("+0.0", WatchView.rate(0.0, true));
        assertEquals("-3.5", WatchView.rate(-3.5, true));
    }
}
