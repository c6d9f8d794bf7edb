package dev.tributary.cli.bench;

/**
 * One side of the comparison: Tributary, or the backend's raw native client doing the same work.
 * A target is used by one bench run; every round gets fresh stream names.
 */
public interface BenchTarget extends AutoCloseable {

    /** For the table, e.g. {@code "Tributary"} or {@code "raw Lettuce"}. */
    String label();

    /** What exactly the raw client does, for the doc (empty for Tributary). */
    default String method() {
        return "";
    }

    /** Prepares a fresh stream for a round. */
    void prepare(String streamName) throws Exception;

    /** Appends {@link Workload#records()} records to the prepared stream. */
    PhaseResult append(Workload w, Progress progress) throws Exception;

    /** Reads them back in one consumer group, acking each batch. */
    PhaseResult consume(Workload w, Progress progress) throws Exception;

    /** Reads the round's stream from its start without a group (Tributary: a TailProcessor) until it has all. */
    PhaseResult tail(Workload w, Progress progress) throws Exception;

    /** Reads the round's stream in a new group from its start (Tributary: GroupProcessors), acking. */
    PhaseResult process(Workload w, Progress progress) throws Exception;

    /** Sends events at {@code rate} per second and times each from send to a group consumer's handler. */
    PhaseResult latency(Workload w, Progress progress, int rate) throws Exception;

    /** Deletes the round's stream (unless the run keeps its data). */
    void cleanup() throws Exception;

    @Override
    void close();
}
