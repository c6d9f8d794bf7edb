package dev.tributary.redis.internal;

import dev.tributary.Capability;
import dev.tributary.EventId;
import dev.tributary.GroupInfo;
import dev.tributary.GroupOptions;
import dev.tributary.Health;
import dev.tributary.Limits;
import dev.tributary.Position;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamInfo;
import dev.tributary.StreamName;
import dev.tributary.StreamOptions;
import dev.tributary.StreamRecord;
import dev.tributary.Trim;
import dev.tributary.spi.AbstractGroupConsumer;
import dev.tributary.spi.AbstractStreamClient;
import dev.tributary.spi.AbstractStreamReader;
import dev.tributary.spi.AppendWindow;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The Redis {@link dev.tributary.StreamClient}, on the {@link AbstractStreamClient} skeleton (which
 * owns the closed flag, the argument and capability checks, the open readers and consumers and the
 * close sequence). The parts: {@link RedisConnector} (Lettuce clients and connections, server check,
 * shutdown), {@link CommandChannel} (the one shared, pipelined connection of every non-blocking
 * command), {@link RedisAppender} (appends in the {@link AppendWindow}), {@link RedisAdmin} (streams,
 * metadata, trims, groups), {@link BlockingPool} (dedicated connections of blocking reads),
 * {@link RedisReader} and {@link RedisGroupConsumer}. Thread-safe.
 */
public final class RedisStreamClient extends AbstractStreamClient {
    static final int MAX_BATCH = 1000;
    static final int MAX_READ = 10_000;

    final RedisSettings settings;
    final CommandChannel channel;
    final RedisAdmin admin;
    final BlockingPool pool;
    final EntryCodec codec;
    final RedisPartitions partitions;
    private final RedisConnector connector;
    private final RedisAppender appender;
    private final PartitionedAppends partitionedAppends;

    private RedisStreamClient(RedisSettings s, Set<Capability> caps, RedisConnector connector, CommandChannel channel) {
        super(
                "redis",
                caps,
                new Limits(s.maxPayloadBytes, s.maxHeaderBytes, MAX_BATCH, MAX_READ),
                "redis client of " + s.describe(),
                s.closeTimeout,
                // beforeWait: appends this thread wrote but has not flushed must leave before it waits for room
                new AppendWindow(
                        "redis client of " + s.describe(),
                        s.maxInFlightAppends,
                        s.requestTimeout,
                        channel::flush,
                        connector.executor()));
        this.settings = s;
        this.connector = connector;
        this.channel = channel;
        this.admin = new RedisAdmin(s, channel);
        this.pool = new BlockingPool(connector, s.blockingPoolSize);
        this.codec = EntryCodec.of(s);
        this.appender = new RedisAppender(s, codec, channel, appendWindow());
        this.partitions = new RedisPartitions(s, channel, admin);
        this.partitionedAppends = new PartitionedAppends(s, appender);
        channel.beforeFlush(appender::writePending); // idempotent appends gathered since the last flush
    }

    /** Connects, authenticates and checks the server version. */
    public static RedisStreamClient connect(RedisSettings s, Set<Capability> caps) {
        RedisConnector connector = RedisConnector.connect(s);
        try {
            return new RedisStreamClient(s, caps, connector, new CommandChannel(connector));
        } catch (RuntimeException e) {
            connector.shutdown(s.closeTimeout);
            throw e;
        }
    }

    @Override
    protected EventId doParseId(String text) {
        return Ids.parse(text);
    }

