package dev.tributary.redis.internal;

import dev.tributary.ErrorKind;
import dev.tributary.StreamException;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;

/**
 * One blocking read at a time ({@code XREAD BLOCK}, {@code XREADGROUP BLOCK}) on a connection of the
 * {@link BlockingPool}, for one reader, group member or partition wait; {@link #wake()} ends it from
 * another thread by closing that connection, which is how their close interrupts a blocked poll.
 *
 * <p>The connection goes back to the pool after a reply or an error reply (Redis answered, so it is
 * in a known state) and is discarded after a timeout, an I/O failure or a wake.
 */
final class BlockingCall {
    private final BlockingPool pool;
    private final CommandChannel channel;
    private volatile StatefulConnection<byte[], byte[]> current;

    BlockingCall(BlockingPool pool, CommandChannel channel) {
        this.pool = pool;
        this.channel = channel;
    }

    /**
     * Sends {@code args.apply(blockMillis)} as {@code type} and waits for its reply: the block time,
     * what is left of {@code nanos} once a connection is free, plus the request timeout.
     *
     * @return the reply; null also when {@code nanos} passed before a connection was free, or when
     *     {@code closed} turned true first (the caller reads both as "nothing arrived")
     */
    Object call(
            CommandType type,
            String what,
            long nanos,
            LongFunction<CommandArgs<byte[], byte[]>> args,
            BooleanSupplier closed) {
        if (nanos <= 0) {
            return null;
        }
        long deadline = System.nanoTime() + nanos;
        StatefulConnection<byte[], byte[]> c = pool.acquire(nanos, what);
        if (c == null) {
            return null;
        }
        boolean healthy = false;
        current = c;
        try {
            if (closed.getAsBoolean()) { // the close ran before it could see this connection
                return null;
            }
            long ms = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            Object reply = LettuceClients.dispatch(c, type, args.apply(ms))
                    .get(ms + channel.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            healthy = true;
            return reply;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RedisErrors.map(e, RedisErrors.Op.OTHER, what, closed.getAsBoolean());
        } catch (ExecutionException | TimeoutException e) {
            StreamException se = RedisErrors.map(e, RedisErrors.Op.OTHER, what, closed.getAsBoolean());
            healthy = se.kind() == ErrorKind.NOT_FOUND; // an error reply (NOGROUP): the connection is fine
            throw se;
        } finally {
            current = null;
            pool.release(c, healthy && !closed.getAsBoolean());
        }
    }

    /** Closes the connection of a blocked call, which ends it; nothing when none is blocked. */
    void wake() {
        StatefulConnection<byte[], byte[]> c = current;
        if (c != null && c.isOpen()) {
            var unused = c.closeAsync();
        }
    }
}
