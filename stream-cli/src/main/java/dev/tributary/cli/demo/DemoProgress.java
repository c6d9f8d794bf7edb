package dev.tributary.cli.demo;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a running {@link DemoScenario} stands, for a progress line. Counts are cumulative; a view that
 * shows rates keeps the previous snapshot.
 *
 * @param elapsedSeconds  since the scenario started
 * @param events          events the run means to publish
 * @param published       publish calls made
 * @param acked           appends the broker acknowledged
 * @param tailDeliveries  events the live tail handled
 * @param tailDown        whether the live tail is disconnected right now
 * @param members         each group member's deliveries and whether it died
 * @param groupDeliveries events the group handled
 * @param lag             the group's lag as the backend reports it (negative: unknown)
 * @param pending         the group's delivered but unacknowledged events
 * @param lagProblem      why lag and pending could not be read (the exception's simple name), or empty
 */
record DemoProgress(
        double elapsedSeconds,
        int events,
        long published,
        long acked,
        long tailDeliveries,
        boolean tailDown,
        List<DemoResult.Member> members,
        long groupDeliveries,
        long lag,
        long pending,
        Optional<String> lagProblem) {

    DemoProgress {
        members = List.copyOf(members);
        Objects.requireNonNull(lagProblem, "lagProblem");
    }
}