    @Override
    protected Health doHealth() {
        long t0 = System.nanoTime();
        try {
            Object r = channel.call(CommandType.PING, CommandChannel.args())
                    .get(settings.requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Health(
                    "PONG".equals(Resp.str(r, "PING")),
                    Duration.ofNanos(System.nanoTime() - t0),
                    "redis " + connector.serverVersion + " at " + settings.describe());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Health(false, Duration.ofNanos(System.nanoTime() - t0), "interrupted");
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            ensureOpen(); // closed meanwhile: CLOSED, not a health report
            StreamException se = RedisErrors.map(e, RedisErrors.Op.OTHER, "PING " + settings.describe(), false);
            return new Health(false, Duration.ofNanos(System.nanoTime() - t0), se.getMessage());
        }
    }

    @Override
    protected void doCreateStream(StreamName stream) {
        if (partitions.count(stream) > 1) {
            return; // a partitioned stream keeps its partitions
        }
        partitions.forget(stream);
        admin.createStream(admin.keys(stream));
    }

    @Override
    protected void doCreateStream(StreamName stream, StreamOptions options) {
        partitions.create(stream, options.partitions());
    }

    @Override
    protected boolean doDeleteStream(StreamName stream) {
        int n = partitions.count(stream);
        partitions.forget(stream);
        return n > 1 ? partitions.delete(stream, n) : admin.deleteStream(admin.keys(stream));
    }

    @Override
    protected CompletableFuture<EventId> doAppend(StreamName stream, StreamRecord record) {
        return whenCounted(
                partitions.countForAppend(stream),
                n -> n > 1
                        ? partitionedAppends.append(stream, n, record)
                        : appender.append(admin.keys(stream), record));
    }

    @Override
    protected CompletableFuture<List<EventId>> doAppendBatch(StreamName stream, List<StreamRecord> records) {
        return whenCounted(
                partitions.countForAppend(stream),
                n -> n > 1
                        ? partitionedAppends.appendBatch(stream, n, records)
                        : appender.appendBatch(admin.keys(stream), records));
    }

    /** Runs {@code append} now when the count is known (the usual case), else once it is. */
    private static <T> CompletableFuture<T> whenCounted(
            CompletableFuture<Integer> count, java.util.function.IntFunction<CompletableFuture<T>> append) {
        if (count.isDone() && !count.isCompletedExceptionally()) {
            return append.apply(count.join());
        }
        return count.thenCompose(append::apply);
    }

    @Override
    protected AbstractStreamReader doOpenReader(StreamName stream, Position from) {
        return byLayout(
                stream,
                n -> PartitionedReader.open(this, partitions.keys(stream, n), from),
                keys -> RedisReader.open(this, keys, PartitionedRange.onePartition(from, stream)));
    }

    @Override
    protected List<StreamEvent> doRange(StreamName stream, Position from, EventId toInclusive, int maxCount) {
        int n = partitions.count(stream);
        if (n > 1) {
            return PartitionedRange.range(this, partitions.keys(stream, n), from, toInclusive, maxCount);
        }
        Position start = PartitionedRange.onePartition(from, stream);
        String end = toInclusive == null ? "+" : Ids.wire(RedisAdmin.redisId(toInclusive));
        if (start instanceof Position.Latest) {
            return List.of(); // nothing lies after the latest event
        }
        return RedisReader.readFrom(
                channel,
                admin,
                codec,
                admin.keys(stream),
                RedisReader.cursorOf(start),
                !(start instanceof Position.AtTime),
                end,
                maxCount,
                null);
    }

    @Override
    protected StreamInfo doInfo(StreamName stream) {
        return byLayout(stream, n -> partitions.info(stream, n), admin::info);
    }

    /**
     * An operation in the form for the stream's layout: over its {@code n} partitions when it has
     * more than one, else on its one set of keys.
     */
    private <T> T byLayout(StreamName stream, IntFunction<T> partitioned, Function<StreamKeys, T> single) {
        int n = partitions.count(stream);
        return n > 1 ? partitioned.apply(n) : single.apply(admin.keys(stream));
    }

    @Override
    protected long doTrim(StreamName stream, Trim trim) {
        return byLayout(stream, n -> partitions.trim(stream, n, trim), keys -> admin.trim(keys, trim));
    }

    @Override
    protected void doCreateGroup(StreamName stream, String group, GroupOptions options) {
        int n = partitions.count(stream);
        if (n > 1) {
            partitions.createGroup(stream, n, group, options);
        } else {
            admin.createGroup(admin.keys(stream), group, options);
        }
    }

    @Override
    protected AbstractGroupConsumer doOpenGroupConsumer(StreamName stream, String group, String member) {
        return byLayout(
                stream,
                n -> PartitionedGroupConsumer.open(this, partitions.keys(stream, n), group, member),
                keys -> RedisGroupConsumer.open(this, keys, group, member));
    }

    @Override
    protected GroupInfo doGroupInfo(StreamName stream, String group) {
        return byLayout(stream, n -> partitions.groupInfo(stream, n, group), keys -> admin.groupInfo(keys, group));
    }

    @Override
    protected List<GroupInfo> doGroups(StreamName stream) {
        return byLayout(stream, n -> partitions.groups(stream, n), admin::groups);
    }

    @Override
    protected boolean doDeleteGroup(StreamName stream, String group) {
        return byLayout(stream, n -> partitions.deleteGroup(stream, n, group), keys -> admin.deleteGroup(keys, group));
    }

    /**
     * Readers, consumers and pending appends are settled by now; shuts the connections down, which
     * fails anything still in flight CLOSED.
     */
    @Override
    protected void doClose(Duration remaining) {
        channel.closing();
        pool.closeAll();
        connector.shutdown(remaining);
    }
}
