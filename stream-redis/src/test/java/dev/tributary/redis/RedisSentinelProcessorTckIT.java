package dev.tributary.redis;

import dev.tributary.tck.BrokerFixture;
import dev.tributary.tck.processor.ProcessorTck;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** The processor rules (C family) of stream-core against Redis Sentinel ({@link RedisSentinelFixture}). */
@EnabledIfSystemProperty(
        named = "tributary.clusterKits",
        matches = "true",
        disabledReason = "the whole kits on clusters run with -Dtributary.clusterKits=true (not yet in CI: time)")
class RedisSentinelProcessorTckIT extends ProcessorTck {

    @Override
    protected BrokerFixture fixture() {
        return RedisSentinelFixture.shared();
    }
}
