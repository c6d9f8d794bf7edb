package dev.tributary.benchmarks;

import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/** The run as a markdown table for stdout and the doc. */
final class MarkdownTable {
    private MarkdownTable() {}

    static String render(RunInfo info, List<RowResult> results) {
        StringBuilder s = new StringBuilder(4096);
        s.append(String.format(
                Locale.ROOT,
                "%d measured round(s) per row after %d warm-up; %,d events published / %,d consumed per side per"
                        + " round, %d B each; load average %s at start, %s at end%n%n",
                info.rounds(),
                info.warmup(),
                info.publishRecords(),
                info.consumeRecords(),
                info.payloadBytes(),
                info.loadStart(),
                info.loadEnd()));
        s.append("| # | row | Tributary | peer | guarantee (Tributary / peer) | Tributary events/s | peer events/s"
                + " | ratio (median of rounds) | per-round ratios |\n");
        s.append("|---|---|---|---|---|---:|---:|---:|---|\n");
        for (RowResult r : results) {
            Row row = r.row();
            s.append("| ")
                    .append(row.id())
                    .append(" | ")
                    .append(cell(row.backend() + " " + row.operation() + ": " + row.title()))
                    .append(" | ")
                    .append(cell(row.tributary().label()))
                    .append(" | ")
                    .append(cell(row.peer().label()))
                    .append(" | ")
                    .append(cell(
                            row.tributary().guarantee() + " / " + row.peer().guarantee()))
                    .append(" | ");
            if (r.measured()) {
                s.append(String.format(
                                Locale.ROOT,
                                "%,.0f | %,.0f | **%.2f** | ",
                                r.medianTributaryRate(),
                                r.medianPeerRate(),
                                r.medianRatio()))
                        .append(perRound(r))
                        .append(" |\n");
            } else {
                s.append("— | — | — | ")
                        .append(cell("not measured: " + (r.error() == null ? "no rounds" : r.error())))
                        .append(" |\n");
            }
        }
        return s.toString();
    }

    /** e.g. {@code 0.95 (T), 1.02 (p)}: each round's ratio and who went first. */
    private static String perRound(RowResult r) {
        StringJoiner j = new StringJoiner(", ");
        for (RowResult.Round x : r.rounds()) {
            j.add(String.format(Locale.ROOT, "%.2f (%s)", x.ratio(), x.tributaryFirst() ? "T" : "p"));
        }
        return j.toString();
    }

    private static String cell(String v) {
        return v.replace("|", "\\|").replace("\n", " ");
    }
}
