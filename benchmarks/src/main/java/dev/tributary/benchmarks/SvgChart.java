package dev.tributary.benchmarks;

import java.util.List;
import java.util.Locale;

/**
 * A horizontal bar chart of a run, as a hand-written SVG string: per row one bar for Tributary and one for
 * the peer (median events/s of the rounds, one scale for all rows of an operation is not assumed: every bar
 * is scaled to the fastest median of the chart) and the median of the per-round ratios beside them. Drawn
 * from the same figures the JSON holds.
 */
final class SvgChart {
    static final int WIDTH = 960;
    static final int LABEL_WIDTH = 380;
    static final int BAR_AREA = 420;
    static final int ROW_HEIGHT = 58;
    static final int TOP = 56;

    private SvgChart() {}

    static String render(String title, List<RowResult> results) {
        double max = 0;
        for (RowResult r : results) {
            if (r.measured()) {
                max = Math.max(max, Math.max(r.medianTributaryRate(), r.medianPeerRate()));
            }
        }
        int height = TOP + ROW_HEIGHT * results.size() + 24;
        StringBuilder s = new StringBuilder(8192);
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(WIDTH)
                .append("\" height=\"")
                .append(height)
                .append("\" viewBox=\"0 0 ")
                .append(WIDTH)
                .append(' ')
                .append(height)
                .append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
        s.append("<style>.tributary{fill:#2b6cb0}.peer{fill:#dd6b20}.ratio{font-weight:bold}</style>\n");
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        text(s, 10, 20, "font-size=\"15\" font-weight=\"bold\"", title);
        s.append("<rect x=\"10\" y=\"30\" width=\"12\" height=\"12\" class=\"tributary\"/>\n");
        text(s, 28, 40, "", "Tributary (median events/s)");
        s.append("<rect x=\"230\" y=\"30\" width=\"12\" height=\"12\" class=\"peer\"/>\n");
        text(s, 248, 40, "", "peer (median events/s)");
        text(s, LABEL_WIDTH + BAR_AREA + 70, 40, "class=\"ratio\"", "ratio");
        int y = TOP;
        for (RowResult r : results) {
            row(s, r, y, max);
            y += ROW_HEIGHT;
        }
        return s.append("</svg>\n").toString();
    }

    private static void row(StringBuilder s, RowResult r, int y, double max) {
        Row row = r.row();
        text(s, 10, y + 14, "font-weight=\"bold\"", row.id() + ". " + row.backend() + " " + row.operation());
        text(s, 10, y + 30, "", row.tributary().label());
        text(s, 10, y + 46, "", "vs " + row.peer().label());
        if (!r.measured()) {
            String why = r.error() == null ? "not measured" : "not measured: " + r.error();
            text(s, LABEL_WIDTH, y + 30, "fill=\"#a00\"", why.length() > 90 ? why.substring(0, 87) + "..." : why);
            return;
        }
        bar(s, "tributary", y + 6, r.medianTributaryRate(), max);
        bar(s, "peer", y + 26, r.medianPeerRate(), max);
        text(s, LABEL_WIDTH + BAR_AREA + 70, y + 30, "class=\"ratio\"", format("%.2f\u00d7", r.medianRatio()));
    }

    private static void bar(StringBuilder s, String side, int y, double rate, double max) {
        double w = max > 0 ? Math.max(1, rate / max * BAR_AREA) : 1;
        s.append("<rect class=\"bar ")
                .append(side)
                .append("\" x=\"")
                .append(LABEL_WIDTH)
                .append("\" y=\"")
                .append(y)
                .append("\" width=\"")
                .append(format("%.1f", w))
                .append("\" height=\"16\"/>\n");
        text(s, (int) (LABEL_WIDTH + w + 4), y + 12, "", format("%,.0f/s", rate));
    }

    private static void text(StringBuilder s, int x, int y, String attributes, String content) {
        s.append("<text x=\"").append(x).append("\" y=\"").append(y).append('"');
        if (!attributes.isEmpty()) {
            s.append(' ').append(attributes);
        }
        s.append('>').append(escape(content)).append("</text>\n");
    }

    static String escape(String v) {
        return v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String format(String pattern, double v) {
        return String.format(Locale.ROOT, pattern, v);
    }
}
