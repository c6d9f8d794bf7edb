package dev.tributary.nats;

import dev.tributary.tck.BrokerFixture;
import dev.tributary.tck.processor.ProcessorTck;

/** The processor rules (C family) of stream-core against a real NATS server. */
class NatsProcessorTckIT extends ProcessorTck {

    @Override
    protected BrokerFixture fixture() {
        return NatsFixture.shared();
    }
}
