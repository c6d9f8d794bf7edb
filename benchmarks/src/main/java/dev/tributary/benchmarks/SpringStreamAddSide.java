package dev.tributary.benchmarks;

import java.util.Map;
import org.springframework.data.redis.core.StreamOperations;

/**
 * Spring Data Redis the plain way: {@code redisTemplate.opsForStream().add(key, Map.of("p", payload))} in a
 * loop, one synchronous {@code XADD} round trip per event, pooled Lettuce connection factory.
 */
final class SpringStreamAddSide extends SpringAppendSide {
    private final Map<byte[], byte[]> body = Map.of(RedisBackend.FIELD, Window.payload());

    SpringStreamAddSide(RedisBackend redis) {
        super(redis);
    }

    @Override
    public void run(int records) {
        StreamOperations<byte[], byte[], byte[]> ops = spring.template().opsForStream();
        for (int i = 0; i < records; i++) {
            if (ops.add(key, body) == null) {
                throw new IllegalStateException("XADD returned no id (inside a pipeline or transaction?)");
            }
        }
    }
}
