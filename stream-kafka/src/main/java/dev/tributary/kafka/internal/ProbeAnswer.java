package dev.tributary.kafka.internal;

/**
 * What one probe of a bootstrap address found before any Kafka client was made ({@link KafkaProbe} on a
 * plain-text listener, {@link TlsProbe} on a TLS one).
 *
 * @param verdict what the address did
 * @param why for {@link Verdict#WRONG}: what the server is instead, as a clause for a message; else empty
 */
record ProbeAnswer(Verdict verdict, String why) {

    /** What the address did within the probe's bound. */
    enum Verdict {
        /** It answered as the URI's scheme expects, or could not be asked: the Kafka clients go ahead. */
        FINE,
        /** It answered, and not as the scheme expects; {@code why} says what it is. */
        WRONG,
        /** It accepted the connection and said nothing within the bound: not Kafka, or a broker that does not respond. */
        SILENT,
        /** Nothing accepted the connection (refused, unreachable, unknown host). */
        UNREACHABLE
    }

    static final ProbeAnswer FINE = new ProbeAnswer(Verdict.FINE, "");
    static final ProbeAnswer SILENT = new ProbeAnswer(Verdict.SILENT, "");
    static final ProbeAnswer UNREACHABLE = new ProbeAnswer(Verdict.UNREACHABLE, "");

    static ProbeAnswer wrong(String why) {
        return new ProbeAnswer(Verdict.WRONG, why);
    }
}
