package dev.tributary.benchmarks;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** Streams on a Redis server through Lettuce: nothing to create, filled with pipelined XADD. */
final class RedisBackend implements Backend {
    static final byte[] FIELD = "p".getBytes(StandardCharsets.UTF_8);

    private final String uri;
    private final RedisClient client;
    private final StatefulRedisConnection<byte[], byte[]> connection;

    RedisBackend(String uri) {
        this.uri = uri;
        RedisURI u = RedisURI.create(uri);
        u.setTimeout(Duration.ofSeconds(30));
        this.client = RedisClient.create(u);
        this.connection = client.connect(ByteArrayCodec.INSTANCE);
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public String uri() {
        return uri;
    }

    /** The server's host. */
    String host() {
        return RedisURI.create(uri).getHost();
    }

    /** The server's port. */
    int port() {
        return RedisURI.create(uri).getPort();
    }

    @Override
    public void create(String stream) {
        // XADD creates a stream; a consumer group is created by each side
    }

    @Override
    public void fill(String stream, int records, byte[] payload) throws Exception {
        byte[] key = stream.getBytes(StandardCharsets.UTF_8);
        StatefulRedisConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE);
        try {
            c.setAutoFlushCommands(false);
            Window window = new Window();
            Map<byte[], byte[]> body = Map.of(FIELD, payload);
            for (int i = 0; i < records; i++) {
                window.acquire();
                c.async().xadd(key, body).whenComplete((id, e) -> window.complete(e));
                if ((i + 1) % 1000 == 0) {
                    c.flushCommands();
                }
            }
            c.flushCommands();
            window.awaitAll();
        } finally {
            c.close();
        }
    }

    @Override
    public void delete(String stream) {
        connection.sync().del(stream.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
