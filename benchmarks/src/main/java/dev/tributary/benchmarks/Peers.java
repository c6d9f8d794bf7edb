package dev.tributary.benchmarks;

import dev.tributary.tck.fixture.LocalProcessBroker;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Tributary beside its Java peers, same work, same broker (docs/benchmarks.md, Peers):
 *
 * <pre>
 * mvn -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/tributary-peers.jar redis|kafka|all [--rounds 7] [--records 100000] [--out docs/bench/peers]
 * </pre>
 *
 * Prints a markdown table and writes {@code peers-<backend>.json} (every round) and
 * {@code peers-<backend>.svg} (a bar chart) to the output directory.
 */
public final class Peers {
    private Peers() {}

    /**
     * Runs the comparison; exits with 2 on a wrong command line, 1 when a broker could not be had or a
     * row failed.
     *
     * @param args {@code redis|kafka|all} and the options of {@code --help}
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 0
                || List.of(args).contains("--help")
                || List.of(args).contains("-h")) {
            System.out.print(Options.USAGE);
            return;
        }
        if (args[0].equals("chart")) {
            System.exit(chart(args));
            return;
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("peers: " + e.getMessage());
            System.err.print(Options.USAGE);
            System.exit(2);
            return;
        }
        System.exit(run(options, String.join(" ", args), System.out, System.err));
    }

    static int run(Options o, String command, PrintStream out, PrintStream log) throws IOException {
        String startedAt = now();
        String loadStart = loadAverage();
        Map<String, String> brokers = new LinkedHashMap<>();
        List<RowResult> results = new ArrayList<>();
        if (o.redis()) {
            results.addAll(redis(o, brokers, log));
        }
        if (o.kafka()) {
            results.addAll(kafka(o, brokers, log));
        }
        RunInfo info = new RunInfo(
                command,
                startedAt,
                now(),
                loadStart,
                loadAverage(),
                o.rounds(),
                o.warmup(),
                o.records(),
                o.consumeRecords(),
                Window.PAYLOAD_BYTES,
                brokers,
                versions());
        out.println();
        out.print(MarkdownTable.render(info, results));
        Files.createDirectories(o.out());
        Path json = o.out().resolve("peers-" + o.which() + ".json");
        Path svg = o.out().resolve("peers-" + o.which() + ".svg");
        String recorded = JsonReport.render(info, results);
        Files.writeString(json, recorded, StandardCharsets.UTF_8);
        Files.writeString(svg, svg(RecordedRun.parse(recorded)), StandardCharsets.UTF_8);
        out.println();
        out.println("written: " + json + ", " + svg);
        boolean failed = brokers.values().stream().anyMatch(b -> b.startsWith("unavailable"))
                || results.stream().anyMatch(r -> r.error() != null);
        return failed ? 1 : 0;
    }

    /** The chart of a recorded run: drawn from its JSON, right after the run or later. */
    static String svg(RecordedRun run) {
        return SvgChart.render(
                "Tributary vs Java peers, " + run.info().startedAt() + ", load "
                        + run.info().loadStart() + " to " + run.info().loadEnd(),
                run.results());
    }

