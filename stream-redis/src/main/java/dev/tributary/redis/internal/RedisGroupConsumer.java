package dev.tributary.redis.internal;

import dev.tributary.AckResult;
import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.spi.AbstractGroupConsumer;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One member of a Redis consumer group.
 *
 * <p>A poll first claims entries whose ack timeout expired ({@code XAUTOCLAIM} with min-idle = the
 * group's ack timeout, through a script that also returns each entry's delivery count from
 * {@code XPENDING}); claiming is attempted at most every {@code clamp(ackTimeout / 4, 5 ms, 1 s)} when
 * the previous scan found nothing. Then new entries ({@code XREADGROUP ... >}) without blocking on the
 * shared connection, then — if the caller allows a wait — {@code XREADGROUP BLOCK} on a pooled
 * dedicated connection, in slices so that expired entries are still claimed while waiting.
 *
 * <p>{@code nack} re-claims the entries to this member with their idle time set to the ack timeout
 * ({@code XCLAIM ... IDLE <ackTimeout> JUSTID}), which makes them eligible for the next claim of any
 * member at once; that claim raises the delivery count.
 *
 * <p>A {@code NOGROUP} reply means the group is gone: {@link ErrorKind#NOT_FOUND} when deleteGroup or
 * deleteStream left a marker, else {@link ErrorKind#DATA_LOSS} (the server lost the group, e.g. a
 * restart without persistence) — never retried in a loop.
 */
final class RedisGroupConsumer extends AbstractGroupConsumer {
    private final CommandChannel channel;
    private final RedisAdmin admin;
    private final EntryCodec codec;
    private final StreamKeys keys;
    private final String key;
    private final byte[] keyBytes;
    private final byte[] groupBytes;
    private final byte[] memberBytes;
    private final long ackTimeoutMs;
    private final long claimIntervalNanos;
    private volatile String claimCursor = "0-0";
    private volatile long nextClaimAt;
    private final BlockingCall blocking;
    /** Set after a failure or reconnect: the member's own pending entries are delivered again first. */
    private boolean recover;

    private String recoverFrom = "-";
    private long seenEpoch;

    private RedisGroupConsumer(
            RedisStreamClient client, StreamKeys keys, String group, String member, Duration ackTimeout) {
        super(keys.stream(), group, member, client.limits());
        this.keys = keys;
        this.channel = client.channel;
        this.admin = client.admin;
        this.codec = client.codec;
        this.blocking = new BlockingCall(client.pool, client.channel);
        this.key = keys.key();
        this.keyBytes = CommandChannel.b(key);
        this.groupBytes = CommandChannel.b(group);
        this.memberBytes = CommandChannel.b(member);
        this.ackTimeoutMs = ackTimeout.toMillis();
        this.claimIntervalNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(5, Math.min(1000, ackTimeoutMs / 4)));
        this.nextClaimAt = System.nanoTime();
        this.seenEpoch = channel.epoch();
    }

    /** A member of an existing group (NOT_FOUND otherwise). */
    static RedisGroupConsumer open(RedisStreamClient client, StreamKeys keys, String group, String member) {
        if (!client.admin.groupExists(keys, group)) {
            throw client.admin.groupNotFound(keys, group);
        }
        return new RedisGroupConsumer(client, keys, group, member, client.admin.ackTimeout(keys, group));
    }

    @Override
    protected List<StreamEvent> doPoll(int maxCount, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            while (true) {
                long epoch = channel.epoch();
                if (epoch != seenEpoch) {
                    startRecovery(epoch);
                }
                if (recover) {
                    List<StreamEvent> own = recoverOwn(maxCount);
                    if (!own.isEmpty()) {
                        return own;
                    }
                }
                if (System.nanoTime() - nextClaimAt >= 0) {
                    List<StreamEvent> claimed = claim(maxCount);
                    if (!claimed.isEmpty()) {
                        return afterRead(claimed, epoch, maxCount);
                    }
                }
                List<StreamEvent> fresh = readNew(maxCount);
                if (!fresh.isEmpty()) {
                    return afterRead(fresh, epoch, maxCount);
                }
                long now = System.nanoTime();
                long remaining = deadline - now;
                if (remaining <= 0) {
                    return List.of();
                }
                long slice = Math.min(remaining, Math.max(TimeUnit.MILLISECONDS.toNanos(1), nextClaimAt - now));
                fresh = block(maxCount, slice);
                if (!fresh.isEmpty()) {
                    return fresh;
                }
                if (deadline - System.nanoTime() <= 0) {
                    return List.of();
                }
            }
        } catch (StreamException e) {
            if (isClosed()) {
                throw e; // the skeleton reports CLOSED
            }
            if (e.isRetryable() || e.kind() == ErrorKind.INDETERMINATE) {
                startRecovery(channel.epoch());
            }
            throw refine(e);
        }
    }

    /**
     * A read whose reply came back across a reconnect may be a replay of a command the server had
     * already executed: the entries of the lost reply then sit in this member's pending list, older
     * than what came back. Deliver the pending list again, in id order, instead.
     */
    private List<StreamEvent> afterRead(List<StreamEvent> events, long epochBefore, int maxCount) {
        long now = channel.epoch();
        if (now == epochBefore) {
            return events;
        }
        startRecovery(now);
        List<StreamEvent> own = recoverOwn(maxCount);
        return own.isEmpty() ? events : own;
    }

    private void startRecovery(long epoch) {
        seenEpoch = epoch;
        recover = true;
        recoverFrom = "-";
    }

    /** The next page of this member's own pending entries (XCLAIM to itself raises the count). */
    private List<StreamEvent> recoverOwn(int maxCount) {
        Object r = evalAsMember(Script.OWN_PENDING, "XPENDING/XCLAIM", recoverFrom, Integer.toString(maxCount));
        List<Object> parts = Resp.list(r, "own pending");
        List<Object> entries = Resp.list(parts.get(0), "own pending entries");
        List<Object> counts = Resp.list(parts.get(1), "own pending counts");
        long scanned = Resp.num(parts.get(2), "own pending size");
        List<StreamEvent> out = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            int count = i < counts.size()
                    ? (int) Math.max(1, Math.min(Integer.MAX_VALUE, Resp.num(counts.get(i), "delivery count")))
                    : 2;
            out.add(codec.decode(stream(), entries.get(i), count));
        }
        if (scanned < maxCount) {
            recover = false;
        } else if (!out.isEmpty()) {
            recoverFrom = "(" + Ids.wire(out.get(out.size() - 1).id());
        } else {
            recover = false; // a full page of entries that no longer exist: XCLAIM dropped them
        }
        return out;
    }

    /** Runs a script on this member's stream key with the arguments group, member, then {@code args}. */
    private Object evalAsMember(Script script, String command, String... args) {
        List<byte[]> argv = new ArrayList<>(2 + args.length);
        argv.add(groupBytes);
        argv.add(memberBytes);
        for (String a : args) {
            argv.add(CommandChannel.b(a));
        }
        return channel.syncEval(script, List.of(keyBytes), argv, command + " " + key + " " + group());
    }

    private List<StreamEvent> claim(int maxCount) {
        Object r = evalAsMember(
                Script.AUTOCLAIM, "XAUTOCLAIM", Long.toString(ackTimeoutMs), claimCursor, Integer.toString(maxCount));
        List<Object> parts = Resp.list(r, "XAUTOCLAIM");
        if (parts.size() < 3) {
            throw Resp.shape("XAUTOCLAIM", r);
        }
        String next = Resp.str(parts.get(0), "XAUTOCLAIM cursor");
        List<Object> entries = Resp.list(parts.get(1), "XAUTOCLAIM entries");
        List<Object> counts = Resp.list(parts.get(2), "XAUTOCLAIM counts");
        List<StreamEvent> out = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i) == null) {
                continue;
            }
            int count = i < counts.size()
                    ? (int) Math.max(1, Math.min(Integer.MAX_VALUE, Resp.num(counts.get(i), "delivery count")))
                    : 2;
            out.add(codec.decode(stream(), entries.get(i), count));
        }
        claimCursor = next;
        nextClaimAt = "0-0".equals(next) ? System.nanoTime() + claimIntervalNanos : System.nanoTime();
        return out;
    }

    private CommandArgs<byte[], byte[]> readArgs(int maxCount, long blockMs) {
        CommandArgs<byte[], byte[]> a = CommandChannel.args()
                .add("GROUP")
                .add(groupBytes)
                .add(memberBytes)
                .add("COUNT")
                .add(maxCount);
        if (blockMs > 0) {
            a.add("BLOCK").add(blockMs);
        }
        return a.add("STREAMS").addKey(keyBytes).add(">");
    }

    private List<StreamEvent> readNew(int maxCount) {
        Object r = channel.sync(CommandType.XREADGROUP, readArgs(maxCount, 0), "XREADGROUP " + key + " " + group());
        return codec.decodeRead(stream(), r);
    }

    private List<StreamEvent> block(int maxCount, long nanos) {
        Object reply = blocking.call(
                CommandType.XREADGROUP,
                "XREADGROUP BLOCK " + key + " " + group(),
                nanos,
                ms -> readArgs(maxCount, ms),
                this::isClosed);
        return codec.decodeRead(stream(), reply);
    }

    /** NOGROUP: deleted (marker) → NOT_FOUND, vanished → DATA_LOSS. */
    private StreamException refine(StreamException e) {
        if (e.kind() != ErrorKind.NOT_FOUND) {
            return e;
        }
        boolean deleted;
        try {
            deleted = admin.deletedMarker(keys, group());
        } catch (StreamException other) {
            return e;
        }
        if (deleted) {
            return new StreamException(
                    ErrorKind.NOT_FOUND, "consumer group '" + group() + "' of " + keys.describe() + " was deleted", e);
        }
        return new StreamException(
                ErrorKind.DATA_LOSS,
                "consumer group '" + group() + "' of " + keys.describe()
                        + " vanished without deleteGroup: Redis lost its data (restart without persistence, failover to a "
                        + "replica that lagged, FLUSHALL); its pending entries and position are gone. Recreate the group "
                        + "and choose where to resume",
                e);
    }

    @Override
    protected AckResult doAck(List<EventId> ids) {
        if (ids.isEmpty()) {
            return AckResult.NONE;
        }
        List<String> redisIds = redisIds(ids);
        long acked = 0;
        if (!redisIds.isEmpty()) {
            CommandArgs<byte[], byte[]> a =
                    CommandChannel.args().addKey(keyBytes).add(groupBytes);
            for (String id : redisIds) {
                a.add(id);
            }
            acked = Resp.num(channel.sync(CommandType.XACK, a, "XACK " + key + " " + group()), "XACK");
        }
        if (acked < ids.size() && !admin.groupExists(keys, group())) {
            throw refine(new StreamException(
                    ErrorKind.NOT_FOUND,
                    "XACK " + key + " " + group() + ": the stream or consumer group does not exist"));
        }
        return new AckResult((int) acked, ids.size() - (int) acked);
    }

    @Override
    protected void doNack(List<EventId> ids) {
        List<String> redisIds = redisIds(ids);
        if (redisIds.isEmpty()) {
            return;
        }
        CommandArgs<byte[], byte[]> a = CommandChannel.args()
                .addKey(keyBytes)
                .add(groupBytes)
                .add(memberBytes)
                .add(0);
        for (String id : redisIds) {
            a.add(id);
        }
        a.add("IDLE").add(ackTimeoutMs).add("JUSTID");
        try {
            channel.sync(CommandType.XCLAIM, a, "XCLAIM " + key + " " + group());
        } catch (StreamException e) {
            throw refine(e);
        }
        claimCursor = "0-0";
        nextClaimAt = System.nanoTime();
    }

    /** Ids as Redis arguments; another backend's ids are skipped (they count as unknown). */
    private static List<String> redisIds(List<EventId> ids) {
        List<String> out = new ArrayList<>(ids.size());
        for (EventId id : ids) {
            if (id.isPair()) {
                out.add(Ids.wire(id));
            }
        }
        return out;
    }

    /** Polls as {@link #poll} does, for a consumer of several partitions that holds this one. */
    List<StreamEvent> pollPartition(int maxCount, Duration wait) {
        return doPoll(maxCount, wait);
    }

    /** Acks as {@link #ack} does, for a consumer of several partitions that holds this one. */
    AckResult ackPartition(List<EventId> ids) {
        return doAck(ids);
    }

    /** Nacks as {@link #nack} does, for a consumer of several partitions that holds this one. */
    void nackPartition(List<EventId> ids) {
        doNack(ids);
    }

    /** Closes the connection of a blocked XREADGROUP, which wakes the poll. Acks nothing. */
    @Override
    protected void doClose() {
        blocking.wake();
    }
}
