package dev.tributary.redis;

import dev.tributary.tck.BrokerFixture;
import dev.tributary.tck.processor.ProcessorTck;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/** The processor rules (C family) of stream-core against the Redis Cluster of {@link RedisClusterFixture}. */
@DisabledIfSystemProperty(
        named = "tributary.clusterKits",
        matches = "false",
        disabledReason = "-Dtributary.clusterKits=false leaves out the whole kits on clusters")
class RedisClusterProcessorTckIT extends ProcessorTck {

    @Override
    protected BrokerFixture fixture() {
        return RedisClusterFixture.shared();
    }
}
