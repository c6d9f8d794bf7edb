package dev.tributary.cli.demo;

import dev.tributary.StreamName;
import dev.tributary.cli.Errors;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * The demo on the console: the header, the story as it happens and the report on stdout; the live
 * progress line on stderr (redrawn in place on a terminal, one line every two seconds otherwise). It
 * only renders what the {@link DemoScenario} tells it and the {@link DemoResult} it returns.
 * Thread-safe: the scenario narrates from several threads.
 */
final class ConsoleView implements DemoScenario.Listener {
    private static final String CLEAR_LINE = "\r\u001b[K";

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean showProgress;
    private final boolean terminal;
    private DemoProgress previous;
    private boolean progressDrawn;

    /**
     * @param showProgress whether to draw the progress line at all
     * @param terminal     whether stderr is a terminal (the line is redrawn in place)
     */
    ConsoleView(PrintWriter out, PrintWriter err, boolean showProgress, boolean terminal) {
        this.out = out;
        this.err = err;
        this.showProgress = showProgress;
        this.terminal = terminal;
    }

    /** What is about to run, where. */
    void header(String safeUri, String backend, DemoScenario.Settings s) {
        out.printf(
                Locale.ROOT,
                "Tributary demo on %s (backend %s), stream %s%n",
                safeUri,
                backend,
                StreamName.of(s.stream()));
        out.printf(
                Locale.ROOT,
                "  %,d domain events of about %,d bytes, %s; group %s of 3 members, ack timeout %s%n",
                s.events(),
                s.payloadSize(),
                s.rate() == 0 ? "as fast as possible" : "at " + s.rate() + "/s",
                DemoScenario.GROUP,
                DemoScenario.human(s.ackTimeout()));
        out.println("  producer: stream-core Publisher; live tail: TailProcessor with a checkpoint store;");
        out.println("  group: 3 GroupProcessors, one client each; history: StreamClient.range, page by page");
        out.println();
        out.flush();
    }

    @Override
    public Duration progressInterval() {
        if (!showProgress) {
            return Duration.ZERO;
        }
        return terminal ? Duration.ofMillis(500) : Duration.ofSeconds(2);
    }

    @Override
    public synchronized void narrate(double elapsedSeconds, String text) {
        clearProgress();
        out.printf(Locale.ROOT, "  %6.1fs  %s%n", elapsedSeconds, text);
        out.flush();
    }

    /** Draws the progress line, with rates since the previous one. */
    @Override
    public synchronized void progress(DemoProgress p) {
        double secs = Math.max(1e-3, p.elapsedSeconds() - (previous == null ? 0 : previous.elapsedSeconds()));
        double pubRate = (p.published() - (previous == null ? 0 : previous.published())) / secs;
        double groupRate = (p.groupDeliveries() - (previous == null ? 0 : previous.groupDeliveries())) / secs;
        previous = p;
        String lagPending = p.lagProblem()
                .map(problem -> " | lag ? (" + problem + ")")
                .orElseGet(() -> String.format(
                        Locale.ROOT, " | lag %s pending %d", p.lag() < 0 ? "?" : Long.toString(p.lag()), p.pending()));
        StringBuilder members = new StringBuilder();
        for (DemoResult.Member m : p.members()) {
            members.append(' ')
                    .append(m.name().replace("member-", "m"))
                    .append(' ')
                    .append(m.deliveries())
                    .append(m.dead() ? " (dead)" : "");
        }
        String line = String.format(
                Locale.ROOT,
                "%6.1fs appended %,d/%,d (%,.0f/s) | tail %,d%s |%s (%,.0f/s)%s",
                p.elapsedSeconds(),
                p.acked(),
                p.events(),
                pubRate,
                p.tailDeliveries(),
                p.tailDown() ? " (disconnected)" : "",
                members,
                groupRate,
                lagPending);
        if (terminal) {
            err.print("\r" + line + "\u001b[K");
            progressDrawn = true;
        } else {
            err.println(line);
        }
        err.flush();
    }

    /** Removes a progress line drawn in place, so what follows starts on a clean line. */
    synchronized void clearProgress() {
        if (progressDrawn) {
            err.print(CLEAR_LINE);
            err.flush();
            progressDrawn = false;
        }
    }

