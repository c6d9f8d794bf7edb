package dev.tributary.benchmarks;

import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Streams on a Redis server through Lettuce: nothing to create, filled with pipelined XADD. */
final class RedisBackend implements Backend {
    static final byte[] FIELD = "p".getBytes(StandardCharsets.UTF_8);

    private final String uri;
    private final LettuceConnection lettuce;

    RedisBackend(String uri) {
        this.uri = uri;
        this.lettuce = new LettuceConnection(uri);
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
        try (StatefulRedisConnection<byte[], byte[]> c = lettuce.client().connect(ByteArrayCodec.INSTANCE)) {
            LettuceConnection.xaddPipelined(c, key, Map.of(FIELD, payload), records);
        }
    }

    @Override
    public void delete(String stream) {
        lettuce.connection().sync().del(stream.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        lettuce.close();
    }
}
