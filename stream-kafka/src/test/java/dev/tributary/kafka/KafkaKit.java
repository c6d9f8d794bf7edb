package dev.tributary.kafka;

import dev.tributary.ClientConfig;
import dev.tributary.tck.StreamClientTck;
import java.util.Optional;

/**
 * What the Kafka runs of the contract kit share, on one broker ({@link KafkaTckIT}) or a cluster
 * ({@link KafkaClusterTckIT}): the K rules run on a client that declares PARTITIONED (one opened with
 * {@code partitions=2}), and the F rules kill the broker's processes.
 */
abstract class KafkaKit extends StreamClientTck {

    @Override
    protected Optional<ClientConfig> partitionedStreamsConfig() {
        return Optional.of(
                fixture().config().toBuilder().option("partitions", "2").build());
    }

    @Override
    protected boolean faultsKillBroker() {
        return true;
    }
}
