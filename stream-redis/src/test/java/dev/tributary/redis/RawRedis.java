package dev.tributary.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.util.concurrent.TimeUnit;

/**
 * A plain Lettuce connection to the {@link RedisFixture}'s server, for what a test reads or writes
 * beside the client under test (keys, INFO, another application's XADD). It opens the fixture's URI
 * without the client's query options, which Lettuce does not know.
 *
 * @param <K> key type of the codec
 * @param <V> value type of the codec
 */
public final class RawRedis<K, V> implements AutoCloseable {
    private final RedisClient lettuce;
    private final StatefulRedisConnection<K, V> connection;

    private RawRedis(RedisClient lettuce, StatefulRedisConnection<K, V> connection) {
        this.lettuce = lettuce;
        this.connection = connection;
    }

    /** A connection with string keys and values. */
    public static RawRedis<String, String> open(RedisFixture fixture) {
        return open(fixture, StringCodec.UTF8);
    }

    /** A connection with {@code codec}. */
    public static <K, V> RawRedis<K, V> open(RedisFixture fixture, RedisCodec<K, V> codec) {
        RedisClient lettuce =
                RedisClient.create(fixture.config().uri().toString().replaceFirst("\\?.*$", ""));
        try {
            return new RawRedis<>(lettuce, lettuce.connect(codec));
        } catch (RuntimeException e) {
            lettuce.shutdown(0, 2, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** Synchronous commands on the connection. */
    public RedisCommands<K, V> sync() {
        return connection.sync();
    }

    @Override
    public void close() {
        connection.close();
        lettuce.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
