package dev.tributary.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.Capability;
import dev.tributary.ClientConfig;
import dev.tributary.spi.StreamProvider;
import dev.tributary.spi.StreamProviderRegistry;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RedisStreamProviderTest {

    @Test
    void foundByServiceLoaderForBothSchemesWithoutIo() {
        StreamProviderRegistry registry = StreamProviderRegistry.load(getClass().getClassLoader());
        StreamProvider p = registry.select(ClientConfig.parse("redis://nowhere.invalid:1"), null);
        assertEquals("redis", p.name());
        assertEquals(
                p.getClass(),
                registry.select(ClientConfig.parse("rediss://nowhere.invalid:1"), null)
                        .getClass());
        assertEquals(Set.of("redis", "rediss", "redis-sentinel", "rediss-sentinel"), p.schemes());
        assertTrue(p.capabilities()
                .containsAll(Set.of(
                        Capability.CONSUMER_GROUPS,
                        Capability.IDEMPOTENT_APPEND,
                        Capability.PARTITIONED,
                        Capability.TIME_POSITION,
                        Capability.TRIM_BY_LENGTH,
                        Capability.EXACT_TRIM,
                        Capability.TRIM_BY_ID,
                        Capability.TRIM_BY_AGE)));
    }
}
