package dev.tributary.kafka;

import dev.tributary.tck.BrokerFixture;
import dev.tributary.tck.processor.ProcessorTck;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** The processor rules (C family) of stream-core against the three-node cluster of {@link KafkaClusterFixture}. */
@EnabledIfSystemProperty(
        named = "tributary.clusterKits",
        matches = "true",
        disabledReason = "the whole kits on clusters run with -Dtributary.clusterKits=true (not yet in CI: time)")
class KafkaClusterProcessorTckIT extends ProcessorTck {

    @Override
    protected BrokerFixture fixture() {
        return KafkaClusterFixture.shared();
    }
}
