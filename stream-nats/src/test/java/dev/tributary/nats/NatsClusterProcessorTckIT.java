package dev.tributary.nats;

import dev.tributary.tck.BrokerFixture;
import dev.tributary.tck.processor.ProcessorTck;

/** The processor rules (C family) of stream-core against the three-node cluster of {@link NatsClusterFixture}. */
class NatsClusterProcessorTckIT extends ProcessorTck {

    @Override
    protected BrokerFixture fixture() {
        return NatsClusterFixture.shared();
    }
}
