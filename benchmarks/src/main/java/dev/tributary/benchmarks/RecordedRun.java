package dev.tributary.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run read back from its JSON ({@link JsonReport}): what the chart is drawn from, both right after a run
 * and later with {@code chart FILE.json}.
 *
 * @param info    the run's circumstances
 * @param results every row with its measured rounds or its error
 */
record RecordedRun(RunInfo info, List<RowResult> results) {

    RecordedRun {
        results = List.copyOf(results);
    }

    static RecordedRun parse(String json) {
        Map<String, Object> root = map(JsonParser.parse(json), "the document");
        Map<String, Object> settings = map(root.get("settings"), "settings");
        RunInfo info = new RunInfo(
                str(root, "command"),
                str(root, "startedAt"),
                str(root, "finishedAt"),
                str(root, "loadAverageStart"),
                str(root, "loadAverageEnd"),
                num(settings, "rounds").intValue(),
                num(settings, "warmupRounds").intValue(),
                num(settings, "publishRecords").intValue(),
                num(settings, "consumeRecords").intValue(),
                num(settings, "payloadBytes").intValue(),
                strings(root.get("brokers")),
                strings(root.get("versions")));
        List<RowResult> results = new ArrayList<>();
        for (Object o : list(root.get("rows"), "rows")) {
            results.add(row(map(o, "a row")));
        }
        return new RecordedRun(info, results);
    }

    private static RowResult row(Map<String, Object> r) {
        Row row = new Row(
                str(r, "id"),
                str(r, "backend"),
                str(r, "operation"),
                str(r, "title"),
                contender(map(r.get("tributary"), "tributary")),
                contender(map(r.get("peer"), "peer")));
        List<RowResult.Round> rounds = new ArrayList<>();
        for (Object o : list(r.get("rounds"), "rounds")) {
            Map<String, Object> x = map(o, "a round");
            rounds.add(new RowResult.Round(
                    num(x, "round").intValue(),
                    "tributary".equals(str(x, "first")),
                    num(x, "records").longValue(),
                    num(x, "tributaryNanos").longValue(),
                    num(x, "peerNanos").longValue()));
        }
        Object error = r.get("error");
        return new RowResult(row, rounds, error == null ? null : error.toString());
    }

    private static Row.Contender contender(Map<String, Object> c) {
        return new Row.Contender(str(c, "label"), str(c, "method"), str(c, "guarantee"), () -> {
            throw new IllegalStateException("a side read back from JSON cannot run");
        });
    }

    @SuppressWarnings("unchecked") // the parser makes objects of this type only
    private static Map<String, Object> map(Object o, String what) {
        if (o instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new IllegalArgumentException(what + " is not a JSON object");
    }

    private static List<?> list(Object o, String what) {
        if (o instanceof List<?> l) {
            return l;
        }
        throw new IllegalArgumentException(what + " is not a JSON array");
    }

    private static String str(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v == null ? "" : v.toString();
    }

    private static Double num(Map<String, Object> m, String key) {
        if (m.get(key) instanceof Double d) {
            return d;
        }
        throw new IllegalArgumentException("'" + key + "' is missing or not a number");
    }

    private static Map<String, String> strings(Object o) {
        Map<String, String> out = new LinkedHashMap<>();
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(k.toString(), String.valueOf(v)));
        }
        return out;
    }
}
