package dev.tributary.cli.bench;

import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The side of a backend's raw native client: the group loop it writes serves both group phases (consume
 * in group {@code bench}, process in a group of its own) and its tail loop runs the way every raw tail
 * does, on a thread of its own until the round's records are read; {@link #forBackend} picks the client.
 */
abstract class RawTarget implements BenchTarget {

    /**
     * The raw client of {@code backend}, if the bench knows one.
     *
     * @param backend    the backend's name, as {@code StreamClient.backend()} says it
     * @param uri        the URI of the run, as clients open it
     * @param partitions the partitions of each round's stream (Kafka creates its topics with as many)
     * @return the raw side, or empty for a backend without one (memory)
     * @throws Exception when the raw client cannot connect
     */
    static Optional<BenchTarget> forBackend(String backend, String uri, int partitions) throws Exception {
        switch (backend) {
            case "redis":
                return Optional.of(new RedisRawTarget(uri));
            case "kafka":
                return Optional.of(new KafkaRawTarget(uri, partitions));
            case "nats":
                return Optional.of(new NatsRawTarget(uri));
            default:
                return Optional.empty();
        }
    }

    /** The raw group loop, in group {@code bench}. */
    @Override
    public PhaseResult consume(Workload w, Progress progress) throws Exception {
        return group(w, progress, "bench", "consume " + label());
    }

    /** The group loop again, in a group of its own. */
    @Override
    public PhaseResult process(Workload w, Progress progress) throws Exception {
        return group(w, progress, "bench-process", "process " + label());
    }

    /**
     * The raw group loop: {@link Workload#consumers()} members reading the round's stream from its start
     * and acking, timed by {@link Drivers#consume}.
     *
     * @param groupName the group, for a client that keeps its groups by name
     * @param title     the progress line's title
     */
    abstract PhaseResult group(Workload w, Progress progress, String groupName, String title) throws Exception;

    /**
     * The raw tail phase: the loop {@code opened} returns (opened on the loop's thread, as a processor
     * opens its reader) reads the round's stream from its start until it has every record.
     */
    PhaseResult tailLoop(Workload w, Progress progress, Callable<Drivers.Loop> opened) throws Exception {
        return Drivers.process(
                w, progress, "tail    " + label(), handled -> Drivers.loop("bench-raw-tail", handled, opened));
    }
}
