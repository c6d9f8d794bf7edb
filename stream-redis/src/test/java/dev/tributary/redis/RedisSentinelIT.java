package dev.tributary.redis;

import dev.tributary.tck.cluster.ClusterFixture;
import dev.tributary.tck.cluster.ClusterTck;

/**
 * The cluster rules (R) against Redis Sentinel (see {@link RedisSentinelFixture}): R1 kills the
 * primary (the sentinels promote a replica), R2 pauses a replica, R3 stops one replica.
 */
class RedisSentinelIT extends ClusterTck {

    @Override
    protected ClusterFixture cluster() {
        return RedisSentinelFixture.shared();
    }
}
