package dev.tributary.kafka;

import dev.tributary.ClientConfig;
import dev.tributary.tck.BrokerFixture;
import dev.tributary.tck.StreamClientTck;
import java.util.Optional;

/**
 * The whole contract kit against the real Kafka broker of {@link KafkaFixture}. The F rules kill
 * (SIGKILL) and freeze the broker process; the test broker flushes every message
 * ({@code log.flush.interval.messages=1}), so an acknowledged append survives the kill. E5 runs
 * against the broker's SASL/PLAIN listener with a wrong password.
 */
class KafkaTckIT extends StreamClientTck {

    @Override
    protected BrokerFixture fixture() {
        return KafkaFixture.shared();
    }

    @Override
    protected Optional<ClientConfig> wrongCredentials() {
        return KafkaFixture.shared().wrongCredentials();
    }

    /** The K rules run on a client that declares PARTITIONED: one opened with {@code partitions=N}. */
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
