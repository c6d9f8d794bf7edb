package dev.tributary.benchmarks;

import java.time.Duration;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettucePoolingClientConfiguration;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializer;

/**
 * What a Spring application has for Redis, built by hand: a {@link LettuceConnectionFactory} with a
 * commons-pool2 connection pool (the pool's defaults: at most 8 connections) and a
 * {@code RedisTemplate<byte[], byte[]>} whose every serializer passes bytes through.
 */
final class SpringRedis implements AutoCloseable {
    private final LettuceConnectionFactory factory;
    private final RedisTemplate<byte[], byte[]> template;

    SpringRedis(RedisBackend redis) {
        LettucePoolingClientConfiguration client = LettucePoolingClientConfiguration.builder()
                .poolConfig(new GenericObjectPoolConfig<>())
                .commandTimeout(Duration.ofSeconds(30))
                .build();
        factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(redis.host(), redis.port()), client);
        factory.afterPropertiesSet();
        factory.start();
        template = new RedisTemplate<>();
        template.setConnectionFactory(factory);
        template.setEnableDefaultSerializer(true);
        template.setDefaultSerializer(RedisSerializer.byteArray());
        template.setKeySerializer(RedisSerializer.byteArray());
        template.setValueSerializer(RedisSerializer.byteArray());
        template.setHashKeySerializer(RedisSerializer.byteArray());
        template.setHashValueSerializer(RedisSerializer.byteArray());
        template.afterPropertiesSet();
    }

    LettuceConnectionFactory factory() {
        return factory;
    }

    RedisTemplate<byte[], byte[]> template() {
        return template;
    }

    @Override
    public void close() {
        factory.destroy();
    }
}
