package dev.tributary.redis.internal;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisChannelWriter;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.protocol.CommandExpiryWriter;
import io.lettuce.core.protocol.CommandHandler;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;

/**
 * Tracks the Netty channel of the shared connection across reconnects, so that {@link Flusher} can
 * flush on that channel's event loop. Lettuce calls {@link #afterChannelInitialized} for every channel
 * of the client resources (the shared connection and the blocking pool); a channel is the shared one
 * when its {@link CommandHandler}'s endpoint is the shared connection's endpoint. While the endpoint
 * is not yet known (during the first connect, when no other connection exists yet) the last channel
 * seen is kept as a candidate and checked by {@link #bind}. Knowing the channel is an optimisation
 * only: without it the flusher flushes from another thread, which is correct but slower. Thread-safe.
 */
final class SharedChannel implements NettyCustomizer {
    private volatile Object endpoint;
    private volatile Channel candidate;
    private volatile Channel channel;

    @Override
    public void afterChannelInitialized(Channel ch) {
        Object mine = endpoint;
        if (mine == null) {
            candidate = ch;
        } else if (endpointOf(ch) == mine) {
            channel = ch;
        }
    }

    /** Called once the shared connection exists: from now on its channels are recognised. */
    void bind(StatefulRedisConnection<?, ?> connection) {
        Object mine = endpointOf(connection);
        if (mine == null) {
            return; // an unexpected writer chain: stay unbound and let the flusher use its fallback
        }
        endpoint = mine;
        Channel c = candidate;
        candidate = null;
        if (c != null && channel == null && endpointOf(c) == mine) {
            channel = c;
        }
    }

    /** The shared connection's current channel, or {@code null} when not known. */
    Channel current() {
        return channel;
    }

    private static Object endpointOf(Channel ch) {
        CommandHandler h = ch.pipeline().get(CommandHandler.class);
        return h == null ? null : h.getEndpoint();
    }

    private static Object endpointOf(StatefulRedisConnection<?, ?> connection) {
        if (!(connection instanceof RedisChannelHandler<?, ?> handler)) {
            return null;
        }
        RedisChannelWriter w = handler.getChannelWriter();
        while (w instanceof CommandExpiryWriter expiry) {
            w = expiry.getDelegate();
        }
        return w;
    }
}
