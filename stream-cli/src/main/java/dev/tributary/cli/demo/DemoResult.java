package dev.tributary.cli.demo;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.HdrHistogram.Histogram;

/**
 * What one {@link DemoScenario} run did, taken from its {@link Ledger} after every consumer stopped: the
 * figures the report prints and the checks its exit code rests on. A value: no console, no clients.
 *
 * @param appends         what the producer published and the broker acknowledged
 * @param tail            the live tail: its deliveries and its disconnect
 * @param group           the consumer group: its deliveries per member and redeliveries
 * @param history         the history reader: what it paged through
 * @param checks          lost, missing and duplicated events per view
 * @param groupLatency    append to group handler, first delivery of each event
 * @param tailLatency     append to live tail, first delivery of each event (includes the disconnect)
 * @param wall            from the start of the scenario to the end of its shutdown
 * @param crash           how the one member died, or empty when none got a batch to die in
 * @param notes           processors that failed unexpectedly and clients that did not close cleanly
 * @param producerFailure why publishing stopped early, or empty
 * @param interrupted     whether Ctrl-C cut the run short
 */
record DemoResult(
        Appends appends,
        Tail tail,
        Group group,
        History history,
        Checks checks,
        Latency groupLatency,
        Latency tailLatency,
        Duration wall,
        Optional<String> crash,
        List<String> notes,
        Optional<String> producerFailure,
        boolean interrupted) {

    DemoResult {
        Objects.requireNonNull(appends, "appends");
        Objects.requireNonNull(tail, "tail");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(checks, "checks");
        Objects.requireNonNull(groupLatency, "groupLatency");
        Objects.requireNonNull(tailLatency, "tailLatency");
        Objects.requireNonNull(wall, "wall");
        Objects.requireNonNull(crash, "crash");
        notes = List.copyOf(notes);
        Objects.requireNonNull(producerFailure, "producerFailure");
    }

    /** True when no acknowledged event was lost, no failed append was delivered and history was in order. */
    boolean passed() {
        return checks.lost() == 0 && checks.deliveredButFailed() == 0 && history.outOfOrder() == 0;
    }

    /**
     * @param events     events the run meant to publish
     * @param published  publish calls made
     * @param acked      appends the broker acknowledged
     * @param failed     appends that failed
     * @param publishing from the start of the scenario until the producer finished
     */
    record Appends(int events, long published, long acked, long failed, Duration publishing) {
        Appends {
            Objects.requireNonNull(publishing, "publishing");
        }
    }

    /**
     * @param deliveries     events the tail handled, duplicates included
     * @param disconnectedAt the checkpoint at which the tail lost its connection, or empty if it never did
     * @param reconnected    whether it resumed with a new client
     * @param outOfOrder     deliveries with a lower sequence than the one before
     */
    record Tail(long deliveries, Optional<String> disconnectedAt, boolean reconnected, long outOfOrder) {
        Tail {
            Objects.requireNonNull(disconnectedAt, "disconnectedAt");
        }
    }

    /** One group member: its name, the events it handled and whether it died (the simulated crash). */
    record Member(String name, long deliveries, boolean dead) {
        Member {
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * @param name        the consumer group
     * @param deliveries  events the members handled, redeliveries included
     * @param members     each member, in order
     * @param redelivered deliveries with a delivery count above 1
     */
    record Group(String name, long deliveries, List<Member> members, long redelivered) {
        Group {
            Objects.requireNonNull(name, "name");
            members = List.copyOf(members);
        }
    }

    /**
     * @param deliveries events read
     * @param pages      range calls that returned events
     * @param outOfOrder events whose id was not after the one before
     */
    record History(long deliveries, int pages, long outOfOrder) {}

    /**
     * Acknowledged events missing from a view (lost: missing from at least one), deliveries beyond the first
     * per view, deliveries of events the ledger does not know, and deliveries of events whose append failed.
     */
    record Checks(
            long lost,
            long tailMissing,
            long groupMissing,
            long historyMissing,
            long tailDuplicates,
            long groupDuplicates,
            long historyDuplicates,
            long unknown,
            long deliveredButFailed) {

        long duplicates() {
            return tailDuplicates + groupDuplicates + historyDuplicates;
        }
    }

    /** Latency percentiles in microseconds; {@code count} 0 when nothing was measured. */
    record Latency(long count, long p50Micros, long p99Micros, long maxMicros) {
        static final Latency NONE = new Latency(0, 0, 0, 0);

        static Latency of(Histogram h) {
            return h.getTotalCount() == 0
                    ? NONE
                    : new Latency(
                            h.getTotalCount(), h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getMaxValue());
        }
    }
}
