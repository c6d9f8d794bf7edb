package dev.tributary.redis.internal;

import dev.tributary.StreamException;
import io.lettuce.core.api.StatefulConnection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A bounded pool of dedicated connections for blocking reads ({@code XREAD BLOCK},
 * {@code XREADGROUP BLOCK}), so a blocked read never holds up the shared pipelined connection and
 * no read opens a connection of its own. At most {@code size} connections exist; a caller that finds
 * none free waits up to its own bound. Connections are opened lazily and discarded after any failure
 * or timeout (their state is unknown). On a Redis Cluster each is a cluster connection, so a blocked
 * read waits on the node that owns its stream's slot and follows MOVED after a failover. {@link #closeAll()} closes every connection, which wakes the
 * blocked reads on them.
 */
final class BlockingPool {
    private final RedisConnector connector;
    private final Semaphore permits;
    private final ConcurrentLinkedDeque<StatefulConnection<byte[], byte[]>> idle = new ConcurrentLinkedDeque<>();
    private final Set<StatefulConnection<byte[], byte[]>> all = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    BlockingPool(RedisConnector connector, int size) {
        this.connector = connector;
        this.permits = new Semaphore(size, true);
    }

    /** A connection, or {@code null} when none became free within the wait. */
    StatefulConnection<byte[], byte[]> acquire(long waitNanos, String what) {
        try {
            if (!permits.tryAcquire(Math.max(0, waitNanos), TimeUnit.NANOSECONDS)) {
                return null;
            }
        } catch (InterruptedException e) {
            throw RedisErrors.map(e, RedisErrors.Op.OTHER, what, closed);
        }
        if (closed) {
            permits.release();
            throw StreamException.closed("the Redis client");
        }
        StatefulConnection<byte[], byte[]> c;
        while ((c = idle.pollFirst()) != null) {
            if (c.isOpen()) {
                return c;
            }
            discard(c);
        }
        try {
            c = connector.connectBlocking();
        } catch (RuntimeException e) {
            permits.release();
            throw RedisErrors.map(e, RedisErrors.Op.OTHER, what + " (opening a connection for blocking reads)", closed);
        }
        all.add(c);
        if (closed) {
            discard(c);
            permits.release();
            throw StreamException.closed("the Redis client");
        }
        return c;
    }

    /** Gives a connection back; an unhealthy one (failed, timed out, woken by close) is closed. */
    void release(StatefulConnection<byte[], byte[]> c, boolean healthy) {
        if (healthy && !closed && c.isOpen()) {
            idle.addFirst(c);
        } else {
            discard(c);
        }
        permits.release();
    }

    private void discard(StatefulConnection<byte[], byte[]> c) {
        all.remove(c);
        if (c.isOpen()) {
            var unused = c.closeAsync();
        }
    }

    /**
     * Stops handing out connections. The connections themselves are closed by the shutdown of their
     * Lettuce client, which wakes the blocked reads on them.
     */
    void closeAll() {
        closed = true;
        idle.clear();
    }
}
