package dev.tributary.redis.internal;

import io.lettuce.core.RedisException;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.util.ArrayDeque;
import java.util.Collection;

/**
 * Fails, when its connection is lost, the {@code XADD}s and {@code WAIT}s written on it that have no
 * reply yet, so that Lettuce does not send them again on the next connection.
 *
 * <p>Why: Lettuce 7.7 re-queues every command left unanswered by a lost connection and writes it again
 * once it reconnects. Its replay filter ({@link LettuceClients#options}) covers only commands written
 * while disconnected and writes that failed; the commands already on the wire skip it. An {@code XADD}
 * the server ran before the connection broke was then stored a second time under a new id, and the
 * caller was told the second id (kit rule F8 on the Redis Cluster). Lettuce writes a command again only
 * if it is not done, so a command this handler completed stays where it is. It completes the command
 * object that went on the wire — on a Redis Cluster Lettuce's wrapper, whose "done" is its own — with
 * "Connection closed …", which {@link RedisErrors} maps to INDETERMINATE for an append.
 *
 * <p>One per channel, added last to the pipeline of every channel of the client's resources, after
 * Lettuce's command handler: it sees the commands themselves on their way out and the channel's end
 * after the command handler has re-queued them. Commands complete in the order they were written, so
 * the completed ones are dropped from the front as new ones come, and all of them in one scan once the
 * queue holds 1 024 or twice what it held after the last scan (so a scan costs O(1) per write): the
 * queue holds about the commands on the wire, which Lettuce's request queue bounds. Runs on the
 * channel's event loop only.
 */
final class NoReplay extends ChannelDuplexHandler {
    /** The failure of a cut-off command; {@link RedisErrors} maps "Connection closed" to INDETERMINATE for appends. */
    static final String MESSAGE =
            "Connection closed before the reply arrived; not sent again, because the server may have run it";

    private static final int PRUNE_ALL_AT = 1024;

    private final ArrayDeque<RedisCommand<?, ?, ?>> onTheWire = new ArrayDeque<>();

    /** The size at which the queue is scanned for done commands next; at least {@link #PRUNE_ALL_AT}. */
    private int pruneAt = PRUNE_ALL_AT;

    /** How many times the whole queue was scanned; for tests. */
    private int scans;

    /** True for the commands that must not run twice: a plain append, and the WAIT that confirms it on its connection. */
    static boolean unrepeatable(RedisCommand<?, ?, ?> command) {
        return command.getType() == CommandType.XADD || command.getType() == CommandType.WAIT;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        while (!onTheWire.isEmpty() && onTheWire.peekFirst().isDone()) {
            onTheWire.pollFirst();
        }
        if (onTheWire.size() >= pruneAt) { // a command completed out of order (cancelled) may hold the front
            onTheWire.removeIf(RedisCommand::isDone);
            scans++;
            // the next scan waits until the queue doubles: with thousands of appends on the wire (all
            // unanswered, none to drop) a scan per write made pipelined appends quadratic
            pruneAt = Math.max(PRUNE_ALL_AT, 2 * onTheWire.size());
        }
        if (msg instanceof RedisCommand<?, ?, ?> command) {
            track(command);
        } else if (msg instanceof Collection<?> batch) {
            for (Object o : batch) {
                if (o instanceof RedisCommand<?, ?, ?> command) {
                    track(command);
                }
            }
        }
        super.write(ctx, msg, promise);
    }

    private void track(RedisCommand<?, ?, ?> command) {
        if (unrepeatable(command) && !command.isDone()) {
            onTheWire.addLast(command);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        RedisException cutOff = null;
        for (RedisCommand<?, ?, ?> command; (command = onTheWire.pollFirst()) != null; ) {
            if (!command.isDone()) {
                if (cutOff == null) {
                    cutOff = new RedisException(MESSAGE);
                }
                command.completeExceptionally(cutOff);
            }
        }
        super.channelInactive(ctx);
    }

    /** How many unrepeatable commands it holds (done ones not yet dropped included); for tests. */
    int held() {
        return onTheWire.size();
    }

    /** How many times the whole queue was scanned for done commands; for tests. */
    int scans() {
        return scans;
    }
}
