package dev.tributary.tck;

import dev.tributary.StreamName;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Small shared services of the kit: the timeout scale, the run id and fresh names.
 *
 * <p><b>Timeout scale.</b> Every wait and bound of the kit goes through {@link #scaled(Duration)},
 * which multiplies it by the system property {@value #TIMEOUT_SCALE_PROPERTY} (a positive decimal,
 * default {@code 1.0}). Slow or shared machines run the kit with e.g.
 * {@code -Dtributary.tck.timeoutScale=3}. Fixed bounds that are part of a rule's statement (L4's
 * "within 2 s", F5's "within 5 s") are scaled too, and the report says so.
 *
 * <p><b>Names.</b> Every rule uses fresh stream, group and member names that contain the run id of
 * this JVM ({@link #runId()}), so rules can run in any order, and several runs can share a broker.
 */
public final class Tck {
    /** System property: factor applied to every timeout of the kit (default 1.0). */
    public static final String TIMEOUT_SCALE_PROPERTY = "tributary.tck.timeoutScale";

    private static final String RUN_ID = newRunId();
    private static final AtomicLong COUNTER = new AtomicLong();

    private Tck() {}

    /** The timeout scale factor; {@code 1.0} unless the system property says otherwise. */
    public static double timeoutScale() {
        String v = System.getProperty(TIMEOUT_SCALE_PROPERTY);
        if (v == null || v.isBlank()) {
            return 1.0;
        }
        try {
            double d = Double.parseDouble(v.trim());
            if (!(d > 0) || d > 1000) {
                throw new IllegalArgumentException(TIMEOUT_SCALE_PROPERTY + " must be > 0 and <= 1000, got " + v);
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(TIMEOUT_SCALE_PROPERTY + " must be a decimal number, got " + v, e);
        }
    }

    /** {@code d} multiplied by the timeout scale (at least 1 ms). */
    public static Duration scaled(Duration d) {
        long nanos = (long) (d.toNanos() * timeoutScale());
        return Duration.ofNanos(Math.max(nanos, 1_000_000L));
    }

    /** {@code millis} multiplied by the timeout scale. */
    public static Duration scaledMillis(long millis) {
        return scaled(Duration.ofMillis(millis));
    }

    /** The id of this JVM's run: 8 lower-case letters and digits, part of every name the kit makes. */
    public static String runId() {
        return RUN_ID;
    }

    /** A fresh stream name {@code tck-<runid>-<tag>-<n>}; {@code tag} is e.g. the rule id. */
    public static StreamName streamName(String tag) {
        String clean = tag.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-");
        return StreamName.of("tck-" + RUN_ID + "-" + clean + "-" + COUNTER.incrementAndGet());
    }

    /**
     * A fresh group name {@code <prefix>-<runid>-<n>} (the stream-name grammar). The run id is in it
     * because some brokers (Kafka) keep groups in one namespace for all streams.
     */
    public static String name(String prefix) {
        String clean = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-");
        return clean + "-" + RUN_ID + "-" + COUNTER.incrementAndGet();
    }

    /** Sleeps without throwing; an interrupt is restored and ends the sleep. */
    public static void sleep(Duration d) {
        try {
            Thread.sleep(Math.max(0, d.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String newRunId() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder b = new StringBuilder(8);
        ThreadLocalRandom r = ThreadLocalRandom.current();
        b.append(alphabet.charAt(r.nextInt(26)));
        for (int i = 1; i < 8; i++) {
            b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
