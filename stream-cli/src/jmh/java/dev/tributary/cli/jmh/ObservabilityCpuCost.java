package dev.tributary.cli.jmh;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The operations of {@link ObservabilityBenchmark}, measured in CPU time of the whole process (the
 * calling thread, the span processor's thread, GC, JIT) per operation rather than wall time. On a
 * shared, overloaded machine wall time per operation grows with every other process's load, CPU time
 * much less: it is what observability takes away from a CPU-bound application. For each mode: a
 * warm-up pass, then {@code reps} passes of {@code ops} operations each; prints the median and the
 * lowest pass in ns per operation.
 *
 * <pre>
 * java -cp ... dev.tributary.cli.jmh.ObservabilityCpuCost [ops] [reps]
 * </pre>
 */
public final class ObservabilityCpuCost {
    private ObservabilityCpuCost() {
    }

    /**
     * Runs every mode and operation and prints a table.
     *
     * @param args optional: operations per pass (default 200 000), passes (default 5)
     * @throws Exception if a benchmark fails
     */
    public static void main(String[] args) throws Exception {
        int ops = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        String[] modes = args.length > 2 ? args[2].split(",")
                : new String[] {"plain", "header", "metrics", "metrics_percentiles", "tracing_all", "tracing_1pct",
                    "tracing_1pct_parents", "tracing_1pct_parents_nodrop", "both_all", "both_1pct"};
        Blackhole bh = new Blackhole(
                "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        System.out.printf(Locale.ROOT, "%-20s %-8s %12s %12s%n", "mode", "op", "median ns", "min ns");
        for (String mode : modes) {
            ObservabilityBenchmark b = new ObservabilityBenchmark();
            b.mode = mode;
            b.open();
            try {
                for (String op : new String[] {"append", "consume", "handle"}) {
                    int perCall = op.equals("consume") ? 100 : 1;
                    int calls = Math.max(1, ops / perCall);
                    double[] ns = new double[reps];
                    for (int r = -1; r < reps; r++) { // r = -1: warm-up
                        b.freshStream();
                        long cpu0 = cpu();
                        for (int i = 0; i < calls; i++) {
                            switch (op) {
                                case "append" -> bh.consume(b.append());
                                case "consume" -> b.consume(bh);
                                default -> b.handle(bh);
                            }
                        }
                        long cpu = cpu() - cpu0;
                        if (r >= 0) {
                            ns[r] = (double) cpu / ((long) calls * perCall);
                        }
                    }
                    Arrays.sort(ns);
                    System.out.printf(Locale.ROOT, "%-20s %-8s %12.0f %12.0f%n", mode, op, ns[reps / 2], ns[0]);
                }
            } finally {
                b.close();
            }
        }
        bh.evaporate("Yes, I am Stephen Hawking, and know a thing or two about black holes.");
    }

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
