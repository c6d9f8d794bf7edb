package dev.tributary.redis.internal;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The Lettuce clients of each {@link RedisSettings.Mode}: a {@link RedisClient} for a standalone
 * server and for a primary found through sentinels (Lettuce asks the sentinels for the primary's
 * address at every connect and reconnect), a {@link RedisClusterClient} for a Redis Cluster (commands
 * routed by the slot of their first key, MOVED/ASK followed, topology refreshed periodically and on
 * redirects and persistent reconnects). Also the one way to send a command on a connection of either
 * kind ({@link #dispatch}).
 */
final class LettuceClients {
    private LettuceClients() {}

    /** A client of the settings' mode; the shared connection's client times commands out, the blocking one does not. */
    static AbstractRedisClient create(ClientResources resources, RedisSettings s, boolean sharedConnection) {
        ClientOptions options = options(s, sharedConnection);
        if (s.mode == RedisSettings.Mode.CLUSTER) {
            RedisClusterClient c = RedisClusterClient.create(resources, uris(s));
            // A cluster connection connects to a node on its first command for that node; REJECT_COMMANDS
            // would fail that command (Lettuce rejects while the node connection is pending). Commands
            // for a node that is down wait instead, bounded by the request timeout (the append window's
            // deadline for appends, which then end INDETERMINATE).
            ClusterClientOptions.Builder b = ClusterClientOptions.builder(options)
                    .maxRedirects(5)
                    .validateClusterNodeMembership(false)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
                    .topologyRefreshOptions(topologyRefresh(s));
            // ClusterClientOptions.builder(ClientOptions) does not copy the replay filter (Lettuce 7.7):
            // without it a cluster client replayed an XADD cut off by a reset connection and stored the
            // append twice, acknowledging the second copy (kit rule F8 on a Redis Cluster).
            b.replayFilter(options.getReplayFilter());
            c.setOptions(b.build());
            return c;
        }
        RedisClient c = RedisClient.create(resources, uris(s).get(0));
        c.setOptions(options);
        return c;
    }

    /**
     * Periodic refresh every {@code topologyRefreshPeriod}; adaptive refresh on MOVED, ASK, an unknown
     * node and after one failed reconnect, at most once a second, so that a client follows a failover
     * about a second after the cluster made it.
     */
    static ClusterTopologyRefreshOptions topologyRefresh(RedisSettings s) {
        return ClusterTopologyRefreshOptions.builder()
                .enablePeriodicRefresh(s.topologyRefreshPeriod)
                .enableAllAdaptiveRefreshTriggers()
                .adaptiveRefreshTriggersTimeout(Duration.ofSeconds(1))
                .refreshTriggersReconnectAttempts(1)
                .dynamicRefreshSources(true)
                .closeStaleConnections(true)
                .build();
    }

    /** Connects a new connection of {@code client} (a cluster connection for a cluster client). */
    static StatefulConnection<byte[], byte[]> connect(AbstractRedisClient client) {
        if (client instanceof RedisClusterClient cluster) {
            return cluster.connect(ByteArrayCodec.INSTANCE);
        }
        return ((RedisClient) client).connect(ByteArrayCodec.INSTANCE);
    }

    /** Sends one command on {@code c}; on a cluster connection it goes to the node of its first key's slot. */
    static CompletableFuture<Object> dispatch(
            StatefulConnection<byte[], byte[]> c, CommandType type, CommandArgs<byte[], byte[]> args) {
        if (c instanceof StatefulRedisClusterConnection<byte[], byte[]> cluster) {
            return cluster.async().dispatch(type, new RespOutput(), args).toCompletableFuture();
        }
        return ((StatefulRedisConnection<byte[], byte[]>) c)
                .async()
                .dispatch(type, new RespOutput(), args)
                .toCompletableFuture();
    }

    /** The seeds of a cluster, the sentinels (one URI) of a sentinel setup, or the one server. */
    static List<RedisURI> uris(RedisSettings s) {
        List<RedisURI> out = new ArrayList<>();
        if (s.mode == RedisSettings.Mode.SENTINEL) {
            RedisURI.Builder b = RedisURI.Builder.sentinel(
                    s.nodes.get(0).host(), s.nodes.get(0).port(), s.sentinelMaster);
            for (RedisAddress.Node n : s.nodes.subList(1, s.nodes.size())) {
                b.withSentinel(n.host(), n.port());
            }
            out.add(common(b, s));
            return out;
        }
        for (RedisAddress.Node n : s.nodes) {
            out.add(common(RedisURI.Builder.redis(n.host(), n.port()), s));
        }
        return out;
    }

    private static RedisURI common(RedisURI.Builder b, RedisSettings s) {
        b.withDatabase(s.database).withSsl(s.tls).withTimeout(s.requestTimeout);
        if (s.tls) {
            b.withVerifyPeer(
                    switch (s.tlsVerify) {
                        case "none" -> SslVerifyMode.NONE;
                        case "ca" -> SslVerifyMode.CA;
                        default -> SslVerifyMode.FULL;
                    });
        }
        if (s.password != null) {
            if (s.user != null) {
                b.withAuthentication(s.user, s.password);
            } else {
                b.withPassword(s.password);
            }
        }
        if (s.clientName != null) {
            b.withClientName(s.clientName);
        }
        return b.build();
    }

    static ClientOptions options(RedisSettings s, boolean sharedConnection) {
        ClientOptions.Builder b = ClientOptions.builder()
                .protocolVersion(ProtocolVersion.RESP2)
                .requestQueueSize(sharedConnection ? s.requestQueueSize : 64)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .autoReconnect(sharedConnection)
                .suspendReconnectOnProtocolFailure(false)
                // Lettuce re-sends commands left unanswered by a lost connection once it reconnects
                // (at-least-once). An XADD may have been stored before the connection broke: a replay
                // stores it twice under a new id, silently (kit rule F8). Never replay it; it fails
                // instead, which the appender reports INDETERMINATE (the caller decides about retry).
                // Scripted appends carry an idempotency id, so replaying them is harmless. A WAIT
                // replayed on a new connection would wait for nothing that connection wrote. The filter
                // covers commands written while disconnected and failed writes; NoReplay covers the
                // ones already on the wire when the connection broke.
                .replayFilter(c -> c.getType() == CommandType.XADD || c.getType() == CommandType.WAIT)
                .pingBeforeActivateConnection(true)
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(s.connectTimeout)
                        .keepAlive(true)
                        .tcpNoDelay(true)
                        .build())
                .timeoutOptions(
                        sharedConnection
                                ? TimeoutOptions.builder()
                                        .timeoutSource(RedisConnector.timeoutSource(s.requestTimeout))
                                        .build()
                                : TimeoutOptions.builder()
                                        .timeoutCommands(false)
                                        .build());
        if (s.tls) {
            SslOptions.Builder ssl = SslOptions.builder().jdkSslProvider().handshakeTimeout(s.connectTimeout);
            if (s.tlsCaCert != null) {
                ssl.trustManager(s.tlsCaCert.toFile());
            }
            if (s.tlsTrustStore != null) {
                ssl.truststore(s.tlsTrustStore.toFile(), s.tlsTrustStorePassword);
            }
            if (s.tlsCert != null) {
                ssl.keyManager(
                        s.tlsCert.toFile(),
                        s.tlsKey.toFile(),
                        s.tlsKeyPassword == null ? null : s.tlsKeyPassword.toCharArray());
            }
            b.sslOptions(ssl.build());
        }
        return b.build();
    }
}
