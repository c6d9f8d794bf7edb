package dev.tributary.redis;

import org.junit.platform.suite.api.SelectClasses;
import org.junit.platform.suite.api.Suite;
import org.junit.platform.suite.api.SuiteDisplayName;

/**
 * Every test of the Redis Cluster ({@link RedisClusterFixture}) as one test class for failsafe: the
 * cluster rules R1–R3 and the shard-down test ({@link RedisClusterIT}), partitioned streams
 * ({@link RedisClusterPartitionsIT}) and the whole contract and processor kits
 * ({@link RedisClusterTckIT}, {@link RedisClusterProcessorTckIT}). The module runs its integration
 * tests in two JVMs, each starting the fixtures its classes use: as one class, the cluster's tests stay
 * in one JVM with one cluster (and one proxied twin). The pom leaves these classes out of failsafe's
 * own scan; {@code -Dit.test=RedisClusterIT} still runs one alone.
 */
@Suite
@SuiteDisplayName("Redis Cluster: R1–R3, partitions and the whole kits")
@SelectClasses({
    RedisClusterIT.class,
    RedisClusterPartitionsIT.class,
    RedisClusterTckIT.class,
    RedisClusterProcessorTckIT.class
})
class RedisClusterSuiteIT {}
