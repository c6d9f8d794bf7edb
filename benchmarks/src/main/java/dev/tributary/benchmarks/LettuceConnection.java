package dev.tributary.benchmarks;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.time.Duration;
import java.util.Map;

/**
 * A Lettuce client with its one connection (byte-array keys and values, 30 s command timeout), as the Redis
 * backend and the raw Lettuce sides use it; both are shut down on {@link #close()}.
 */
final class LettuceConnection implements AutoCloseable {
    /** Commands sent per {@code flushCommands()} of {@link #xaddPipelined}. */
    static final int FLUSH_EVERY = 1000;

    private final RedisClient client;
    private final StatefulRedisConnection<byte[], byte[]> connection;

    LettuceConnection(String uri) {
        RedisURI u = RedisURI.create(uri);
        u.setTimeout(Duration.ofSeconds(30));
        this.client = RedisClient.create(u);
        this.connection = client.connect(ByteArrayCodec.INSTANCE);
    }

    /** The client, for further connections. */
    RedisClient client() {
        return client;
    }

    /** The one connection. */
    StatefulRedisConnection<byte[], byte[]> connection() {
        return connection;
    }

    /**
     * {@code XADD key * body}, {@code records} times, on {@code connection} with auto-flush off:
     * {@code flushCommands()} every {@value #FLUSH_EVERY} commands, at most {@link Window#LIMIT} unanswered.
     * Returns when every one is answered (throws the first failure); auto-flush is on again after.
     */
    static void xaddPipelined(
            StatefulRedisConnection<byte[], byte[]> connection, byte[] key, Map<byte[], byte[]> body, int records)
            throws Exception {
        Window window = new Window();
        connection.setAutoFlushCommands(false);
        try {
            for (int i = 0; i < records; i++) {
                window.acquire();
                connection.async().xadd(key, body).whenComplete((id, e) -> window.complete(e));
                if ((i + 1) % FLUSH_EVERY == 0) {
                    connection.flushCommands();
                }
            }
            connection.flushCommands();
            window.awaitAll();
        } finally {
            connection.setAutoFlushCommands(true);
        }
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
