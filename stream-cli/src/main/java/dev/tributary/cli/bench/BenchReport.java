package dev.tributary.cli.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.cli.command.Json;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * What {@code tributary bench} reports once its rounds are done: the table (median round per phase, latency
 * percentiles over all rounds merged, the median of the per-round ratios) and the same as JSON.
 */
final class BenchReport {
    private final PrintWriter out;
    private final List<Phase> phases;
    private final Side trib;
    private final Side raw;

    /** A report of the phases run on {@code trib} and, if not null, {@code raw}. */
    BenchReport(PrintWriter out, List<Phase> phases, Side trib, Side raw) {
        this.out = out;
        this.phases = phases;
        this.trib = trib;
        this.raw = raw;
    }

    /** The median round by events per second. */
    static PhaseResult median(List<PhaseResult> results) {
        List<PhaseResult> sorted = new ArrayList<>(results);
        sorted.sort(Comparator.comparingDouble(PhaseResult::eventsPerSecond));
        return sorted.get(sorted.size() / 2);
    }

    /**
     * The median of the per-round ratios {@code t[i] / r[i]} (events per second) over the rounds both
     * sides finished: each round's two sides ran back to back, so a ratio within a round sees the same
     * load, which the ratio of the two medians does not.
     */
    static double medianRatio(List<PhaseResult> t, List<PhaseResult> r) {
        int n = Math.min(t.size(), r.size());
        if (n == 0) {
            return Double.NaN;
        }
        double[] ratios = new double[n];
        for (int i = 0; i < n; i++) {
            ratios[i] = t.get(i).eventsPerSecond() / r.get(i).eventsPerSecond();
        }
        java.util.Arrays.sort(ratios);
        return n % 2 == 1 ? ratios[n / 2] : (ratios[n / 2 - 1] + ratios[n / 2]) / 2;
    }

    /** Tributary's p99 over the raw side's, every measured round's events merged (the latency goal's figure). */
    static double p99Ratio(List<PhaseResult> t, List<PhaseResult> r) {
        double raw = ms(merged(r), 99);
        return raw > 0 ? ms(merged(t), 99) / raw : Double.NaN;
    }

    /** Every round's latencies in one histogram. */
    static Histogram merged(List<PhaseResult> results) {
        Histogram h = PhaseResult.newHistogram();
        for (PhaseResult r : results) {
            h.add(r.latency());
        }
        return h;
    }

    /** Prints the table: each phase's rows, then the ratios; {@code header} says what ran. */
    void printTable(String header, String backend) {
        out.println();
        out.println(header);
        out.println();
        String rawLabel = raw == null ? "" : raw.target.label();
        out.printf(Locale.ROOT, "%-20s %14s %18s %7s%n", "", trib.target.label(), rawLabel, raw == null ? "" : "ratio");
        for (Phase phase : phases) {
            phaseRows(phase.label(), trib.of(phase), raw == null ? null : raw.of(phase), phase.latency);
        }
        if (raw != null && !raw.of(Phase.APPEND).isEmpty()) {
            if (phases.contains(Phase.LATENCY)) {
                out.printf(
                        Locale.ROOT,
                        "%-20s %14s %18s %7.2f%n",
                        "latency  p99 ratio",
                        "all rounds'",
                        "events merged",
                        p99Ratio(trib.of(Phase.LATENCY), raw.of(Phase.LATENCY)));
            }
            for (Phase phase : phases) {
                out.printf(
                        Locale.ROOT,
                        "%-20s %14s %18s %7.2f%n",
                        String.format(Locale.ROOT, "%-8s ratio/round", phase.label()),
                        "median of",
                        "per-round ratios",
                        medianRatio(trib.of(phase), raw.of(phase)));
            }
        }
        if (raw == null) {
            out.println();
            out.println("(no raw client for backend '" + backend + "': Tributary only)");
        }
        out.flush();
    }

    private void phaseRows(String phase, List<PhaseResult> t, List<PhaseResult> r, String latencyLabel) {
        PhaseResult tm = median(t);
        PhaseResult rm = r == null || r.isEmpty() ? null : median(r);
        Histogram th = merged(t);
        Histogram rh = rm == null ? null : merged(r);
        String p = String.format(Locale.ROOT, "%-8s ", phase);
        String blank = " ".repeat(p.length());
        row(p + "events/s", tm.eventsPerSecond(), rm == null ? null : rm.eventsPerSecond(), true, "%,.0f");
        row(blank + "MB/s", tm.megabytesPerSecond(), rm == null ? null : rm.megabytesPerSecond(), true, "%.2f");
        row(blank + "p50 ms", ms(th, 50), rh == null ? null : ms(rh, 50), false, "%.3f");
        row(blank + "p99 ms", ms(th, 99), rh == null ? null : ms(rh, 99), false, "%.3f");
        row(blank + "max ms", th.getMaxValue() / 1000.0, rh == null ? null : rh.getMaxValue() / 1000.0, false, "%.3f");
        out.printf("%s(latency: %s)%n", blank, latencyLabel);
    }

    private void row(String label, double t, Double r, boolean ratio, String fmt) {
        String rs = r == null ? "" : String.format(Locale.ROOT, fmt, r);
        String ratioText = ratio && r != null && r > 0 ? String.format(Locale.ROOT, "%.2f", t / r) : "";
        out.printf(Locale.ROOT, "%-20s %14s %18s %7s%n", label, String.format(Locale.ROOT, fmt, t), rs, ratioText);
    }

    /** A percentile in milliseconds; 0 for an empty histogram. */
    static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
    }

    /**
     * The result as JSON: {@code n} already holds what the command knows (backend, URI, workload); this adds
     * each side's phases and the ratios.
     */
    ObjectNode toJson(ObjectNode n) {
        n.put("rounds", trib.of(Phase.APPEND).size());
        n.set("tributary", sideJson(trib));
        if (raw != null && !raw.of(Phase.APPEND).isEmpty()) {
            n.set("raw", sideJson(raw));
            ObjectNode ratio = n.putObject("ratio");
            ObjectNode perRound = n.putObject("ratioMedianOfRounds");
            for (Phase phase : phases) {
                ratio.put(
                        phase.label(),
                        median(trib.of(phase)).eventsPerSecond()
                                / median(raw.of(phase)).eventsPerSecond());
                perRound.put(phase.label(), medianRatio(trib.of(phase), raw.of(phase)));
            }
            if (phases.contains(Phase.LATENCY)) {
                n.put("latencyP99Ratio", p99Ratio(trib.of(Phase.LATENCY), raw.of(Phase.LATENCY)));
            }
        }
        return n;
    }

    private static ObjectNode sideJson(Side s) {
        ObjectNode n = Json.object();
        n.put("label", s.target.label());
        if (!s.target.method().isEmpty()) {
            n.put("method", s.target.method());
        }
        s.results.forEach((phase, results) -> n.set(phase.label(), phaseJson(results)));
        return n;
    }

    private static ObjectNode phaseJson(List<PhaseResult> results) {
        ObjectNode n = Json.object();
        PhaseResult m = median(results);
        Histogram h = merged(results);
        n.put("eventsPerSecond", Math.round(m.eventsPerSecond()));
        n.put("mbPerSecond", m.megabytesPerSecond());
        n.put("p50Ms", ms(h, 50));
        n.put("p99Ms", ms(h, 99));
        n.put("p999Ms", ms(h, 99.9));
        n.put("maxMs", h.getMaxValue() / 1000.0);
        ArrayNode rs = n.putArray("roundsEventsPerSecond");
        results.forEach(r -> rs.add(Math.round(r.eventsPerSecond())));
        return n;
    }
}
