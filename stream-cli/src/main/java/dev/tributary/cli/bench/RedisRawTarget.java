package dev.tributary.cli.bench;

import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Raw Lettuce: pipelined {@code XADD} (auto-flush off, one connection per producer, flush every
 * batch) and {@code XREADGROUP COUNT batch BLOCK 500} + {@code XACK} per batch, one connection per
 * member; the tail loop is {@code XREAD COUNT batch BLOCK 500} from the last id read.
 */
final class RedisRawTarget extends RawTarget {
    private static final byte[] FIELD = Drivers.utf8("p");

    private final RedisClient client;
    private final List<StatefulRedisConnection<byte[], byte[]>> connections = new ArrayList<>();
    private byte[] key;

    RedisRawTarget(String uri) {
        RedisURI u = RedisURI.create(RawUris.withoutQuery(uri));
        u.setTimeout(Duration.ofSeconds(30));
        this.client = RedisClient.create(u);
    }

    @Override
    public String label() {
        return "raw Lettuce";
    }

    @Override
    public String method() {
        return "Lettuce pipelined XADD (auto-flush off, flush every batch), XREADGROUP COUNT batch BLOCK 500 + XACK";
    }

    private synchronized StatefulRedisConnection<byte[], byte[]> connect() {
        StatefulRedisConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE);
        connections.add(c);
        return c;
    }

    @Override
    public void prepare(String streamName) {
        key = Drivers.utf8(streamName);
    }

    @Override
    public PhaseResult append(Workload w, Progress progress) throws Exception {
        List<StatefulRedisConnection<byte[], byte[]>> perProducer = new ArrayList<>();
        List<RedisAsyncCommands<byte[], byte[]>> async = new ArrayList<>();
        for (int p = 0; p < w.producers(); p++) {
            StatefulRedisConnection<byte[], byte[]> c = connect();
            c.setAutoFlushCommands(false);
            perProducer.add(c);
            async.add(c.async());
        }
        try {
            return Drivers.append(w, progress, "append  raw Lettuce", new Drivers.Submitter() {
                @Override
                public void submit(int producer, byte[] payload, Drivers.Completion done) {
                    async.get(producer).xadd(key, Map.of(FIELD, payload)).whenComplete((id, e) -> done.complete(e));
                }

                @Override
                public void flush(int producer) {
                    perProducer.get(producer).flushCommands();
                }
            });
        } finally {
            for (StatefulRedisConnection<byte[], byte[]> c : perProducer) {
                c.setAutoFlushCommands(true);
            }
        }
    }

    /** {@code XREAD COUNT batch BLOCK 500} from the stream's start on a connection of its own. */
    @Override
    public PhaseResult tail(Workload w, Progress progress) throws Exception {
        return tailLoop(w, progress, () -> {
            RedisCommands<byte[], byte[]> sync = connect().sync();
            String[] last = {"0-0"};
            return () -> {
                List<StreamMessage<byte[], byte[]>> msgs =
                        tailRead(sync, w.batch(), XReadArgs.StreamOffset.from(key, last[0]));
                if (msgs == null || msgs.isEmpty()) {
                    return 0;
                }
                last[0] = msgs.get(msgs.size() - 1).getId();
                return msgs.size();
            };
        });
    }

    /** {@code XADD} on an auto-flushed connection to {@code XREADGROUP COUNT batch BLOCK 100} + {@code XACK}. */
    @Override
    public PhaseResult latency(Workload w, Progress progress, int rate) throws Exception {
        byte[] group = Drivers.utf8("bench-latency");
        connect().sync().xgroupCreate(XReadArgs.StreamOffset.latest(key), group);
        RedisAsyncCommands<byte[], byte[]> out = connect().async();
        return Latency.run(
                w,
                progress,
                "latency raw Lettuce",
                rate,
                (payload, failed) -> out.xadd(key, Map.of(FIELD, payload)).whenComplete((id, e) -> {
                    if (e != null) {
                        failed.accept(e);
                    }
                }),
                handled -> Drivers.loop("bench-raw-latency", n -> {}, () -> {
                    RedisCommands<byte[], byte[]> sync = connect().sync();
                    Consumer<byte[]> me = Consumer.from(group, Drivers.utf8("m0"));
                    XReadArgs.StreamOffset<byte[]> offset = XReadArgs.StreamOffset.lastConsumed(key);
                    return () -> {
                        List<StreamMessage<byte[], byte[]>> msgs = groupRead(sync, me, w.batch(), 100, offset);
                        if (msgs == null || msgs.isEmpty()) {
                            return 0;
                        }
                        String[] ids = new String[msgs.size()];
                        for (int i = 0; i < ids.length; i++) {
                            // the one field of the entry (byte[] keys: no lookup by value)
                            handled.accept(
                                    msgs.get(i).getBody().values().iterator().next());
                            ids[i] = msgs.get(i).getId();
                        }
                        sync.xack(key, group, ids);
                        return ids.length;
                    };
                }));
    }

    @SuppressWarnings("unchecked") // one stream offset through Lettuce's generic varargs
    private static List<StreamMessage<byte[], byte[]>> groupRead(
            RedisCommands<byte[], byte[]> sync,
            Consumer<byte[]> me,
            int max,
            long blockMs,
            XReadArgs.StreamOffset<byte[]> offset) {
        return sync.xreadgroup(me, XReadArgs.Builder.count(max).block(blockMs), offset);
    }

    @SuppressWarnings("unchecked") // one stream offset through Lettuce's generic varargs
    private static List<StreamMessage<byte[], byte[]>> tailRead(
            RedisCommands<byte[], byte[]> sync, int max, XReadArgs.StreamOffset<byte[]> offset) {
        return sync.xread(XReadArgs.Builder.count(max).block(500), offset);
    }

    /** {@code XREADGROUP} + {@code XACK} members of group {@code groupName}, created from the stream's start. */
    @Override
    PhaseResult group(Workload w, Progress progress, String groupName, String title) throws Exception {
        byte[] group = Drivers.utf8(groupName);
        connect()
                .sync()
                .xgroupCreate(XReadArgs.StreamOffset.from(key, "0-0"), group, XGroupCreateArgs.Builder.mkstream());
        return Drivers.consume(w, progress, title, index -> {
            RedisCommands<byte[], byte[]> sync = connect().sync();
            Consumer<byte[]> me = Consumer.from(group, Drivers.utf8("m" + index));
            XReadArgs.StreamOffset<byte[]> offset = XReadArgs.StreamOffset.lastConsumed(key);
            return new Drivers.Member() {
                @Override
                public int pollAndAck(int max) {
                    List<StreamMessage<byte[], byte[]>> msgs = read(sync, me, max, offset);
                    if (msgs == null || msgs.isEmpty()) {
                        return 0;
                    }
                    String[] ids = new String[msgs.size()];
                    for (int i = 0; i < ids.length; i++) {
                        ids[i] = msgs.get(i).getId();
                    }
                    sync.xack(key, group, ids);
                    return ids.length;
                }

                @Override
                public void close() {
                    // connections are closed with the target
                }
            };
        });
    }

    @SuppressWarnings("unchecked") // one stream offset through Lettuce's generic varargs
    private static List<StreamMessage<byte[], byte[]>> read(
            RedisCommands<byte[], byte[]> sync, Consumer<byte[]> me, int max, XReadArgs.StreamOffset<byte[]> offset) {
        return sync.xreadgroup(me, XReadArgs.Builder.count(max).block(500), offset);
    }

    @Override
    public void cleanup() {
        if (key != null) {
            connect().sync().del(key);
        }
    }

    @Override
    public synchronized void close() {
        for (StatefulRedisConnection<byte[], byte[]> c : connections) {
            c.close();
        }
        connections.clear();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
