package dev.tributary.benchmarks;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Raw Lettuce: {@code XADD key * p <payload>} on one connection with auto-flush off, {@code flushCommands()}
 * every {@value #FLUSH_EVERY} commands, at most {@link Window#LIMIT} unanswered.
 */
final class LettucePipelinedSide implements Side {
    static final int FLUSH_EVERY = 1000;

    private final RedisClient client;
    private final StatefulRedisConnection<byte[], byte[]> connection;
    private final Map<byte[], byte[]> body = Map.of(RedisBackend.FIELD, Window.payload());
    private byte[] key;

    LettucePipelinedSide(String uri) {
        RedisURI u = RedisURI.create(uri);
        u.setTimeout(Duration.ofSeconds(30));
        this.client = RedisClient.create(u);
        this.connection = client.connect(ByteArrayCodec.INSTANCE);
    }

    @Override
    public void prepare(String stream, int records) {
        key = stream.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void run(int records) throws Exception {
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
