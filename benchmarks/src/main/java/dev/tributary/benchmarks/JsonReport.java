package dev.tributary.benchmarks;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The run as JSON: its circumstances and every round of every row (hand-written, no JSON library). */
final class JsonReport {
    private JsonReport() {}

    static String render(RunInfo info, List<RowResult> results) {
        StringBuilder s = new StringBuilder(4096);
        s.append("{\n");
        field(s, 1, "tool", "tributary-peers").append(",\n");
        field(s, 1, "command", info.command()).append(",\n");
        field(s, 1, "startedAt", info.startedAt()).append(",\n");
        field(s, 1, "finishedAt", info.finishedAt()).append(",\n");
        field(s, 1, "loadAverageStart", info.loadStart()).append(",\n");
        field(s, 1, "loadAverageEnd", info.loadEnd()).append(",\n");
        indent(s, 1).append("\"settings\": {\"rounds\": ").append(info.rounds());
        s.append(", \"warmupRounds\": ").append(info.warmup());
        s.append(", \"publishRecords\": ").append(info.publishRecords());
        s.append(", \"consumeRecords\": ").append(info.consumeRecords());
        s.append(", \"payloadBytes\": ").append(info.payloadBytes()).append("},\n");
        map(s, "brokers", info.brokers()).append(",\n");
        map(s, "versions", info.versions()).append(",\n");
        indent(s, 1).append("\"rows\": [");
        for (int i = 0; i < results.size(); i++) {
            s.append(i == 0 ? "\n" : ",\n");
            row(s, results.get(i));
        }
        s.append(results.isEmpty() ? "]\n" : "\n  ]\n").append("}\n");
        return s.toString();
    }

    private static void row(StringBuilder s, RowResult r) {
        Row row = r.row();
        indent(s, 2).append("{\n");
        field(s, 3, "id", row.id()).append(",\n");
        field(s, 3, "backend", row.backend()).append(",\n");
        field(s, 3, "operation", row.operation()).append(",\n");
        field(s, 3, "title", row.title()).append(",\n");
        contender(s, "tributary", row.tributary()).append(",\n");
        contender(s, "peer", row.peer()).append(",\n");
        if (r.error() != null) {
            field(s, 3, "error", r.error()).append(",\n");
        }
        if (r.measured()) {
            indent(s, 3)
                    .append("\"medianRatio\": ")
                    .append(num(r.medianRatio()))
                    .append(",\n");
            indent(s, 3)
                    .append("\"medianTributaryRate\": ")
                    .append(num(r.medianTributaryRate()))
                    .append(",\n");
            indent(s, 3)
                    .append("\"medianPeerRate\": ")
                    .append(num(r.medianPeerRate()))
                    .append(",\n");
        }
        indent(s, 3).append("\"rounds\": [");
        List<RowResult.Round> rounds = r.rounds();
        for (int i = 0; i < rounds.size(); i++) {
            RowResult.Round x = rounds.get(i);
            s.append(i == 0 ? "\n" : ",\n");
            indent(s, 4).append("{\"round\": ").append(x.number());
            s.append(", \"first\": \"")
                    .append(x.tributaryFirst() ? "tributary" : "peer")
                    .append('"');
            s.append(", \"records\": ").append(x.records());
            s.append(", \"tributaryNanos\": ").append(x.tributaryNanos());
            s.append(", \"peerNanos\": ").append(x.peerNanos());
            s.append(", \"tributaryRate\": ").append(num(x.tributaryRate()));
            s.append(", \"peerRate\": ").append(num(x.peerRate()));
            s.append(", \"ratio\": ").append(num(x.ratio())).append('}');
        }
        s.append(rounds.isEmpty() ? "]\n" : "\n      ]\n");
        indent(s, 2).append('}');
    }

    private static StringBuilder contender(StringBuilder s, String name, Row.Contender c) {
        indent(s, 3).append('"').append(name).append("\": {");
        s.append("\"label\": ").append(quote(c.label()));
        s.append(", \"method\": ").append(quote(c.method()));
        s.append(", \"guarantee\": ").append(quote(c.guarantee())).append('}');
        return s;
    }

    private static StringBuilder map(StringBuilder s, String name, Map<String, String> m) {
        indent(s, 1).append('"').append(name).append("\": {");
        boolean first = true;
        for (Map.Entry<String, String> e : new TreeMap<>(m).entrySet()) {
            s.append(first ? "" : ", ").append(quote(e.getKey())).append(": ").append(quote(e.getValue()));
            first = false;
        }
        return s.append('}');
    }

    private static StringBuilder field(StringBuilder s, int level, String name, String value) {
        return indent(s, level).append('"').append(name).append("\": ").append(quote(value));
    }

    private static StringBuilder indent(StringBuilder s, int level) {
        return s.append("  ".repeat(level));
    }

    /** A number as JSON allows it: NaN and the infinities become null. */
    static String num(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return "null";
        }
        return String.format(Locale.ROOT, "%.4f", d);
    }

    /** A JSON string literal. */
    static String quote(String v) {
        if (v == null) {
            return "null";
        }
        StringBuilder s = new StringBuilder(v.length() + 2).append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                default -> {
                    if (c < 0x20) {
                        s.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        return s.append('"').toString();
    }
}
