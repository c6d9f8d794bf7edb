package dev.tributary.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void twoSidesAlternateWhoGoesFirst() {
        List<String> sides = List.of("tributary", "peer");
        assertEquals(List.of("tributary", "peer"), Stats.order(sides, 0));
        assertEquals(List.of("peer", "tributary"), Stats.order(sides, 1));
        assertEquals(List.of("tributary", "peer"), Stats.order(sides, 2));
        assertEquals(List.of("peer", "tributary"), Stats.order(sides, 7));
    }

    @Test
    void moreSidesRotateLeftByTheRound() {
        List<Integer> sides = List.of(1, 2, 3);
        assertEquals(List.of(2, 3, 1), Stats.order(sides, 1));
        assertEquals(List.of(3, 1, 2), Stats.order(sides, 2));
        assertEquals(List.of(1, 2, 3), Stats.order(sides, 3));
        assertEquals(List.of(), Stats.order(List.of(), 4));
    }

    @Test
    void eachSideGoesFirstEquallyOftenOverAnEvenNumberOfRounds() {
        int tributaryFirst = 0;
        for (int r = 0; r < 6; r++) {
            if (Stats.order(List.of("t", "p"), r).get(0).equals("t")) {
                tributaryFirst++;
            }
        }
        assertEquals(3, tributaryFirst);
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(3.0, Stats.median(new double[] {5, 1, 3}));
        assertEquals(2.5, Stats.median(new double[] {4, 1, 3, 2}));
        assertTrue(Double.isNaN(Stats.median(new double[0])));
    }

    @Test
    void theRowFigureIsTheMedianOfPerRoundRatiosNotTheRatioOfMedians() {
        double[] tributary = {100, 200, 300};
        double[] peer = {100, 400, 150};
        // ratios 1.0, 0.5, 2.0 -> median 1.0; the ratio of the medians would be 200 / 150
        assertArrayEquals(new double[] {1.0, 0.5, 2.0}, Stats.ratios(tributary, peer), 1e-12);
        assertEquals(1.0, Stats.medianOfRatios(tributary, peer), 1e-12);
    }

    @Test
    void ratesAndBadInputs() {
        assertEquals(100_000.0, Stats.rate(100_000, 1_000_000_000L), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> Stats.rate(1, 0));
        assertThrows(IllegalArgumentException.class, () -> Stats.ratios(new double[] {1}, new double[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> Stats.ratios(new double[] {1}, new double[] {0}));
    }

    @Test
    void aRowResultReportsTheMedianOfItsRounds() {
        RowResult r = ReportTest.result("1", 1_000_000_000L, 2_000_000_000L, 1_000_000_000L, 500_000_000L);
        // round 1: T 100k/s, p 50k/s -> 2.0; round 2: T 100k/s, p 200k/s -> 0.5; median 1.25
        assertEquals(1.25, r.medianRatio(), 1e-9);
        assertEquals(100_000, r.medianTributaryRate(), 1e-6);
        assertEquals(125_000, r.medianPeerRate(), 1e-6);
    }
}
