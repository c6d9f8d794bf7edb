package dev.tributary.nats;

import dev.tributary.tck.BrokerFixture;
import dev.tributary.tck.processor.ProcessorTck;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/** The processor rules (C family) of stream-core against the three-node cluster of {@link NatsClusterFixture}. */
@DisabledIfSystemProperty(
        named = "tributary.clusterKits",
        matches = "false",
        disabledReason = "-Dtributary.clusterKits=false leaves out the whole kits on clusters")
class NatsClusterProcessorTckIT extends ProcessorTck {

    @Override
    protected BrokerFixture fixture() {
        return NatsClusterFixture.shared();
    }
}
