package dev.tributary.cli.bench;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The measurements of one side of the bench (Tributary, or the raw client) over the rounds. */
final class Side {
    final BenchTarget target;
    /** The measured rounds' results per phase run. */
    final Map<Phase, List<PhaseResult>> results = new EnumMap<>(Phase.class);

    Side(BenchTarget target) {
        this.target = target;
    }

    List<PhaseResult> of(Phase phase) {
        return results.computeIfAbsent(phase, p -> new ArrayList<>());
    }
}
