package dev.tributary.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Raw Lettuce: {@code XADD key * p <payload>} on one connection with auto-flush off, {@code flushCommands()}
 * every {@value LettuceConnection#FLUSH_EVERY} commands, at most {@link Window#LIMIT} unanswered.
 */
final class LettucePipelinedSide implements Side {
    private final LettuceConnection lettuce;
    private final Map<byte[], byte[]> body = Map.of(RedisBackend.FIELD, Window.payload());
    private byte[] key;

    LettucePipelinedSide(String uri) {
        this.lettuce = new LettuceConnection(uri);
    }

    @Override
    public void prepare(String stream, int records) {
        key = stream.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void run(int records) throws Exception {
        LettuceConnection.xaddPipelined(lettuce.connection(), key, body, records);
    }

    @Override
    public void close() {
        lettuce.close();
    }
}
