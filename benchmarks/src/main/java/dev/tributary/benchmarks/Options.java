package dev.tributary.benchmarks;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The command line: {@code redis|kafka|all} and options.
 *
 * @param which          {@code redis}, {@code kafka} or {@code all}
 * @param rounds         measured rounds per row
 * @param warmup         discarded rounds per row before them
 * @param records        events published per side per round
 * @param consumeRecords events consumed per side per round (pre-filled)
 * @param out            where the JSON and the SVG go
 * @param redisUri       an existing Redis ({@code redis://host:port}), or null to start redis-server
 * @param kafkaBootstrap an existing Kafka ({@code host:port}), or null to start a KRaft broker
 * @param kafkaClasspath the file holding the broker's class path, or null for the one beside the jar
 * @param kafkaOptions   query options for Tributary's Kafka URI ({@code commitInterval=100ms}), or null
 * @param rows           the row ids to run, empty for all
 */
record Options(
        String which,
        int rounds,
        int warmup,
        int records,
        int consumeRecords,
        Path out,
        String redisUri,
        String kafkaBootstrap,
        Path kafkaClasspath,
        String kafkaOptions,
        Set<String> rows) {

    static final String USAGE = """
            usage: java -jar benchmarks/target/tributary-peers.jar redis|kafka|all [options]
                   java -jar benchmarks/target/tributary-peers.jar chart FILE.json   (draws FILE.svg again)
              --rounds N            measured rounds per row (default 7); the side going first alternates
              --warmup N            discarded rounds per row before them (default 1)
              --records N           events published per side per round (default 100000)
              --consume-records N   events consumed per side per round, pre-filled (default 2 x records)
              --out DIR             where peers.json and peers.svg go (default docs/bench/peers)
              --rows ID,ID          only these rows (e.g. 1,2,7b; default all of the backend)
              --redis-uri URI       use this Redis (redis://host:port) instead of starting redis-server
              --kafka-bootstrap H:P use this Kafka instead of starting a KRaft broker
              --kafka-classpath F   file with the KRaft broker's class path
                                    (default: kafka-broker.classpath beside the jar, written by the build)
              --kafka-options Q     query options of Tributary's kafka:// URI, e.g. commitInterval=100ms
                                    (default: none, the client's defaults)
            """;

    static Options parse(String... args) {
        String which = null;
        int rounds = 7;
        int warmup = 1;
        int records = 100_000;
        Integer consume = null;
        Path out = Path.of("docs", "bench", "peers");
        String redisUri = null;
        String bootstrap = null;
        Path classpath = null;
        String kafkaOptions = null;
        Set<String> rows = new LinkedHashSet<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                if (which != null) {
                    throw new IllegalArgumentException("one of redis|kafka|all, got '" + which + "' and '" + a + "'");
                }
                which = a;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--rounds" -> rounds = positive(a, v);
                case "--warmup" -> warmup = nonNegative(a, v);
                case "--records" -> records = positive(a, v);
                case "--consume-records" -> consume = positive(a, v);
                case "--out" -> out = Path.of(v);
                case "--rows" -> rows.addAll(List.of(v.split(",")));
                case "--redis-uri" -> redisUri = v;
                case "--kafka-bootstrap" -> bootstrap = v;
                case "--kafka-classpath" -> classpath = Path.of(v);
                case "--kafka-options" -> kafkaOptions = v;
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (which == null || !Arrays.asList("redis", "kafka", "all").contains(which)) {
            throw new IllegalArgumentException("say which backend: redis, kafka or all (got " + which + ")");
        }
        int consumeRecords = consume != null ? consume : (int) Math.min(Integer.MAX_VALUE, 2L * records);
        return new Options(
                which,
                rounds,
                warmup,
                records,
                consumeRecords,
                out,
                redisUri,
                bootstrap,
                classpath,
                kafkaOptions,
                Set.copyOf(rows));
    }

    boolean redis() {
        return which.equals("redis") || which.equals("all");
    }

    boolean kafka() {
        return which.equals("kafka") || which.equals("all");
    }

    boolean selected(String rowId) {
        return rows.isEmpty() || rows.contains(rowId);
    }

    private static int positive(String option, String v) {
        int n = nonNegative(option, v);
        if (n == 0) {
            throw new IllegalArgumentException(option + " must be at least 1");
        }
        return n;
    }

    private static int nonNegative(String option, String v) {
        try {
            int n = Integer.parseInt(v.replace("_", ""));
            if (n < 0) {
                throw new IllegalArgumentException(option + " must not be negative, got " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a whole number, got '" + v + "'", e);
        }
    }
}
