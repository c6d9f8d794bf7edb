package dev.tributary.tck;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.tributary.tck.internal.RuleNames;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.discovery.ClassSelector;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs the kit from code with the JUnit Platform launcher, for {@code tributary tck <uri>}: the
 * contract rules ({@link UriTck}) and, when on the classpath, the processor rules
 * ({@code dev.tributary.tck.UriProcessorTck}), then prints a per-rule table (pass / fail / skipped
 * with reason) and the totals.
 *
 * <pre>{@code
 * TckReport report = TckRunner.run("redis://localhost:6379", System.out);
 * if (report.failed() > 0) { ... }
 * }</pre>
 *
 * <p>{@link #main(String[])} takes the URI as its one argument and exits with 0 when no rule failed,
 * 1 when one did and 2 for a usage error. The backend's jar must be on the classpath.
 */
public final class TckRunner {
    /** Concrete kit classes run for a URI when they are on the classpath, besides {@link UriTck}. */
    static final List<String> OPTIONAL_KITS = List.of("dev.tributary.tck.UriProcessorTck");

    private TckRunner() {}

    /** Runs every kit against {@code uri}, prints the table to {@code out} and returns the report. */
    public static synchronized TckReport run(String uri, PrintStream out) {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("a stream URI is required, e.g. memory: or redis://localhost:6379");
        }
        String previous = UriTck.use(uri);
        try {
            List<Class<?>> kits = new ArrayList<>();
            kits.add(UriTck.class);
            for (String name : OPTIONAL_KITS) {
                try {
                    kits.add(Class.forName(name, false, TckRunner.class.getClassLoader()));
                } catch (ClassNotFoundException | LinkageError e) {
                    // not on the classpath: that kit is not run
                }
            }
            String target = dev.tributary.ClientConfig.maskUri(UriTck.target());
            TckReport report = run(kits, target);
            report.print(out);
            return report;
        } finally {
            UriTck.use(previous);
        }
    }

    /**
     * Runs the given concrete kit classes (subclasses of the kits) and collects one row per rule.
     *
     * @param kitClasses         concrete subclasses of {@link StreamClientTck} (or of the processor kit)
     * @param target             what the report says the kit ran against
     * @param methodNamePatterns optional regular expressions on {@code class#method} names; only
     *                           matching rules run (e.g. {@code ".*_A\\d+_.*"} for the A family)
     */
    public static TckReport run(List<Class<?>> kitClasses, String target, String... methodNamePatterns) {
        List<ClassSelector> selectors = new ArrayList<>();
        for (Class<?> c : kitClasses) {
            selectors.add(selectClass(c));
        }
        LauncherDiscoveryRequestBuilder builder =
                LauncherDiscoveryRequestBuilder.request().selectors(selectors);
        if (methodNamePatterns.length > 0) {
            builder.filters(org.junit.platform.launcher.MethodFilter.includeMethodNamePatterns(methodNamePatterns));
        }
        LauncherDiscoveryRequest request = builder.build();
        Collector collector = new Collector();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(request, collector);
        return new TckReport(target, collector.rows());
    }

    /** {@code TckRunner <uri>}: prints the rule table; exit status 0 (all passed or skipped), 1 (a failure), 2 (usage). */
    public static void main(String[] args) {
        if (args.length != 1 || args[0].startsWith("-")) {
            System.err.println(
                    "usage: TckRunner <stream-uri>   e.g. TckRunner memory:   or   TckRunner redis://localhost:6379");
            System.exit(2);
            return;
        }
        TckReport report = run(args[0], System.out);
        System.exit(report.failed() > 0 ? 1 : 0);
    }

    /** Turns the launcher's events into rows. */
    static final class Collector implements TestExecutionListener {
        private final List<TckReport.RuleResult> rows = Collections.synchronizedList(new ArrayList<>());
        private final Map<String, String> skippedContainers = new ConcurrentHashMap<>();
        private volatile TestPlan plan;

        @Override
        public void testPlanExecutionStarted(TestPlan testPlan) {
            this.plan = testPlan;
        }

        @Override
        public void executionSkipped(TestIdentifier id, String reason) {
            if (id.isTest()) {
                rows.add(row(id, TckReport.Status.SKIPPED, reason));
            } else if (plan != null) {
                for (TestIdentifier t : plan.getDescendants(id)) {
                    if (t.isTest()) {
                        rows.add(row(t, TckReport.Status.SKIPPED, reason));
                    }
                }
            }
        }

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            String reason = result.getThrowable().map(Collector::describe).orElse("");
            switch (result.getStatus()) {
                case SUCCESSFUL -> {
                    if (id.isTest()) {
                        rows.add(row(id, TckReport.Status.PASSED, ""));
                    }
                }
                case ABORTED -> {
                    if (id.isTest()) {
                        rows.add(row(id, TckReport.Status.SKIPPED, reason));
                    } else {
                        markUnreported(id, TckReport.Status.SKIPPED, reason);
                    }
                }
                case FAILED -> {
                    if (id.isTest()) {
                        rows.add(row(id, TckReport.Status.FAILED, reason));
                    } else {
                        rows.add(new TckReport.RuleResult(
                                kitOf(id),
                                "(" + id.getDisplayName() + ")",
                                "-",
                                "setup of " + id.getDisplayName(),
                                TckReport.Status.FAILED,
                                reason));
                    }
                }
                default -> throw new IllegalStateException("unknown status " + result.getStatus());
            }
        }

        private void markUnreported(TestIdentifier container, TckReport.Status status, String reason) {
            if (plan == null || skippedContainers.putIfAbsent(container.getUniqueId(), reason) != null) {
                return;
            }
            for (TestIdentifier t : plan.getDescendants(container)) {
                if (t.isTest()
                        && rows.stream()
                                .noneMatch(r -> r.displayName().equals(t.getDisplayName())
                                        && r.kit().equals(kitOf(t)))) {
                    rows.add(row(t, status, reason));
                }
            }
        }

        List<TckReport.RuleResult> rows() {
            synchronized (rows) {
                return new ArrayList<>(rows);
            }
        }

        private static TckReport.RuleResult row(TestIdentifier id, TckReport.Status status, String reason) {
            String method = methodName(id);
            RuleNames.Rule rule = RuleNames.parse(method).orElse(null);
            return new TckReport.RuleResult(
                    kitOf(id),
                    rule == null ? method : rule.id(),
                    rule == null ? "-" : rule.strength(),
                    id.getDisplayName(),
                    status,
                    reason == null ? "" : reason);
        }

        private static String methodName(TestIdentifier id) {
            TestSource source = id.getSource().orElse(null);
            if (source instanceof MethodSource ms) {
                return ms.getMethodName();
            }
            return id.getDisplayName();
        }

        /** The simple name of the kit class the test ran in (the subclass, not the class declaring the rule). */
        private static String kitOf(TestIdentifier id) {
            for (org.junit.platform.engine.UniqueId.Segment seg :
                    id.getUniqueIdObject().getSegments()) {
                if (seg.getType().equals("class")) {
                    String cls = seg.getValue();
                    return cls.substring(cls.lastIndexOf('.') + 1);
                }
            }
            return "";
        }

        /** The first lines of a failure: the message (with its hint), never a stack trace. */
        static String describe(Throwable t) {
            String m = t.getMessage() == null ? t.toString() : t.getMessage();
            String[] lines = m.split("\n");
            StringBuilder b = new StringBuilder();
            int n = 0;
            for (String line : lines) {
                if (line.isBlank()) {
                    continue;
                }
                if (n == 4 && lines.length > 5) {
                    // keep the hint line, which comes last
                    String last = lines[lines.length - 1];
                    b.append("…\n").append(last.length() > 300 ? last.substring(0, 300) + "…" : last);
                    break;
                }
                if (b.length() > 0) {
                    b.append('\n');
                }
                b.append(line.length() > 300 ? line.substring(0, 300) + "…" : line);
                n++;
            }
            return b.toString();
        }
    }
}
