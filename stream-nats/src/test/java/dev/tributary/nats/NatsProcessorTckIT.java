package dev.tributary.nats;

import dev.tributary.tck.BrokerFixture;
import dev.tributary.tck.processor.ProcessorTck;

/** The processor rules (C family, and the randomized fault run F11) of stream-core against a real NATS server. */
class NatsProcessorTckIT extends ProcessorTck {

    @Override
    protected BrokerFixture fixture() {
        return NatsFixture.shared();
    }

    /** File storage: what the server wrote before it acknowledged survives a SIGKILL of the process (as in NatsTckIT). */
    @Override
    protected boolean faultsKillBroker() {
        return true;
    }
}
