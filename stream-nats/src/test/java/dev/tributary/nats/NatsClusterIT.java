package dev.tributary.nats;

import dev.tributary.tck.Tck;
import dev.tributary.tck.cluster.ClusterFixture;
import dev.tributary.tck.cluster.ClusterTck;
import dev.tributary.tck.fixture.NatsServerCluster;
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
     * R2 on nats-server 2.9.x (2.9.10 is the Debian 12 package): in one of three runs with a follower
     * paused, two acknowledged appends were never delivered and one was read under another sequence
     * than its PubAck named (acked 9839, read 9837) — the server's answer, not the client's. Not seen on
     * 2.10.27 (Debian 13's package, which CI runs the clusters on: see {@code .ci/run}); on 2.9.x R2 is
     * reported skipped with that reason, never as passed.
     */
    @Override
    protected Map<String, String> knownDefects() {
        String version = NatsServerCluster.serverVersion().orElse("unknown");
        if (!version.startsWith("2.9.")) {
            return Map.of();
        }
        return Map.of(
                "R2",
                "nats-server " + version + " with a paused follower lost 2 acknowledged appends in 1 of 3 "
                        + "runs (a PubAck naming another sequence than the one stored); run the cluster on nats-server "
                        + "2.10 or newer (-D" + NatsServerCluster.SERVER_PROPERTY + "=/path/to/nats-server); see "
                        + "docs/clusters.md");
    }
}
