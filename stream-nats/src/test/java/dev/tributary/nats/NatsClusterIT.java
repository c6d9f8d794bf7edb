package dev.tributary.nats;

import dev.tributary.tck.cluster.ClusterFixture;
import dev.tributary.tck.cluster.ClusterTck;
import java.util.Map;

/** The cluster rules (R) against three local nats-server processes (see {@link NatsClusterFixture}). */
class NatsClusterIT extends ClusterTck {

    @Override
    protected ClusterFixture cluster() {
        return NatsClusterFixture.shared();
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
