package dev.tributary.benchmarks;

import java.util.Map;

/**
 * The circumstances of a run, recorded beside its figures.
 *
 * @param command        the arguments the run was started with
 * @param startedAt      ISO-8601 UTC
 * @param finishedAt     ISO-8601 UTC
 * @param loadStart      {@code /proc/loadavg} (1, 5, 15 min) at the start
 * @param loadEnd        the same at the end
 * @param rounds         measured rounds per row
 * @param warmup         discarded rounds per row before them
 * @param publishRecords events published per side per round
 * @param consumeRecords events consumed per side per round
 * @param payloadBytes   bytes per event
 * @param brokers        backend to where its broker ran
 * @param versions       library to version
 */
record RunInfo(
        String command,
        String startedAt,
        String finishedAt,
        String loadStart,
        String loadEnd,
        int rounds,
        int warmup,
        int publishRecords,
        int consumeRecords,
        int payloadBytes,
        Map<String, String> brokers,
        Map<String, String> versions) {

    RunInfo {
        brokers = Map.copyOf(brokers);
        versions = Map.copyOf(versions);
    }
}
