package dev.tributary.redis;

import dev.tributary.tck.BrokerFixture;
import dev.tributary.tck.processor.ProcessorTck;

/** The processor rules (C family) of stream-core against Redis Sentinel ({@link RedisSentinelFixture}). */
class RedisSentinelProcessorTckIT extends ProcessorTck {

    @Override
    protected BrokerFixture fixture() {
        return RedisSentinelFixture.shared();
    }
}
