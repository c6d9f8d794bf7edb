package dev.tributary.redis;

import dev.tributary.tck.BrokerFixture;
import dev.tributary.tck.processor.ProcessorTck;

/** The processor rules (C family) of stream-core against the Redis Cluster of {@link RedisClusterFixture}. */
class RedisClusterProcessorTckIT extends ProcessorTck {

    @Override
    protected BrokerFixture fixture() {
        return RedisClusterFixture.shared();
    }
}
