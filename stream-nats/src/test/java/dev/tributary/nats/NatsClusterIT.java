package dev.tributary.nats;

import dev.tributary.tck.Tck;
import dev.tributary.tck.cluster.ClusterFixture;
import dev.tributary.tck.cluster.ClusterTck;
import java.time.Duration;
import java.util.Map;

/** The cluster rules (R) against three local nats-server processes (see {@link NatsClusterFixture}). */
class NatsClusterIT extends ClusterTck {

    @Override
    protected ClusterFixture cluster() {
        return NatsClusterFixture.shared();
    }

    /**
     * 60 s (scaled) instead of 30: in one CI run on the 2-core machine an append started after the
     * leader's kill reached the group member after 32 s (6-9 s in every local run). Acknowledged appends
     * lost must still be 0; the slow delivery is left in issue 12 to trace.
     */
    @Override
    protected Duration failoverBound() {
        return Tck.scaled(Duration.ofSeconds(60));
    }

    /**
     * R2 on nats-server 2.9.10 (the Debian 12 package CI installs): in one of three runs with a follower
     * paused, two acknowledged appends were never delivered and one was read under another sequence
     * than its PubAck named (acked 9839, read 9837). Eight runs on 2026-12-02 (after the reconnect and
     * stream-identity checks of the reader and member) lost nothing; one of them redelivered 1 402
     * events, above the rule's bound of 754 (acks sent through the frozen server are lost with its
     * connection). Not traced further yet (issue 12 stays open for it).
     */
    @Override
    protected Map<String, String> knownDefects() {
        return Map.of("R2", "NATS cluster with a paused follower: 1 of 3 runs lost 2 acknowledged appends on "
                + "nats-server 2.9.10 (0 of 8 later, one of which exceeded the duplicate bound); see "
                + "stream-nats/README.md");
    }
}
