package dev.tributary.benchmarks;

/**
 * The work of one side of a row: Tributary, or the peer library doing the same thing. A side is opened for
 * one row, used for every round of it (a fresh stream each round) and closed at the end of the row. What it
 * is called and what it guarantees is in its {@link Row.Contender}.
 */
interface Side extends AutoCloseable {

    /**
     * Untimed: gets ready for a round of {@code records} events on {@code stream}, which the runner has just
     * created (and, for a consume row, filled).
     */
    void prepare(String stream, int records) throws Exception;

    /** Timed: publishes {@code records} records, or consumes and acknowledges {@code records} records. */
    void run(int records) throws Exception;

    /** Untimed: ends the round (stops a listener, closes a publisher). */
    default void finish() throws Exception {}

    @Override
    void close();

    /** Opens a side; called once per row. */
    @FunctionalInterface
    interface Factory {
        Side open() throws Exception;
    }
}
