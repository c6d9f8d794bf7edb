package dev.tributary.redis;

import org.junit.platform.suite.api.SelectClasses;
import org.junit.platform.suite.api.Suite;
import org.junit.platform.suite.api.SuiteDisplayName;

/**
 * Every test of the Sentinel set ({@link RedisSentinelFixture}) as one test class for failsafe, for the
 * reason {@link RedisClusterSuiteIT} gives: the rules R1–R3 ({@link RedisSentinelIT}) and the whole
 * contract and processor kits ({@link RedisSentinelTckIT}, {@link RedisSentinelProcessorTckIT}) in one
 * JVM with one set.
 */
@Suite
@SuiteDisplayName("Redis Sentinel: R1–R3 and the whole kits")
@SelectClasses({RedisSentinelIT.class, RedisSentinelTckIT.class, RedisSentinelProcessorTckIT.class})
class RedisSentinelSuiteIT {}
