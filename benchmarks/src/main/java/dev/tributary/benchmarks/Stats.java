package dev.tributary.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The arithmetic of the comparison: who goes first in a round, per-round ratios and their median. */
final class Stats {
    private Stats() {}

    /**
     * The order of the sides in round {@code round} (0-based): the list rotated left by {@code round}, so
     * with two sides Tributary goes first in even rounds and the peer in odd ones.
     */
    static <T> List<T> order(List<T> sides, int round) {
        if (sides.isEmpty()) {
            return List.of();
        }
        int shift = Math.floorMod(round, sides.size());
        List<T> out = new ArrayList<>(sides.size());
        for (int i = 0; i < sides.size(); i++) {
            out.add(sides.get((i + shift) % sides.size()));
        }
        return out;
    }

    /** Events per second for {@code records} events in {@code nanos}. */
    static double rate(long records, long nanos) {
        if (nanos <= 0) {
            throw new IllegalArgumentException("a duration must be positive, got " + nanos + " ns");
        }
        return records * 1e9 / nanos;
    }

    /** Per-round ratios {@code tributary[i] / peer[i]}. */
    static double[] ratios(double[] tributary, double[] peer) {
        if (tributary.length != peer.length) {
            throw new IllegalArgumentException(
                    "one rate per side per round: " + tributary.length + " Tributary, " + peer.length + " peer");
        }
        double[] r = new double[tributary.length];
        for (int i = 0; i < r.length; i++) {
            if (peer[i] <= 0) {
                throw new IllegalArgumentException("round " + (i + 1) + ": the peer's rate is " + peer[i]);
            }
            r[i] = tributary[i] / peer[i];
        }
        return r;
    }

    /** The median (mean of the middle two for an even count); NaN for none. */
    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] s = values.clone();
        Arrays.sort(s);
        int mid = s.length / 2;
        return s.length % 2 == 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
    }

    /** The median of the per-round ratios: the figure each row reports. */
    static double medianOfRatios(double[] tributary, double[] peer) {
        return median(ratios(tributary, peer));
    }
}
