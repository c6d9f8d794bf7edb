package dev.tributary.benchmarks;

import java.nio.charset.StandardCharsets;

/**
 * A side that appends through Spring Data Redis' {@link SpringRedis} template (pooled Lettuce connection
 * factory) to the stream of the round, {@link #key}; the factory is closed with the side.
 */
abstract class SpringAppendSide implements Side {
    /** The template and its connection factory. */
    final SpringRedis spring;

    /** The key of the round's stream. */
    byte[] key;

    SpringAppendSide(RedisBackend redis) {
        this.spring = new SpringRedis(redis);
    }

    @Override
    public final void prepare(String stream, int records) {
        key = stream.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public final void close() {
        spring.close();
    }
}
