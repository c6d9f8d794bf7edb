package dev.tributary.kafka;

import dev.tributary.tck.BrokerFixture;
import dev.tributary.tck.processor.ProcessorTck;

/** The processor rules (C family) of stream-core against the three-node cluster of {@link KafkaClusterFixture}. */
class KafkaClusterProcessorTckIT extends ProcessorTck {

    @Override
    protected BrokerFixture fixture() {
        return KafkaClusterFixture.shared();
    }
}
