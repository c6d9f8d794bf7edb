package dev.tributary.benchmarks;

import java.time.Duration;
import java.util.Map;
import org.redisson.Redisson;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.StreamMessageId;
import org.redisson.api.stream.StreamCreateGroupArgs;
import org.redisson.api.stream.StreamReadGroupArgs;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.config.Config;

/**
 * Redisson's {@link RStream} (byte-array codec, single-server config with its defaults):
 * {@code readGroup(group, "m0", neverDelivered().count(1000).timeout(500 ms))}, then
 * {@code ack(group, ids…)} of the batch, until every event was read and acked.
 */
final class RedissonStreamSide implements Side {
    static final int COUNT = 1000;

    private final RedissonClient redisson;
    private RStream<byte[], byte[]> stream;
    private String group;
    private int round;

    RedissonStreamSide(RedisBackend redis) {
        Config config = new Config();
        config.useSingleServer().setAddress("redis://" + redis.host() + ":" + redis.port());
        config.setCodec(ByteArrayCodec.INSTANCE);
        this.redisson = Redisson.create(config);
    }

    @Override
    public void prepare(String name, int records) {
        stream = redisson.getStream(name, ByteArrayCodec.INSTANCE);
        group = "peers-" + ++round;
        stream.createGroup(StreamCreateGroupArgs.name(group).id(StreamMessageId.ALL));
    }

    @Override
    public void run(int records) {
        long done = 0;
        long lastProgress = System.nanoTime();
        StreamReadGroupArgs args =
                StreamReadGroupArgs.neverDelivered().count(COUNT).timeout(Duration.ofMillis(500));
        while (done < records) {
            Map<StreamMessageId, Map<byte[], byte[]>> batch = stream.readGroup(group, "m0", args);
            if (batch == null || batch.isEmpty()) {
                LettuceGroupSide.stalled(done, records, lastProgress);
                continue;
            }
            StreamMessageId[] ids = batch.keySet().toArray(new StreamMessageId[0]);
            stream.ack(group, ids);
            done += ids.length;
            lastProgress = System.nanoTime();
        }
    }

    @Override
    public void close() {
        redisson.shutdown();
    }
}