    /** The end of the run: appended, delivered per consumer, lost, duplicates, latency, wall time, result. */
    synchronized void report(DemoResult r) {
        DemoResult.Appends a = r.appends();
        DemoResult.Checks c = r.checks();
        double publishSecs = Math.max(1e-3, r.appends().publishing().toNanos() / 1e9);
        out.println();
        out.println("Report" + (r.interrupted() ? " (interrupted by Ctrl-C)" : ""));
        out.printf(
                Locale.ROOT,
                "  appended       %,d of %,d published (%,.0f/s), %,d failed%n",
                a.acked(),
                a.published(),
                a.acked() / publishSecs,
                a.failed());
        out.printf(
                Locale.ROOT,
                "  delivered      live tail %,d (%s)%n",
                r.tail().deliveries(),
                r.tail()
                        .disconnectedAt()
                        .map(at -> "disconnected at " + at
                                + (r.tail().reconnected() ? ", resumed from its checkpoint" : ", not reconnected"))
                        .orElse("never disconnected"));
        StringBuilder per = new StringBuilder();
        for (DemoResult.Member m : r.group().members()) {
            per.append(per.length() == 0 ? "" : ", ")
                    .append(m.name())
                    .append(' ')
                    .append(String.format(Locale.ROOT, "%,d", m.deliveries()))
                    .append(m.dead() ? " (died)" : "");
        }
        out.printf(
                Locale.ROOT,
                "                 group %s %,d: %s; %,d redelivered%n",
                r.group().name(),
                r.group().deliveries(),
                per,
                r.group().redelivered());
        out.printf(
                Locale.ROOT,
                "                 history reader %,d in %d pages%n",
                r.history().deliveries(),
                r.history().pages());
        out.printf(
                Locale.ROOT,
                "  lost           %,d%s%n",
                c.lost(),
                c.lost() == 0
                        ? ""
                        : String.format(
                                Locale.ROOT,
                                " (tail missed %,d, group missed %,d, history missed %,d)",
                                c.tailMissing(),
                                c.groupMissing(),
                                c.historyMissing()));
        out.printf(
                Locale.ROOT,
                "  duplicates     %,d (tail %,d, group %,d, history %,d)%s%n",
                c.duplicates(),
                c.tailDuplicates(),
                c.groupDuplicates(),
                c.historyDuplicates(),
                c.groupDuplicates() > 0 ? " - events the dead member handled but never acked: at-least-once" : "");
        if (r.tail().outOfOrder() > 0 || r.history().outOfOrder() > 0 || c.unknown() > 0) {
            out.printf(
                    Locale.ROOT,
                    "  order          tail %,d out of order, history %,d out of order, %,d unknown events%n",
                    r.tail().outOfOrder(),
                    r.history().outOfOrder(),
                    c.unknown());
        }
        out.printf(
                Locale.ROOT,
                "  latency        append to group handler p50 %s  p99 %s  max %s%n",
                ms(r.groupLatency(), r.groupLatency().p50Micros()),
                ms(r.groupLatency(), r.groupLatency().p99Micros()),
                ms(r.groupLatency(), r.groupLatency().maxMicros()));
        out.printf(
                Locale.ROOT,
                "                 append to live tail     p50 %s  p99 %s  max %s (includes the disconnect)%n",
                ms(r.tailLatency(), r.tailLatency().p50Micros()),
                ms(r.tailLatency(), r.tailLatency().p99Micros()),
                ms(r.tailLatency(), r.tailLatency().maxMicros()));
        out.printf(Locale.ROOT, "  wall time      %.1f s%n", r.wall().toNanos() / 1e9);
        out.println("  crash          "
                + r.crash().orElse("no member got a batch of several events after the halfway mark, so none died"));
        for (String note : r.notes()) {
            out.println("  note           " + note);
        }
        out.println();
        out.println(
                c.lost() == 0 && !r.interrupted()
                        ? "RESULT: OK - every acknowledged event reached the live tail, the group and the history reader (lost 0)"
                        : "RESULT: " + (r.interrupted() ? "INTERRUPTED" : "FAILED") + " - lost " + c.lost());
        out.flush();
    }

    /** The demo stream could not be deleted at the end (the run itself is not affected). */
    void couldNotDelete(StreamName stream, RuntimeException e) {
        err.println("tributary: could not delete demo stream " + stream + ": " + Errors.message(e));
    }

    private static String ms(DemoResult.Latency latency, long micros) {
        return latency.count() == 0 ? "-" : String.format(Locale.ROOT, "%.1f ms", micros / 1000.0);
    }
}
