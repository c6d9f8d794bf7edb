package dev.tributary.redis;

import dev.tributary.tck.BrokerFixture;
import dev.tributary.tck.processor.ProcessorTck;

/** The processor rules (C family) of the kit: stream-core's processors against the Redis fixture. */
class RedisProcessorTckIT extends ProcessorTck {

    @Override
    protected BrokerFixture fixture() {
        return RedisFixture.shared();
    }

    /** The fixture writes every append to the AOF before it answers (appendfsync always), as in RedisTckIT. */
    @Override
    protected boolean faultsKillBroker() {
        return true;
    }
}
