package dev.tributary.redis.internal;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The shared, pipelined connection that carries every non-blocking command of a client (appends,
 * non-blocking reads, acks, admin). It runs with Lettuce's auto-flush off: a command is
 * {@linkplain #write written} to the connection's buffer and followed by a {@link Flusher#request()
 * flush request}, so a burst of commands leaves in one socket write while a lone command is still
 * flushed at once. Lettuce reconnects automatically; while it is disconnected commands are rejected
 * at once (RETRYABLE) rather than buffered. Every command but {@code XADD} is bounded by Lettuce's
 * request timeout (see {@link RedisConnector#timeoutSource}). On a Redis Cluster the shared connection
 * is Lettuce's cluster connection: one pipelined connection per node, each command routed by the slot
 * of its first key; a watchdog flushes it every 20 ms while a command is unanswered (see
 * {@link #WATCHDOG_MILLIS}). Thread-safe.
 */
final class CommandChannel {
    private final RedisConnector connector;
    private final StatefulConnection<byte[], byte[]> connection;
    private final Flusher flusher;
    private final Duration requestTimeout;
    /** Counts disconnects of the shared connection; a change means a reply may have been lost or replayed. */
    private final AtomicLong epoch = new AtomicLong();

    /** Redis Cluster only: commands written and not yet answered, which {@link #watchdog} keeps flushed. */
    private final AtomicInteger unanswered = new AtomicInteger();
    /** Redis Cluster only (else null): every {@link #WATCHDOG_MILLIS}, a flush while any command is unanswered. */
    private final ScheduledFuture<?> watchdog;

    private volatile boolean closing;

    /**
     * On a Redis Cluster, a command for a node whose connection is still being made is written to that
     * connection when it is ready (Lettuce's cluster writer waits for it), which can be after the
     * flush the command asked for; with auto-flush off it then waited for the next flush — for a client
     * that sent nothing else, until its request timeout (kit rule L5: a fresh client's first GET got no
     * reply within 5 s, once, in CI). The watchdog bounds that wait to about this long.
     */
    static final long WATCHDOG_MILLIS = 20;

    CommandChannel(RedisConnector connector) {
        this.connector = connector;
        this.connection = connector.shared;
        this.requestTimeout = connector.settings.requestTimeout;
        this.flusher = new Flusher(connector.shared, connector.sharedChannel, connector.executor());
        connector.shared.setAutoFlushCommands(false);
        this.watchdog = connector.shared instanceof StatefulRedisClusterConnection<?, ?>
                ? connector
                        .executor()
                        .scheduleAtFixedRate(
                                () -> {
                                    if (unanswered.get() > 0) {
                                        flusher.request();
                                    }
                                },
                                WATCHDOG_MILLIS,
                                WATCHDOG_MILLIS,
                                TimeUnit.MILLISECONDS)
                : null;
        connector.sharedClient.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                epoch.incrementAndGet();
            }

            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress socketAddress) {
                // a command written just as the connection dropped stays buffered: send it now
                flusher.request();
            }
        });
    }

    static CommandArgs<byte[], byte[]> args() {
        return new CommandArgs<>(ByteArrayCodec.INSTANCE);
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The number of disconnects of the shared connection so far. */
    long epoch() {
        return epoch.get();
    }

    Duration requestTimeout() {
        return requestTimeout;
    }

    /** From now on failures map to CLOSED: the client is shutting the connection down. */
    void closing() {
        closing = true;
        if (watchdog != null) {
            watchdog.cancel(false);
        }
    }

    boolean isClosing() {
        return closing;
    }

    /** Sets what the flusher runs on the event loop just before each flush (see {@link Flusher#beforeFlush}). */
    void beforeFlush(Runnable writer) {
        flusher.beforeFlush(writer);
    }

    /** Where flushes run (the connection's event loop); a task there holds the next flush back. */
    java.util.concurrent.Executor flushExecutor() {
        return flusher.target();
    }

    /** Makes sure a flush runs after every command written before this call. */
    void flush() {
        flusher.request();
    }

    /** Sends a command (written, then flushed promptly). */
    CompletableFuture<Object> call(CommandType type, CommandArgs<byte[], byte[]> args) {
        try {
            return write(type, args);
        } finally {
            flusher.request();
        }
    }

    /**
     * Writes a command to the connection's buffer without requesting a flush; the caller must call
     * {@link #flush()} after its last write (also when a write throws).
     */
    CompletableFuture<Object> write(CommandType type, CommandArgs<byte[], byte[]> args) {
        return watched(LettuceClients.dispatch(connection, type, args));
    }

    /** Counts {@code reply} as unanswered until it completes (on a Redis Cluster; see {@link #WATCHDOG_MILLIS}). */
    private CompletableFuture<Object> watched(CompletableFuture<Object> reply) {
        if (watchdog != null) {
            unanswered.incrementAndGet();
            var unused = reply.whenComplete((r, e) -> unanswered.decrementAndGet());
        }
        return reply;
    }

    /**
     * Writes {@code WAIT replicas timeoutMs} behind the writes to {@code key} written so far, on the
     * connection they went on (no flush). Its reply is the number of replicas that acknowledged every
     * write of that connection up to the WAIT.
     */
    CompletableFuture<Object> writeWait(byte[] key, int replicas, Duration timeout) {
        return watched(connector
                .writeConnectionOf(key)
                .async()
                .dispatch(
                        CommandType.WAIT, new RespOutput(), args().add(replicas).add(Math.max(1, timeout.toMillis())))
                .toCompletableFuture());
    }

    /** Calls a script by SHA, falling back to its body when the server does not know it. */
    CompletableFuture<Object> eval(Script script, List<byte[]> keys, List<byte[]> argv) {
        CompletableFuture<Object> first = call(CommandType.EVALSHA, scriptArgs(script.sha, keys, argv));
        return first.exceptionallyCompose(e -> {
            Throwable t = RedisErrors.unwrap(e);
            if (t instanceof RedisCommandExecutionException
                    && String.valueOf(t.getMessage()).startsWith("NOSCRIPT")) {
                return call(CommandType.EVAL, scriptArgs(script.body, keys, argv));
            }
            return CompletableFuture.<Object>failedFuture(t);
        });
    }

    static CommandArgs<byte[], byte[]> scriptArgs(String shaOrBody, List<byte[]> keys, List<byte[]> argv) {
        CommandArgs<byte[], byte[]> a = args().add(shaOrBody).add(keys.size());
        for (byte[] k : keys) {
            a.addKey(k);
        }
        for (byte[] v : argv) {
            a.add(v);
        }
        return a;
    }

    /** Waits for a reply within the request timeout (plus a margin: Lettuce's own timeout fires first). */
    <T> T await(CompletableFuture<T> f, RedisErrors.Op op, String what) {
        try {
            return f.get(requestTimeout.toMillis() + 2000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RedisErrors.map(e, op, what, closing);
        } catch (ExecutionException | TimeoutException e) {
            throw RedisErrors.map(e, op, what, closing);
        }
    }

    Object sync(CommandType type, CommandArgs<byte[], byte[]> args, String what) {
        return await(call(type, args), RedisErrors.Op.OTHER, what);
    }

    Object syncEval(Script script, List<byte[]> keys, List<byte[]> argv, String what) {
        return await(eval(script, keys, argv), RedisErrors.Op.OTHER, what);
    }
}
