package dev.tributary.cli.bench;

import java.util.Locale;

/** What one part of a round measures, in the order a round runs them. */
enum Phase {
    /** Fills the round's stream; every round runs it. */
    APPEND("per record, submit to broker ack"),
    /** A group consumer (Tributary) or the raw group loop: poll, then ack each batch. */
    CONSUME("per batch, poll + ack"),
    /** A tail processor (Tributary) or the raw tail loop, reading the round's stream from its start. */
    TAIL("none: processors hand events to a handler"),
    /** Group processors (Tributary) or the raw group loop again, in a new group from the start. */
    PROCESS("none: processors hand events to a handler"),
    /** Events at a fixed rate from a Publisher to a GroupProcessor's handler (raw: producer to group loop). */
    LATENCY("per event, publish to handler, at --rate");

    /** What the phase's latency figures are, for the table. */
    final String latency;

    Phase(String latency) {
        this.latency = latency;
    }

    /** The name in the table and the JSON. */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
