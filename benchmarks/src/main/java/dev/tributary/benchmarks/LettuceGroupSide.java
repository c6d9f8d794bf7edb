package dev.tributary.benchmarks;

import io.lettuce.core.Consumer;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Raw Lettuce: {@code XREADGROUP GROUP g m0 COUNT 1000 BLOCK 500 STREAMS key >}, then one {@code XACK} of the
 * batch's ids, on one connection, until every event was read and acked.
 */
final class LettuceGroupSide implements Side {
    static final int COUNT = 1000;

    private final LettuceConnection lettuce;
    private final StatefulRedisConnection<byte[], byte[]> connection;
    private byte[] key;
    private byte[] group;
    private int round;

    LettuceGroupSide(String uri) {
        this.lettuce = new LettuceConnection(uri);
        this.connection = lettuce.connection();
    }

    @Override
    public void prepare(String stream, int records) {
        key = stream.getBytes(StandardCharsets.UTF_8);
        group = ("peers-" + ++round).getBytes(StandardCharsets.UTF_8);
        connection
                .sync()
                .xgroupCreate(XReadArgs.StreamOffset.from(key, "0-0"), group, XGroupCreateArgs.Builder.mkstream());
    }

    @Override
    public void run(int records) {
        RedisCommands<byte[], byte[]> sync = connection.sync();
        Consumer<byte[]> me = Consumer.from(group, "m0".getBytes(StandardCharsets.UTF_8));
        XReadArgs.StreamOffset<byte[]> offset = XReadArgs.StreamOffset.lastConsumed(key);
        long done = 0;
        long lastProgress = System.nanoTime();
        while (done < records) {
            List<StreamMessage<byte[], byte[]>> batch = read(sync, me, offset);
            if (batch.isEmpty()) {
                stalled(done, records, lastProgress);
                continue;
            }
            String[] ids = new String[batch.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = batch.get(i).getId();
            }
            sync.xack(key, group, ids);
            done += ids.length;
            lastProgress = System.nanoTime();
        }
    }

    @SuppressWarnings("unchecked") // one stream offset through Lettuce's generic varargs
    private static List<StreamMessage<byte[], byte[]>> read(
            RedisCommands<byte[], byte[]> sync, Consumer<byte[]> me, XReadArgs.StreamOffset<byte[]> offset) {
        List<StreamMessage<byte[], byte[]>> batch =
                sync.xreadgroup(me, XReadArgs.Builder.count(COUNT).block(500), offset);
        return batch == null ? List.of() : batch;
    }

    /** Throws when nothing was read for {@link Window#STALL_SECONDS}. */
    static void stalled(long done, long records, long lastProgressNanos) {
        if (System.nanoTime() - lastProgressNanos
                > Duration.ofSeconds(Window.STALL_SECONDS).toNanos()) {
            throw new IllegalStateException(
                    "consumed " + done + " of " + records + " events; nothing new for " + Window.STALL_SECONDS + " s");
        }
    }

    @Override
    public void close() {
        lettuce.close();
    }
}
