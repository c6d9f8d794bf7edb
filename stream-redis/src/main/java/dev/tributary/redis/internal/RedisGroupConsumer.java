package dev.tributary.redis.internal;

import dev.tributary.AckResult;
import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.GroupConsumer;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.spi.Checks;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
final class RedisGroupConsumer implements GroupConsumer {
    private final RedisStreamClient client;
    private final StreamName stream;
    private final String group;
    private final String member;
    private final String key;
    private final long ackTimeoutMs;
    private final long claimIntervalNanos;
    private volatile String claimCursor = "0-0";
    private volatile long nextClaimAt;
    private volatile boolean closed;
    private volatile StatefulRedisConnection<byte[], byte[]> blocking;
    /** Set after a failure or reconnect: the member's own pending entries are delivered again first. */
    private boolean recover;
    private String recoverFrom = "-";
    private long seenEpoch;

    private RedisGroupConsumer(RedisStreamClient client, StreamName stream, String group, String member,
            Duration ackTimeout) {
        this.client = client;
        this.stream = stream;
        this.group = group;
        this.member = member;
        this.key = client.key(stream);
        this.ackTimeoutMs = ackTimeout.toMillis();
        this.claimIntervalNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(5, Math.min(1000, ackTimeoutMs / 4)));
        this.nextClaimAt = System.nanoTime();
        this.seenEpoch = client.epoch();
    }

    static RedisGroupConsumer open(RedisStreamClient client, StreamName stream, String group, String member) {
        if (!client.groupExists(stream, group)) {
            throw new StreamException(ErrorKind.NOT_FOUND, "consumer group '" + group + "' of stream "
                    + client.key(stream) + " does not exist; create it with createGroup");
        }
        return new RedisGroupConsumer(client, stream, group, member, client.ackTimeout(stream, group));
    }

    @Override
    public StreamName stream() {
        return stream;
    }

    @Override
    public String group() {
        return group;
    }

    @Override
    public String member() {
        return member;
    }

    @Override
    public List<StreamEvent> poll(int maxCount, Duration wait) {
        checkOpen();
        Checks.count(maxCount, client.limits());
        Checks.wait(wait);
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            while (true) {
                long epoch = client.epoch();
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
                throw StreamException.closed("the group consumer");
            }
            if (e.isRetryable() || e.kind() == ErrorKind.INDETERMINATE) {
                startRecovery(client.epoch());
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
        long now = client.epoch();
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
        Object r = client.syncEval(Script.OWN_PENDING, List.of(RedisStreamClient.b(key)),
                List.of(RedisStreamClient.b(group), RedisStreamClient.b(member), RedisStreamClient.b(recoverFrom),
                        RedisStreamClient.b(Integer.toString(maxCount))),
                "XPENDING/XCLAIM " + key + " " + group);
        List<Object> parts = Resp.list(r, "own pending");
        List<Object> entries = Resp.list(parts.get(0), "own pending entries");
        List<Object> counts = Resp.list(parts.get(1), "own pending counts");
        long scanned = Resp.num(parts.get(2), "own pending size");
        List<StreamEvent> out = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            int count = i < counts.size() ? (int) Math.max(1, Math.min(Integer.MAX_VALUE,
                    Resp.num(counts.get(i), "delivery count"))) : 2;
            out.add(EntryCodec.decode(stream, entries.get(i), count));
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

    private List<StreamEvent> claim(int maxCount) {
        Object r = client.syncEval(Script.AUTOCLAIM, List.of(RedisStreamClient.b(key)),
                List.of(RedisStreamClient.b(group), RedisStreamClient.b(member),
                        RedisStreamClient.b(Long.toString(ackTimeoutMs)), RedisStreamClient.b(claimCursor),
                        RedisStreamClient.b(Integer.toString(maxCount))),
                "XAUTOCLAIM " + key + " " + group);
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
            int count = i < counts.size() ? (int) Math.max(1, Math.min(Integer.MAX_VALUE,
                    Resp.num(counts.get(i), "delivery count"))) : 2;
            out.add(EntryCodec.decode(stream, entries.get(i), count));
        }
        claimCursor = next;
        nextClaimAt = "0-0".equals(next) ? System.nanoTime() + claimIntervalNanos : System.nanoTime();
        return out;
    }

    private CommandArgs<byte[], byte[]> readArgs(int maxCount, long blockMs) {
        CommandArgs<byte[], byte[]> a = RedisStreamClient.args().add("GROUP").add(RedisStreamClient.b(group))
                .add(RedisStreamClient.b(member)).add("COUNT").add(maxCount);
        if (blockMs > 0) {
            a.add("BLOCK").add(blockMs);
        }
        return a.add("STREAMS").addKey(RedisStreamClient.b(key)).add(">");
    }

    private List<StreamEvent> readNew(int maxCount) {
        Object r = client.sync(CommandType.XREADGROUP, readArgs(maxCount, 0), "XREADGROUP " + key + " " + group);
        return EntryCodec.decodeRead(stream, r);
    }

    private List<StreamEvent> block(int maxCount, long nanos) {
        String what = "XREADGROUP BLOCK " + key + " " + group;
        long deadline = System.nanoTime() + nanos;
        StatefulRedisConnection<byte[], byte[]> c = client.pool.acquire(nanos, what);
        if (c == null) {
            return List.of();
        }
        boolean healthy = false;
        blocking = c;
        try {
            if (closed) {
                throw StreamException.closed("the group consumer");
            }
            long ms = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            Object reply = c.async().dispatch(CommandType.XREADGROUP, new RespOutput(), readArgs(maxCount, ms))
                    .toCompletableFuture().get(ms + client.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            healthy = true;
            return EntryCodec.decodeRead(stream, reply);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RedisErrors.map(e, RedisErrors.Op.OTHER, what, isClosed());
        } catch (ExecutionException | TimeoutException e) {
            if (isClosed()) {
                throw StreamException.closed("the group consumer");
            }
            StreamException se = RedisErrors.map(e, RedisErrors.Op.OTHER, what, false);
            healthy = se.kind() == ErrorKind.NOT_FOUND;
            throw se;
        } finally {
            blocking = null;
            client.pool.release(c, healthy && !closed);
        }
    }

    /** NOGROUP: deleted (marker) → NOT_FOUND, vanished → DATA_LOSS. */
    private StreamException refine(StreamException e) {
        if (e.kind() != ErrorKind.NOT_FOUND) {
            return e;
        }
        boolean deleted;
        try {
            deleted = client.deletedMarker(stream, group);
        } catch (StreamException other) {
            return e;
        }
        if (deleted) {
            return new StreamException(ErrorKind.NOT_FOUND, "consumer group '" + group + "' of stream " + key
                    + " was deleted", e);
        }
        return new StreamException(ErrorKind.DATA_LOSS, "consumer group '" + group + "' of stream " + key
                + " vanished without deleteGroup: Redis lost its data (restart without persistence, failover to a "
                + "replica that lagged, FLUSHALL); its pending entries and position are gone. Recreate the group "
                + "and choose where to resume", e);
    }

    @Override
    public AckResult ack(Collection<EventId> ids) {
        checkOpen();
        List<String> redisIds = RedisStreamClient.redisIds(ids);
        if (ids.isEmpty()) {
            return AckResult.NONE;
        }
        long acked = 0;
        if (!redisIds.isEmpty()) {
            CommandArgs<byte[], byte[]> a = RedisStreamClient.args().addKey(RedisStreamClient.b(key))
                    .add(RedisStreamClient.b(group));
            for (String id : redisIds) {
                a.add(id);
            }
            acked = Resp.num(client.sync(CommandType.XACK, a, "XACK " + key + " " + group), "XACK");
        }
        if (acked < ids.size() && !client.groupExists(stream, group)) {
            throw refine(new StreamException(ErrorKind.NOT_FOUND, "XACK " + key + " " + group
                    + ": the stream or consumer group does not exist"));
        }
        return new AckResult((int) acked, ids.size() - (int) acked);
    }

    @Override
    public void nack(Collection<EventId> ids) {
        checkOpen();
        List<String> redisIds = RedisStreamClient.redisIds(ids);
        if (redisIds.isEmpty()) {
            return;
        }
        CommandArgs<byte[], byte[]> a = RedisStreamClient.args().addKey(RedisStreamClient.b(key))
                .add(RedisStreamClient.b(group)).add(RedisStreamClient.b(member)).add(0);
        for (String id : redisIds) {
            a.add(id);
        }
        a.add("IDLE").add(ackTimeoutMs).add("JUSTID");
        try {
            client.sync(CommandType.XCLAIM, a, "XCLAIM " + key + " " + group);
        } catch (StreamException e) {
            throw refine(e);
        }
        claimCursor = "0-0";
        nextClaimAt = System.nanoTime();
    }

    private boolean isClosed() {
        return closed || client.isClosed();
    }

    private void checkOpen() {
        if (isClosed()) {
            throw StreamException.closed("the group consumer");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        StatefulRedisConnection<byte[], byte[]> c = blocking;
        if (c != null && c.isOpen()) {
            c.closeAsync();
        }
        client.unregister(this);
    }

    @Override
    public String toString() {
        return "RedisGroupConsumer[" + key + " " + group + "/" + member + "]";
    }
}
