package dev.tributary.kafka;

import dev.tributary.ClientConfig;
import dev.tributary.tck.BrokerFixture;
import java.util.Optional;

/**
 * The whole contract kit against the real Kafka broker of {@link KafkaFixture}. The F rules kill
 * (SIGKILL) and freeze the broker process; the test broker flushes every message
 * ({@code log.flush.interval.messages=1}), so an acknowledged append survives the kill. E5 runs
 * against the broker's SASL/PLAIN listener with a wrong password.
 */
class KafkaTckIT extends KafkaKit {

    @Override
    protected BrokerFixture fixture() {
        return KafkaFixture.shared();
    }

    @Override
    protected Optional<ClientConfig> wrongCredentials() {
        return KafkaFixture.shared().wrongCredentials();
    }
}
