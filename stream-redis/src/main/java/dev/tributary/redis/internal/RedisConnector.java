package dev.tributary.redis.internal;

import dev.tributary.ErrorKind;
import dev.tributary.StreamException;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.resolver.DefaultAddressResolverGroup;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lettuce side of one Redis client: the client resources (I/O and computation threads), the
 * client of the shared pipelined connection, the client of the {@link BlockingPool}'s dedicated
 * connections (both of the settings' mode, see {@link LettuceClients}), the shared connection itself
 * and the server version found when connecting.
 * {@link #connect} connects, authenticates (as part of the handshake) and refuses servers older
 * than Redis 7.0; {@link #shutdown} releases everything within a bound.
 */
final class RedisConnector {
    private static final Logger LOG = LoggerFactory.getLogger(RedisConnector.class);

    final RedisSettings settings;
    final ClientResources resources;
    final AbstractRedisClient sharedClient;
    final AbstractRedisClient blockingClient;
    final StatefulConnection<byte[], byte[]> shared;
    final SharedChannel sharedChannel;
    final String serverVersion;

    private RedisConnector(
            RedisSettings settings,
            ClientResources resources,
            AbstractRedisClient sharedClient,
            AbstractRedisClient blockingClient,
            StatefulConnection<byte[], byte[]> shared,
            SharedChannel sharedChannel,
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
     * server too old, a database the server does not have, a server that is not Redis, TLS against a
     * plain-text port: {@link ConnectDiagnosis}), AUTHENTICATION (credentials rejected) or RETRYABLE
     * (unreachable within the connect timeout); releases whatever it started when it fails.
     */
    static RedisConnector connect(RedisSettings s) {
        if (s.tls) {
            StreamException plain = ConnectDiagnosis.notTls(s); // else the handshake hangs until connectTimeout
            if (plain != null) {
                throw plain;
            }
        }
        SharedChannel sharedChannel = new SharedChannel();
        ClientResources resources = DefaultClientResources.builder()
                .ioThreadPoolSize(s.ioThreads)
                // every channel: tracked for the flusher if it is the shared one, and never re-sending
                // an append its lost connection cut off (NoReplay)
                .nettyCustomizer(new NettyCustomizer() {
                    @Override
                    public void afterChannelInitialized(Channel channel) {
                        sharedChannel.afterChannelInitialized(channel);
                        channel.pipeline().addLast(new NoReplay());
                    }
                })
                .computationThreadPoolSize(s.ioThreads)
                // the JDK resolver, not Netty's DNS resolver (Lettuce 7's default, netty-resolver-dns being
                // on its classpath): with that one sockets stayed open after close (38 after 150
                // open/close cycles here, failing the kit's rule L5)
                .addressResolverGroup(DefaultAddressResolverGroup.INSTANCE)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(10), s.reconnectMaxDelay, 2, TimeUnit.MILLISECONDS))
                .commandLatencyRecorder(CommandLatencyRecorder.disabled())
                .build();
        AbstractRedisClient sharedClient = null;
        AbstractRedisClient blockingClient = null;
        StatefulConnection<byte[], byte[]> conn = null;
        try {
            sharedClient = LettuceClients.create(resources, s, true);
            blockingClient = LettuceClients.create(resources, s, false);
            conn = LettuceClients.connect(sharedClient);
            if (conn instanceof StatefulRedisConnection<byte[], byte[]> single) {
                sharedChannel.bind(single); // a cluster connection has a channel per node: flushes use the fallback
            }
            String version = serverVersion(conn, s);
            LOG.debug("connected to {} (Redis {})", s.describe(), version);
            return new RedisConnector(s, resources, sharedClient, blockingClient, conn, sharedChannel, version);
        } catch (RuntimeException e) {
            if (conn != null) {
                var unused = conn.closeAsync();
            }
            AbstractRedisClient client = sharedClient;
            StreamException cause = e instanceof StreamException se
                    ? se
                    : ConnectDiagnosis.explain(e, s, () -> databaseCount(client, s));
            shutdown(sharedClient, blockingClient, resources, s.closeTimeout);
            throw cause != null ? cause : RedisErrors.map(e, RedisErrors.Op.OTHER, "connect to " + s.describe(), false);
        }
    }

    /**
     * The server's number of databases ({@code CONFIG GET databases} on database 0, through a connection
     * of its own), or empty when it does not tell (the command refused or renamed, no answer in time).
     */
    private static OptionalInt databaseCount(AbstractRedisClient client, RedisSettings s) {
        if (!(client instanceof RedisClient single)) {
            return OptionalInt.empty(); // a cluster has database 0 only
        }
        RedisURI uri = LettuceClients.uris(s).get(0);
        uri.setDatabase(0);
        try (StatefulRedisConnection<byte[], byte[]> c = single.connect(ByteArrayCodec.INSTANCE, uri)) {
            Object answer = LettuceClients.dispatch(
                            c,
                            CommandType.CONFIG,
                            CommandChannel.args().add("GET").add("databases"))
                    .get(s.requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
            List<Object> reply = Resp.list(answer, "CONFIG GET");
            return reply.size() == 2 ? OptionalInt.of((int) Resp.num(reply.get(1), "databases")) : OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalInt.empty();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.debug("the database count is unknown: {}", e.toString());
            return OptionalInt.empty();
        }
    }

    /** An executor of the client's computation threads (flushes, the append window's sweeper). */
    EventExecutor executor() {
        return resources.eventExecutorGroup().next();
    }

    /** A new dedicated connection for blocking reads (a cluster connection on a cluster). */
    StatefulConnection<byte[], byte[]> connectBlocking() {
        return LettuceClients.connect(blockingClient);
    }

    /**
     * The connection of the shared connection's writes to {@code key}: itself, or on a cluster its
     * connection to the primary that owns the key's slot in the client's current view. A {@code WAIT}
     * after a write must go on the very connection the write went on.
     */
    StatefulRedisConnection<byte[], byte[]> writeConnectionOf(byte[] key) {
        if (shared instanceof StatefulRedisClusterConnection<byte[], byte[]> cluster) {
            RedisClusterNode primary = cluster.getPartitions().getMasterBySlot(SlotHash.getSlot(key));
            if (primary == null) {
                throw new StreamException(
                        ErrorKind.RETRYABLE,
                        "no Redis Cluster node owns the slot of " + Resp.str(key)
                                + " in the client's view of the cluster (failover under way?)");
            }
            RedisURI uri = primary.getUri();
            return cluster.getConnection(uri.getHost(), uri.getPort());
        }
        return (StatefulRedisConnection<byte[], byte[]>) shared;
    }

    /** Shuts both Lettuce clients and the resources down within {@code timeout}. */
    void shutdown(Duration timeout) {
        shutdown(sharedClient, blockingClient, resources, timeout);
    }

    /**
     * The Lettuce timeout of a command of the shared connection: none for {@code XADD} and the
     * {@code WAIT} after an append, whose bound is the deadline of the
     * {@link dev.tributary.spi.AppendWindow} (one sweeper instead of a timer task created and
     * cancelled per append); the request timeout for every other command.
     */
    static TimeoutOptions.TimeoutSource timeoutSource(Duration timeout) {
        long millis = Math.max(1, timeout.toMillis());
        return new TimeoutOptions.TimeoutSource() {
            @Override
            public long getTimeout(RedisCommand<?, ?, ?> command) {
                return command.getType() == CommandType.XADD || command.getType() == CommandType.WAIT ? 0 : millis;
            }
        };
    }

    /** {@code INFO server}'s redis_version; CONFIGURATION below 7.0. */
    private static String serverVersion(StatefulConnection<byte[], byte[]> conn, RedisSettings s) {
        Object reply;
        try {
            reply = LettuceClients.dispatch(
                            conn, CommandType.INFO, CommandChannel.args().add("server"))
                    .get(s.requestTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw RedisErrors.map(e, RedisErrors.Op.OTHER, "INFO server", false);
        }
        String version = versionOf(Resp.str(reply, "INFO"));
        if (majorOf(version) < 7) {
            throw new StreamException(
                    ErrorKind.CONFIGURATION,
                    "Redis " + version + " at " + s.describe()
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

    private static void shutdown(
            AbstractRedisClient a, AbstractRedisClient b, ClientResources resources, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (AbstractRedisClient c : new AbstractRedisClient[] {a, b}) {
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
            resources
                    .shutdown(0, Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS)
                    .get(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.debug("Lettuce resources shutdown did not complete in time: {}", e.toString());
        }
    }
}
