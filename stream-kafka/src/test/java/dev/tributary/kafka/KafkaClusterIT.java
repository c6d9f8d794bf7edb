package dev.tributary.kafka;

import dev.tributary.tck.cluster.ClusterFixture;
import dev.tributary.tck.cluster.ClusterTck;

/** The cluster rules (R) against three local KRaft nodes (see {@link KafkaClusterFixture}). */
class KafkaClusterIT extends ClusterTck {

    @Override
    protected ClusterFixture cluster() {
        return KafkaClusterFixture.shared();
    }
}
