package dev.tributary.redis.internal;

import dev.tributary.ErrorKind;
import dev.tributary.StreamException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.netty.resolver.DefaultAddressResolverGroup;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lettuce side of one Redis client: the client resources (I/O and computation threads), the
 * client of the shared pipelined connection, the client of the {@link BlockingPool}'s dedicated
 * connections, the shared connection itself and the server version found when connecting.
 * {@link #connect} connects, authenticates (as part of the handshake) and refuses servers older
 * than Redis 7.0; {@link #shutdown} releases everything within a bound.
 */
final class RedisConnector {
    private static final Logger LOG = LoggerFactory.getLogger(RedisConnector.class);

    final RedisSettings settings;
    final ClientResources resources;
    final RedisClient sharedClient;
    final RedisClient blockingClient;
    final StatefulRedisConnection<byte[], byte[]> shared;
    final SharedChannel sharedChannel;
    final String serverVersion;

    private RedisConnector(RedisSettings settings, ClientResources resources, RedisClient sharedClient,
            RedisClient blockingClient, StatefulRedisConnection<byte[], byte[]> shared, SharedChannel sharedChannel,
            String serverVersion) {
        this.settings = settings;
        this.resources = resources;
        this.sharedClient = sharedClient;
        this.blockingClient = blockingClient;
        this.shared = shared;
        this.sharedChannel = sharedChannel;
        this.serverVersion = serverVersion;
    }

    /**
     * Connects the shared connection and checks the server. Fails CONFIGURATION (bad TLS material,
     * server too old), AUTHENTICATION (credentials rejected) or RETRYABLE (unreachable within the
     * connect timeout); releases whatever it started when it fails.
     */
    static RedisConnector connect(RedisSettings s) {
        SharedChannel sharedChannel = new SharedChannel();
        ClientResources resources = DefaultClientResources.builder().ioThreadPoolSize(s.ioThreads)
                .nettyCustomizer(sharedChannel)
                .computationThreadPoolSize(s.ioThreads)
                // the JDK resolver, not Netty's DNS resolver (Lettuce 7's default, netty-resolver-dns being
                // on its classpath): with that one sockets stayed open after close (38 after 150
                // open/close cycles here, failing the kit's rule L5)
                .addressResolverGroup(DefaultAddressResolverGroup.INSTANCE)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(10), s.reconnectMaxDelay, 2, TimeUnit.MILLISECONDS))
                .commandLatencyRecorder(CommandLatencyRecorder.disabled()).build();
        RedisClient sharedClient = null;
        RedisClient blockingClient = null;
        StatefulRedisConnection<byte[], byte[]> conn = null;
        try {
            RedisURI uri = redisUri(s);
            sharedClient = RedisClient.create(resources, uri);
            sharedClient.setOptions(options(s, true));
            blockingClient = RedisClient.create(resources, uri);
            blockingClient.setOptions(options(s, false));
            conn = sharedClient.connect(ByteArrayCodec.INSTANCE);
            sharedChannel.bind(conn);
            String version = serverVersion(conn, s);
            LOG.debug("connected to {} (Redis {})", s.describe(), version);
            return new RedisConnector(s, resources, sharedClient, blockingClient, conn, sharedChannel, version);
        } catch (RuntimeException e) {
            if (conn != null) {
                conn.closeAsync();
            }
            shutdown(sharedClient, blockingClient, resources, s.closeTimeout);
            if (e instanceof StreamException se) {
                throw se;
            }
            throw RedisErrors.map(e, RedisErrors.Op.OTHER, "connect to " + s.describe(), false);
        }
    }

    /** An executor of the client's computation threads (flushes, the append window's sweeper). */
    EventExecutor executor() {
        return resources.eventExecutorGroup().next();
    }

    /** Shuts both Lettuce clients and the resources down within {@code timeout}. */
    void shutdown(Duration timeout) {
        shutdown(sharedClient, blockingClient, resources, timeout);
    }

    /**
     * The Lettuce timeout of a command of the shared connection: none for {@code XADD}, whose bound
     * is the deadline of the {@link dev.tributary.spi.AppendWindow} (one sweeper instead of a timer
     * task created and cancelled per append); the request timeout for every other command.
     */
    static TimeoutOptions.TimeoutSource timeoutSource(Duration timeout) {
        long millis = Math.max(1, timeout.toMillis());
        return new TimeoutOptions.TimeoutSource() {
            @Override
            public long getTimeout(RedisCommand<?, ?, ?> command) {
                return command.getType() == CommandType.XADD ? 0 : millis;
            }
        };
    }

    private static RedisURI redisUri(RedisSettings s) {
        RedisURI.Builder b = RedisURI.Builder.redis(s.host, s.port).withDatabase(s.database).withSsl(s.tls)
                .withTimeout(s.requestTimeout);
        if (s.tls) {
            b.withVerifyPeer(switch (s.tlsVerify) {
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

    private static ClientOptions options(RedisSettings s, boolean sharedConnection) {
        ClientOptions.Builder b = ClientOptions.builder().protocolVersion(ProtocolVersion.RESP2)
                .requestQueueSize(sharedConnection ? s.requestQueueSize : 64)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .autoReconnect(sharedConnection).suspendReconnectOnProtocolFailure(false)
                // Lettuce re-sends commands left unanswered by a lost connection once it reconnects
                // (at-least-once). An XADD may have been stored before the connection broke: a replay
                // stores it twice under a new id, silently (kit rule F8). Never replay it; it fails
                // instead, which the appender reports INDETERMINATE (the caller decides about retry).
                // Scripted appends carry an idempotency id, so replaying them is harmless.
                .replayFilter(c -> c.getType() == CommandType.XADD)
                .pingBeforeActivateConnection(true)
                .socketOptions(SocketOptions.builder().connectTimeout(s.connectTimeout).keepAlive(true).tcpNoDelay(true)
                        .build())
                .timeoutOptions(sharedConnection
                        ? TimeoutOptions.builder().timeoutSource(timeoutSource(s.requestTimeout)).build()
                        : TimeoutOptions.builder().timeoutCommands(false).build());
        if (s.tls) {
            SslOptions.Builder ssl = SslOptions.builder().jdkSslProvider().handshakeTimeout(s.connectTimeout);
            if (s.tlsCaCert != null) {
                ssl.trustManager(s.tlsCaCert.toFile());
            }
            if (s.tlsTrustStore != null) {
                ssl.truststore(s.tlsTrustStore.toFile(), s.tlsTrustStorePassword);
            }
            if (s.tlsCert != null) {
                ssl.keyManager(s.tlsCert.toFile(), s.tlsKey.toFile(),
                        s.tlsKeyPassword == null ? null : s.tlsKeyPassword.toCharArray());
            }
            b.sslOptions(ssl.build());
        }
        return b.build();
    }

    /** {@code INFO server}'s redis_version; CONFIGURATION below 7.0. */
    private static String serverVersion(StatefulRedisConnection<byte[], byte[]> conn, RedisSettings s) {
        Object reply;
        try {
            reply = conn.async().dispatch(CommandType.INFO, new RespOutput(),
                    new CommandArgs<>(ByteArrayCodec.INSTANCE).add("server")).get(
                            s.requestTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw RedisErrors.map(e, RedisErrors.Op.OTHER, "INFO server", false);
        }
        String version = versionOf(Resp.str(reply, "INFO"));
        if (majorOf(version) < 7) {
            throw new StreamException(ErrorKind.CONFIGURATION, "Redis " + version + " at " + s.describe()
                    + " is too old; the redis backend needs Redis 7.0 or newer (XAUTOCLAIM, XINFO entries-added)");
        }
        return version;
    }

    /** The {@code redis_version} line of an {@code INFO server} reply, or "unknown". */
    static String versionOf(String info) {
        String version = "unknown";
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("redis_version:")) {
                version = line.substring("redis_version:".length()).trim();
            }
        }
        return version;
    }

    /** The major version; 7 for a compatible server that reports its version differently (commands will tell). */
    static int majorOf(String version) {
        try {
            return Integer.parseInt(version.split("\\.")[0]);
        } catch (NumberFormatException e) {
            return 7;
        }
    }

    private static void shutdown(RedisClient a, RedisClient b, ClientResources resources, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (RedisClient c : new RedisClient[] {a, b}) {
            if (c != null) {
                try {
                    c.shutdownAsync(0, timeout.toMillis(), TimeUnit.MILLISECONDS)
                            .get(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException | TimeoutException | RuntimeException e) {
                    LOG.debug("Lettuce client shutdown did not complete cleanly: {}", e.toString());
                }
            }
        }
        try {
            resources.shutdown(0, Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS)
                    .get(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.debug("Lettuce resources shutdown did not complete in time: {}", e.toString());
        }
    }
}
