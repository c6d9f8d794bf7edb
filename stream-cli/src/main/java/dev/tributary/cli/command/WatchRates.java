package dev.tributary.cli.command;

import dev.tributary.GroupInfo;
import java.util.HashMap;
import java.util.Map;

/**
 * Rates between two {@link WatchSample}s of the same stream, per second. The API has no append
 * counter, so events appended are the growth of the stream's length; the acked events of a group
 * follow from what every event is at any time — lag (not yet delivered), pending (delivered, not
 * acked) or acked: {@code acked = appended − Δlag − Δpending}.
 *
 * <p>A rate is {@link Double#NaN} (shown {@code ?}) when it cannot be told: the stream was trimmed
 * between the samples (its first id moved, or it shrank — then its growth is not what was appended),
 * it did not exist in one of them, the backend reports the group's lag as unknown ({@code -1}), or
 * the group is new. Small negative acked figures — the stream and its groups are not read atomically
 * — are shown as 0.
 *
 * @param appendedPerSecond events appended to the stream per second
 * @param groups            the rates of every group present in both samples, by name
 */
record WatchRates(double appendedPerSecond, Map<String, GroupRate> groups) {
    /**
     * The rates of one group.
     *
     * @param ackedPerSecond events acked per second
     * @param lagPerSecond   change of the lag per second: positive while the group falls behind
     */
    record GroupRate(double ackedPerSecond, double lagPerSecond) {}

    WatchRates {
        groups = Map.copyOf(groups);
    }

    /** The rates of a group; both NaN when not known. */
    GroupRate group(String name) {
        return groups.getOrDefault(name, new GroupRate(Double.NaN, Double.NaN));
    }

    /** The rates from {@code before} to {@code after} (taken later, of the same stream). */
    static WatchRates between(WatchSample before, WatchSample after) {
        double seconds = (after.nanos() - before.nanos()) / 1e9;
        if (seconds <= 0) {
            throw new IllegalArgumentException("the second sample must be taken after the first, got "
                    + (after.nanos() - before.nanos()) + " ns between them");
        }
        long appended = appended(before, after);
        double appendedRate = appended < 0 ? Double.NaN : appended / seconds;
        Map<String, GroupRate> rates = new HashMap<>();
        for (GroupInfo now : after.groups()) {
            GroupInfo then = before.group(now.group());
            if (then == null || then.lag() < 0 || now.lag() < 0) {
                continue;
            }
            double lagRate = (now.lag() - then.lag()) / seconds;
            double acked = appended < 0
                    ? Double.NaN
                    : Math.max(0, appended - (now.lag() - then.lag()) - (now.pending() - then.pending())) / seconds;
            rates.put(now.group(), new GroupRate(acked, lagRate));
        }
        return new WatchRates(appendedRate, rates);
    }

    /** Events appended between the samples, or -1 when the stream's growth does not tell. */
    static long appended(WatchSample before, WatchSample after) {
        if (!before.stream().exists() || !after.stream().exists()) {
            return -1;
        }
        if (before.stream().firstId().isPresent()
                && !before.stream().firstId().equals(after.stream().firstId())) {
            return -1; // trimmed (or emptied): some of what was appended is already gone
        }
        long grown = after.stream().length() - before.stream().length();
        return grown < 0 ? -1 : grown;
    }
}
