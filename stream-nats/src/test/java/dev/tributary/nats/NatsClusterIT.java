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
     * than its PubAck named (acked 9839, read 9837) — the stream's log changed under acknowledged
     * appends. Not yet traced to the server or the client (issue 12 stays open for it).
     */
    @Override
    protected Map<String, String> knownDefects() {
        return Map.of("R2", "NATS cluster with a paused follower lost acknowledged appends in 1 of 3 runs on "
                + "nats-server 2.9.10; cause under investigation (server or client), see stream-nats/README.md");
    }
}
