package dev.tributary.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs one row: warm-up rounds (discarded), then the measured rounds, the order of the sides rotated each
 * round. Each side gets a fresh stream per round, created (and for a consume row filled) before its timed
 * part and deleted after it.
 */
final class RowRunner {
    /** The two sides, in the order {@link Stats#order} rotates. */
    enum Who {
        TRIBUTARY,
        PEER
    }

    private final Backend backend;
    private final int rounds;
    private final int warmup;
    private final int publishRecords;
    private final int consumeRecords;
    private final PrintStream log;
    private final byte[] payload = Window.payload();
    private final String nonce = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);

    RowRunner(Backend backend, int rounds, int warmup, int publishRecords, int consumeRecords, PrintStream log) {
        this.backend = backend;
        this.rounds = rounds;
        this.warmup = warmup;
        this.publishRecords = publishRecords;
        this.consumeRecords = consumeRecords;
        this.log = log;
    }

    RowResult run(Row row) {
        int records = row.consumes() ? consumeRecords : publishRecords;
        List<RowResult.Round> kept = new ArrayList<>();
        log.printf(
                Locale.ROOT,
                "row %s: %s (%s vs %s)%n",
                row.id(),
                row.title(),
                row.tributary().label(),
                row.peer().label());
        try (Side tributary = row.tributary().factory().open();
                Side peer = row.peer().factory().open()) {
            for (int r = 0; r < warmup + rounds; r++) {
                List<Who> order = Stats.order(List.of(Who.TRIBUTARY, Who.PEER), r);
                long tributaryNanos = 0;
                long peerNanos = 0;
                for (Who who : order) {
                    String stream = "peers-" + nonce + "-" + row.id() + "-" + r + "-"
                            + who.name().charAt(0);
                    long nanos = timed(who == Who.TRIBUTARY ? tributary : peer, stream, records, row.consumes());
                    if (who == Who.TRIBUTARY) {
                        tributaryNanos = nanos;
                    } else {
                        peerNanos = nanos;
                    }
                }
                boolean measured = r >= warmup;
                RowResult.Round round = new RowResult.Round(
                        measured ? r - warmup + 1 : 0,
                        order.get(0) == Who.TRIBUTARY,
                        records,
                        tributaryNanos,
                        peerNanos);
                log.printf(
                        Locale.ROOT,
                        "  %s %d: Tributary %,.0f/s, peer %,.0f/s, ratio %.2f (%s first)%n",
                        measured ? "round" : "warm-up",
                        measured ? round.number() : r + 1,
                        round.tributaryRate(),
                        round.peerRate(),
                        round.ratio(),
                        round.tributaryFirst() ? "Tributary" : "peer");
                if (measured) {
                    kept.add(round);
                }
            }
            return new RowResult(row, kept, null);
        } catch (Exception | LinkageError e) {
            String why = cause(e);
            log.println("  row " + row.id() + " failed: " + why);
            return new RowResult(row, kept, why);
        }
    }

    /** Prepares a fresh stream, times the side's run on it, and cleans up; returns the nanoseconds. */
    private long timed(Side side, String stream, int records, boolean consumes) throws Exception {
        backend.create(stream);
        try {
            if (consumes) {
                backend.fill(stream, records, payload);
            }
            side.prepare(stream, records);
            long start = System.nanoTime();
            try {
                side.run(records);
                return System.nanoTime() - start;
            } finally {
                side.finish();
            }
        } finally {
            backend.delete(stream);
        }
    }

    /** The exception and its causes, one after the other: the real cause is named, not only the wrapper. */
    static String cause(Throwable e) {
        StringBuilder s = new StringBuilder(e.toString());
        Throwable c = e.getCause();
        for (int depth = 0; c != null && c != e && depth < 5; depth++, c = c.getCause()) {
            s.append(" <- caused by ").append(c);
        }
        return s.toString();
    }
}