    /** {@code chart FILE.json}: draws the SVG of a recorded run again, beside the JSON. */
    private static int chart(String[] args) throws IOException {
        if (args.length != 2 || !args[1].endsWith(".json")) {
            System.err.println("peers: usage: chart FILE.json (writes FILE.svg beside it)");
            return 2;
        }
        Path json = Path.of(args[1]);
        String name = json.getFileName().toString();
        Path svg = json.resolveSibling(name.substring(0, name.length() - ".json".length()) + ".svg");
        try {
            Files.writeString(
                    svg,
                    svg(RecordedRun.parse(Files.readString(json, StandardCharsets.UTF_8))),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            System.err.println("peers: " + json + ": " + e.getMessage());
            return 1;
        }
        System.out.println("written: " + svg);
        return 0;
    }

    private static List<RowResult> redis(Options o, Map<String, String> brokers, PrintStream log) {
        List<String> ids = List.of("1", "2", "3", "4", "5", "6", "7a", "7b");
        if (ids.stream().noneMatch(o::selected)) {
            return List.of();
        }
        LocalProcessBroker started = null;
        try {
            String uri = o.redisUri();
            if (uri == null) {
                started = LocalBrokers.redis();
                uri = "redis://127.0.0.1:" + started.port();
                brokers.put("redis", "redis-server (no persistence) started on " + uri);
            } else {
                brokers.put("redis", "given: " + uri);
            }
            log.println("redis: " + brokers.get("redis"));
            try (RedisBackend backend = new RedisBackend(uri)) {
                return runRows(Rows.redis(backend), backend, o, log);
            }
        } catch (RuntimeException e) {
            brokers.put("redis", "unavailable: " + RowRunner.cause(e));
            log.println("redis: " + brokers.get("redis"));
            return List.of();
        } finally {
            if (started != null) {
                started.close();
            }
        }
    }

    private static List<RowResult> kafka(Options o, Map<String, String> brokers, PrintStream log) {
        List<String> ids = List.of("8a", "8b", "9", "10");
        if (ids.stream().noneMatch(o::selected)) {
            return List.of();
        }
        LocalProcessBroker started = null;
        try {
            String bootstrap = o.kafkaBootstrap();
            if (bootstrap == null) {
                Path cp = o.kafkaClasspath() != null
                        ? o.kafkaClasspath()
                        : LocalBrokers.defaultKafkaClasspath()
                                .orElseThrow(() -> new IllegalStateException(
                                        "cannot tell where the jar is; pass --kafka-classpath FILE"));
                started = LocalBrokers.kafka(cp);
                bootstrap = "127.0.0.1:" + started.port();
                brokers.put("kafka", "single-node KRaft broker from the Maven jars started on " + bootstrap);
            } else {
                brokers.put("kafka", "given: " + bootstrap);
            }
            if (o.kafkaOptions() != null) {
                brokers.put("kafka", brokers.get("kafka") + "; Tributary's URI options: " + o.kafkaOptions());
            }
            log.println("kafka: " + brokers.get("kafka"));
            try (KafkaBackend backend = new KafkaBackend(bootstrap, o.kafkaOptions())) {
                return runRows(Rows.kafka(backend), backend, o, log);
            }
        } catch (RuntimeException e) {
            brokers.put("kafka", "unavailable: " + RowRunner.cause(e));
            log.println("kafka: " + brokers.get("kafka"));
            return List.of();
        } finally {
            if (started != null) {
                started.close();
            }
        }
    }

    private static List<RowResult> runRows(List<Row> rows, Backend backend, Options o, PrintStream log) {
        RowRunner runner = new RowRunner(backend, o.rounds(), o.warmup(), o.records(), o.consumeRecords(), log);
        List<RowResult> results = new ArrayList<>();
        for (Row row : rows) {
            if (o.selected(row.id())) {
                results.add(runner.run(row));
            }
        }
        return results;
    }

    /** {@code /proc/loadavg}'s 1, 5 and 15 minute figures, or why there are none. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII)
                    .trim()
                    .split("\\s+");
            return f.length >= 3 ? f[0] + " " + f[1] + " " + f[2] : "unreadable";
        } catch (IOException e) {
            return "unavailable (" + e.getMessage() + ")";
        }
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** The libraries' versions, written at build time into {@code peers-versions.properties}. */
    static Map<String, String> versions() {
        Properties p = new Properties();
        try (InputStream in = Peers.class.getResourceAsStream("/peers-versions.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            return Map.of("unknown", e.toString());
        }
        Map<String, String> out = new LinkedHashMap<>();
        p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
        out.put("java", System.getProperty("java.version"));
        return out;
    }
}
