package dev.tributary.benchmarks;

import java.util.List;

/**
 * What one row measured: every round's figures, or the error that stopped it.
 *
 * @param row    the row
 * @param rounds the measured rounds (warm-up rounds are not kept)
 * @param error  why the row did not finish, or null
 */
record RowResult(Row row, List<Round> rounds, String error) {

    /**
     * One measured round.
     *
     * @param number         1-based
     * @param tributaryFirst whether Tributary ran before the peer in this round
     * @param records        events each side published or consumed
     * @param tributaryNanos Tributary's time
     * @param peerNanos      the peer's time
     */
    record Round(int number, boolean tributaryFirst, long records, long tributaryNanos, long peerNanos) {
        double tributaryRate() {
            return Stats.rate(records, tributaryNanos);
        }

        double peerRate() {
            return Stats.rate(records, peerNanos);
        }

        double ratio() {
            return tributaryRate() / peerRate();
        }
    }

    RowResult {
        rounds = List.copyOf(rounds);
    }

    boolean measured() {
        return !rounds.isEmpty();
    }

    double[] tributaryRates() {
        return rounds.stream().mapToDouble(Round::tributaryRate).toArray();
    }

    double[] peerRates() {
        return rounds.stream().mapToDouble(Round::peerRate).toArray();
    }

    /** The median of the per-round ratios Tributary ÷ peer: the row's figure. */
    double medianRatio() {
        return Stats.medianOfRatios(tributaryRates(), peerRates());
    }

    double medianTributaryRate() {
        return Stats.median(tributaryRates());
    }

    double medianPeerRate() {
        return Stats.median(peerRates());
    }
}
