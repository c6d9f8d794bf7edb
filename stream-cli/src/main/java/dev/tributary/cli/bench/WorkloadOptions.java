package dev.tributary.cli.bench;

import picocli.CommandLine.Option;

/**
 * The options of {@code tributary bench} that make its {@link Workload} (records, size, batch, producers,
 * consumers, window, batch appends), mixed into {@link BenchCommand}.
 */
final class WorkloadOptions {
    @Option(
            names = {"-n", "--records"},
            paramLabel = "N",
            description = "Records per round. Default: ${DEFAULT-VALUE}.")
    int records = 100_000;

    @Option(
            names = {"-s", "--size"},
            paramLabel = "BYTES",
            description = "Payload bytes per record. Default: ${DEFAULT-VALUE}.")
    int size = 100;

    @Option(
            names = {"-b", "--batch"},
            paramLabel = "N",
            description =
                    "Records per poll+ack (raw loops and Tributary alike, the processors' batchSize included), and per flush of the raw pipelined appends. Default: ${DEFAULT-VALUE}.")
    int batch = 1000;

    @Option(
            names = {"-p", "--producers"},
            paramLabel = "N",
            description = "Appending threads. Default: ${DEFAULT-VALUE}.")
    int producers = 1;

    @Option(
            names = {"-c", "--consumers"},
            paramLabel = "N",
            description = "Members of the reading group. Default: ${DEFAULT-VALUE}.")
    int consumers = 1;

    @Option(
            names = {"-w", "--window"},
            paramLabel = "N",
            description = "Appends in flight per producer. Default: ${DEFAULT-VALUE}.")
    int window = 5000;

    @Option(
            names = "--batch-append",
            description = "Tributary appends with appendBatchAsync (--batch records per call) "
                    + "instead of appendAsync per record.")
    boolean batchAppend;

    /** {@return whether every count is at least 1 and the size at least 0} */
    boolean valid() {
        return records >= 1 && size >= 0 && batch >= 1 && producers >= 1 && consumers >= 1 && window >= 1;
    }

    /** {@return the workload of these options} */
    Workload workload() {
        return new Workload(records, size, batch, producers, consumers, window, batchAppend);
    }
}
