package dev.tributary.kafka;

import dev.tributary.ClientConfig;
import dev.tributary.tck.BrokerFixture;
import java.util.Optional;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * The whole contract kit against the three-node cluster of {@link KafkaClusterFixture}, with the
 * durable settings the README documents for clusters. The F rules kill, stop and freeze "the broker":
 * here every node at once ({@link dev.tributary.tck.cluster.ClusterFixture#control()}); an acknowledged
 * append is on a majority of the nodes' files, so it survives. The rules that fail single nodes
 * (R1–R3) run in {@link KafkaClusterIT}. E5 runs against every node's SASL_PLAINTEXT listener with a
 * wrong password.
 */
@DisabledIfSystemProperty(
        named = "tributary.clusterKits",
        matches = "false",
        disabledReason = "-Dtributary.clusterKits=false leaves out the whole kits on clusters")
class KafkaClusterTckIT extends KafkaKit {

    @Override
    protected BrokerFixture fixture() {
        return KafkaClusterFixture.shared();
    }

    @Override
    protected Optional<ClientConfig> wrongCredentials() {
        return KafkaClusterFixture.shared().wrongCredentials();
    }
}
