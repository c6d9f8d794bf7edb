package dev.tributary.redis.internal;

import dev.tributary.Capability;
import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.GroupConsumer;
import dev.tributary.GroupInfo;
import dev.tributary.GroupOptions;
import dev.tributary.Health;
import dev.tributary.Limits;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamInfo;
import dev.tributary.StreamName;
import dev.tributary.StreamReader;
import dev.tributary.StreamRecord;
import dev.tributary.Trim;
import dev.tributary.spi.Checks;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis {@link StreamClient}. One shared, pipelined Lettuce connection carries every
 * non-blocking command (appends, non-blocking reads, acks, admin); blocking reads run on a bounded
 * {@link BlockingPool} of dedicated connections. The shared connection runs with Lettuce's auto-flush
 * off: every command is written to its buffer and followed by a {@link Flusher#request() flush
 * request}, so a burst of appends leaves in one socket write while a lone command is still flushed
 * at once. Lettuce reconnects automatically; while it is disconnected commands are rejected at once
 * (RETRYABLE) rather than buffered. Every command is bounded by the request timeout. Thread-safe.
 */
public final class RedisStreamClient implements StreamClient {
    private static final Logger LOG = LoggerFactory.getLogger(RedisStreamClient.class);
    static final int MAX_BATCH = 1000;
    static final int MAX_READ = 10_000;

    final RedisSettings settings;
    private final Set<Capability> capabilities;
    private final Limits limits;
    private final ClientResources resources;
    private final RedisClient sharedClient;
    private final RedisClient blockingClient;
    private final StatefulRedisConnection<byte[], byte[]> shared;
    private final RedisAsyncCommands<byte[], byte[]> async;
    private final Flusher flusher;
    private final AppendDeadlines deadlines;
    final BlockingPool pool;
    private final Semaphore inFlight;
    private final String serverVersion;
    private final Set<AutoCloseable> open = ConcurrentHashMap.newKeySet();
    /** Counts disconnects of the shared connection; a change means a reply may have been lost or replayed. */
    private final java.util.concurrent.atomic.AtomicLong epoch = new java.util.concurrent.atomic.AtomicLong();
    private final Object closeLock = new Object();
    private volatile boolean closed;

    private RedisStreamClient(RedisSettings s, Set<Capability> caps, ClientResources resources,
            RedisClient sharedClient, RedisClient blockingClient, StatefulRedisConnection<byte[], byte[]> shared,
            SharedChannel sharedChannel, String serverVersion) {
        this.settings = s;
        this.capabilities = caps;
        this.limits = new Limits(s.maxPayloadBytes, s.maxHeaderBytes, MAX_BATCH, MAX_READ);
        this.resources = resources;
        this.sharedClient = sharedClient;
        this.blockingClient = blockingClient;
        this.shared = shared;
        this.async = shared.async();
        this.flusher = new Flusher(shared, sharedChannel, resources.eventExecutorGroup().next());
        shared.setAutoFlushCommands(false);
        this.deadlines = new AppendDeadlines(s.requestTimeout, resources.eventExecutorGroup().next());
        this.pool = new BlockingPool(blockingClient, s.blockingPoolSize);
        this.inFlight = new Semaphore(s.maxInFlightAppends);
        this.serverVersion = serverVersion;
        sharedClient.addListener(new io.lettuce.core.RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(io.lettuce.core.RedisChannelHandler<?, ?> connection) {
                epoch.incrementAndGet();
            }

            @Override
            public void onRedisConnected(io.lettuce.core.RedisChannelHandler<?, ?> connection,
                    java.net.SocketAddress socketAddress) {
                // a command written just as the connection dropped stays buffered: send it now
                flusher.request();
            }
        });
    }

    /** The number of disconnects of the shared connection so far. */
    long epoch() {
        return epoch.get();
    }

    /** Connects, authenticates and checks the server version. */
    public static RedisStreamClient connect(RedisSettings s, Set<Capability> caps) {
        SharedChannel sharedChannel = new SharedChannel();
        ClientResources resources = DefaultClientResources.builder().ioThreadPoolSize(s.ioThreads)
                .nettyCustomizer(sharedChannel)
                .computationThreadPoolSize(s.ioThreads)
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
            return new RedisStreamClient(s, caps, resources, sharedClient, blockingClient, conn, sharedChannel,
                    version);
        } catch (RuntimeException e) {
            if (conn != null) {
                conn.closeAsync();
            }
            shutdown(sharedClient, blockingClient, resources, s.closeTimeout);
            if (e instanceof StreamException se) {
                throw se;
            }
            StreamException mapped = RedisErrors.map(e, RedisErrors.Op.OTHER, "connect to " + s.describe(), false);
            throw mapped;
        }
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
                .pingBeforeActivateConnection(true)
                .socketOptions(SocketOptions.builder().connectTimeout(s.connectTimeout).keepAlive(true).tcpNoDelay(true)
                        .build())
                .timeoutOptions(sharedConnection
                        ? TimeoutOptions.builder().timeoutSource(AppendDeadlines.timeoutSource(s.requestTimeout)).build()
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

    private static String serverVersion(StatefulRedisConnection<byte[], byte[]> conn, RedisSettings s) {
        Object reply;
        try {
            reply = conn.async().dispatch(CommandType.INFO, new RespOutput(),
                    new CommandArgs<>(ByteArrayCodec.INSTANCE).add("server")).get(
                            s.requestTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw RedisErrors.map(e, RedisErrors.Op.OTHER, "INFO server", false);
        }
        String info = Resp.str(reply, "INFO");
        String version = "unknown";
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("redis_version:")) {
                version = line.substring("redis_version:".length()).trim();
            }
        }
        int major;
        try {
            major = Integer.parseInt(version.split("\\.")[0]);
        } catch (NumberFormatException e) {
            major = 7; // a compatible server that reports its version differently; commands will tell
        }
        if (major < 7) {
            throw new StreamException(ErrorKind.CONFIGURATION, "Redis " + version + " at " + s.describe()
                    + " is too old; the redis backend needs Redis 7.0 or newer (XAUTOCLAIM, XINFO entries-added)");
        }
        return version;
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

    // ------------------------------------------------------------------ plumbing

    boolean isClosed() {
        return closed;
    }

    void checkOpen() {
        if (closed) {
            throw StreamException.closed("the Redis client");
        }
    }

    void register(AutoCloseable c) {
        open.add(c);
        if (closed) {
            open.remove(c);
            throw StreamException.closed("the Redis client");
        }
    }

    void unregister(AutoCloseable c) {
        open.remove(c);
    }

    static CommandArgs<byte[], byte[]> args() {
        return new CommandArgs<>(ByteArrayCodec.INSTANCE);
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Sends a command on the shared connection (written, then flushed promptly). */
    CompletableFuture<Object> call(CommandType type, CommandArgs<byte[], byte[]> args) {
        try {
            return write(type, args);
        } finally {
            flusher.request();
        }
    }

    /**
     * Writes a command to the shared connection's buffer without requesting a flush; the caller must
     * call {@link Flusher#request()} after its last write (also when a write throws).
     */
    private CompletableFuture<Object> write(CommandType type, CommandArgs<byte[], byte[]> args) {
        checkOpen();
        return async.dispatch(type, new RespOutput(), args).toCompletableFuture();
    }

    /** Calls a script by SHA, falling back to its body when the server does not know it. */
    CompletableFuture<Object> eval(Script script, List<byte[]> keys, List<byte[]> argv) {
        CompletableFuture<Object> first = call(CommandType.EVALSHA, scriptArgs(script.sha, keys, argv));
        return first.handle((r, e) -> {
            if (e == null) {
                return CompletableFuture.completedFuture(r);
            }
            Throwable t = RedisErrors.unwrap(e);
            if (t instanceof RedisCommandExecutionException && String.valueOf(t.getMessage()).startsWith("NOSCRIPT")) {
                return call(CommandType.EVAL, scriptArgs(script.body, keys, argv));
            }
            return CompletableFuture.<Object>failedFuture(t);
        }).thenCompose(f -> f);
    }

    private static CommandArgs<byte[], byte[]> scriptArgs(String shaOrBody, List<byte[]> keys, List<byte[]> argv) {
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
            return f.get(settings.requestTimeout.toMillis() + 2000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RedisErrors.map(e, op, what, closed);
        } catch (ExecutionException | TimeoutException e) {
            throw RedisErrors.map(e, op, what, closed);
        }
    }

    Object sync(CommandType type, CommandArgs<byte[], byte[]> args, String what) {
        return await(call(type, args), RedisErrors.Op.OTHER, what);
    }

    Object syncEval(Script script, List<byte[]> keys, List<byte[]> argv, String what) {
        return await(eval(script, keys, argv), RedisErrors.Op.OTHER, what);
    }

    String key(StreamName stream) {
        return settings.streamKey(stream.value());
    }

    /** The key of the stream appended to last, also as bytes (appends usually go to one stream in a row). */
    private record StreamKey(StreamName stream, String key, byte[] bytes) {
    }

    private volatile StreamKey lastKey;

    private StreamKey streamKey(StreamName stream) {
        StreamKey k = lastKey;
        if (k == null || !k.stream().equals(stream)) {
            String key = key(stream);
            k = new StreamKey(stream, key, b(key));
            lastKey = k;
        }
        return k;
    }

    Duration requestTimeout() {
        return settings.requestTimeout;
    }

    /** XINFO STREAM, or empty for a missing key. */
    Optional<StreamMeta> meta(StreamName stream) {
        String key = key(stream);
        try {
            return Optional.of(StreamMeta.parse(sync(CommandType.XINFO, args().add("STREAM").addKey(b(key)),
                    "XINFO STREAM " + key)));
        } catch (StreamException e) {
            if (e.getCause() instanceof RedisCommandExecutionException c
                    && String.valueOf(c.getMessage()).startsWith("ERR no such key")) {
                return Optional.empty();
            }
            throw e;
        }
    }

    // ------------------------------------------------------------------ StreamClient

    @Override
    public String backend() {
        return "redis";
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities;
    }

    @Override
    public Limits limits() {
        return limits;
    }

    @Override
    public EventId parseId(String text) {
        return Ids.parse(text);
    }

    @Override
    public Health health() {
        checkOpen();
        long t0 = System.nanoTime();
        try {
            Object r = call(CommandType.PING, args()).get(settings.requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
            Duration latency = Duration.ofNanos(System.nanoTime() - t0);
            return new Health("PONG".equals(Resp.str(r, "PING")), latency, "redis " + serverVersion + " at "
                    + settings.describe());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Health(false, Duration.ofNanos(System.nanoTime() - t0), "interrupted");
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            checkOpen();
            StreamException se = RedisErrors.map(e, RedisErrors.Op.OTHER, "PING " + settings.describe(), closed);
            return new Health(false, Duration.ofNanos(System.nanoTime() - t0), se.getMessage());
        }
    }

    @Override
    public void createStream(StreamName stream) {
        checkOpen();
        Checks.stream(stream);
        String key = key(stream);
        syncEval(Script.CREATE_STREAM, List.of(b(key)), List.of(), "create stream " + key);
    }

    @Override
    public boolean deleteStream(StreamName stream) {
        checkOpen();
        Checks.stream(stream);
        String key = key(stream);
        Object r = syncEval(Script.DELETE_STREAM, List.of(b(key), b(settings.groupsKey(stream.value()))), List.of(),
                "delete stream " + key);
        return Resp.num(r, "delete stream") > 0;
    }

    @Override
    public CompletableFuture<EventId> appendAsync(StreamName stream, StreamRecord record) {
        checkOpen();
        Checks.stream(stream);
        checkRecord(record);
        acquire(1, stream);
        try {
            return send(stream, record);
        } finally {
            flusher.request();
        }
    }

    /** Most headers of an idempotent record: the script passes every field as an argument to unpack(). */
    static final int MAX_IDEMPOTENT_HEADERS = 3900;

    private void checkRecord(StreamRecord record) {
        Checks.record(record, limits);
        if (record.idempotencyId() != null && record.headers().size() > MAX_IDEMPOTENT_HEADERS) {
            throw StreamException.invalid("an idempotent append carries at most " + MAX_IDEMPOTENT_HEADERS
                    + " headers on Redis; this record has " + record.headers().size());
        }
    }

    private void acquire(int n, StreamName stream) {
        if (inFlight.tryAcquire(n)) {
            return;
        }
        // the window is full: appends this thread wrote but has not flushed yet must leave before it waits
        flusher.request();
        try {
            if (!inFlight.tryAcquire(n, settings.requestTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new StreamException(ErrorKind.BACKPRESSURE, "append to " + key(stream) + ": "
                        + settings.maxInFlightAppends + " appends are in flight (maxInFlightAppends) and none completed "
                        + "within the request timeout " + settings.requestTimeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StreamException(ErrorKind.RETRYABLE, "interrupted while waiting for the append window", e);
        }
    }

    /**
     * The future of one append; it also holds the append's window permit, which goes back exactly once:
     * when the reply comes, or when {@link AppendDeadlines} expires the append, whichever is first.
     */
    private final class PendingAppend extends CompletableFuture<EventId> implements AppendDeadlines.Pending {
        private static final java.util.concurrent.atomic.AtomicIntegerFieldUpdater<PendingAppend> CLAIMED =
                java.util.concurrent.atomic.AtomicIntegerFieldUpdater.newUpdater(PendingAppend.class, "claimed");
        private final String key;
        private final long deadline;
        @SuppressWarnings("unused") // through CLAIMED
        private volatile int claimed;

        PendingAppend(String key, long deadline) {
            this.key = key;
            this.deadline = deadline;
        }

        /** True for the first caller only; that caller releases the permit and completes the future. */
        boolean claim() {
            if (CLAIMED.compareAndSet(this, 0, 1)) {
                inFlight.release();
                return true;
            }
            return false;
        }

        @Override
        public long deadline() {
            return deadline;
        }

        @Override
        public void expire() {
            if (claim()) {
                completeExceptionally(RedisErrors.map(new RedisCommandTimeoutException("Command timed out after "
                        + settings.requestTimeout), RedisErrors.Op.APPEND, "XADD " + key, closed));
            }
        }
    }

    /** Writes one append whose window permit is already held; the caller requests the flush. */
    private CompletableFuture<EventId> send(StreamName stream, StreamRecord record) {
        StreamKey streamKey = streamKey(stream);
        String key = streamKey.key();
        CompletableFuture<Object> reply;
        boolean idempotent = record.idempotencyId() != null;
        PendingAppend result;
        try {
            if (idempotent) {
                List<byte[]> argv = new ArrayList<>();
                argv.add(b(Long.toString(settings.dedupWindow.toMillis())));
                argv.add(b(settings.appendMaxLen > 0 ? Long.toString(settings.appendMaxLen) : ""));
                argv.addAll(EntryCodec.fields(record));
                // EVAL, not EVALSHA: a NOSCRIPT fallback would re-send this append after later ones
                // and break per-thread order; Redis caches the compiled script by its SHA anyway.
                // Bounded by Lettuce's own timeout (only XADD is tracked by AppendDeadlines).
                result = new PendingAppend(key, 0);
                reply = write(CommandType.EVAL, scriptArgs(Script.IDEMPOTENT_APPEND.body,
                        List.of(b(key), b(settings.dedupKey(stream.value(), record.idempotencyId()))), argv));
            } else {
                CommandArgs<byte[], byte[]> a = args().addKey(streamKey.bytes());
                if (settings.appendMaxLen > 0) {
                    a.add("MAXLEN").add("~").add(settings.appendMaxLen);
                }
                a.add("*");
                EntryCodec.addFields(a, record);
                result = new PendingAppend(key, deadlines.deadlineFromNow());
                reply = write(CommandType.XADD, a);
                deadlines.track(result);
            }
        } catch (RuntimeException e) {
            inFlight.release();
            throw RedisErrors.map(e, RedisErrors.Op.APPEND, "XADD " + key, closed);
        }
        PendingAppend pending = result;
        reply.whenComplete((r, e) -> {
            if (!pending.claim()) {
                return; // expired before the reply came
            }
            if (e != null) {
                pending.completeExceptionally(RedisErrors.map(e, RedisErrors.Op.APPEND, "XADD " + key, closed));
            } else {
                try {
                    Object idReply = idempotent ? Resp.list(r, "idempotent append").get(1) : r;
                    pending.complete(Ids.fromServer(Resp.bytes(idReply, "XADD")));
                } catch (RuntimeException bad) {
                    pending.completeExceptionally(bad instanceof StreamException ? bad
                            : new StreamException(ErrorKind.INTERNAL, "XADD " + key + ": bad reply", bad));
                }
            }
            if (!idempotent) {
                deadlines.dropDone();
            }
        });
        return pending;
    }

    @Override
    public CompletableFuture<List<EventId>> appendBatchAsync(StreamName stream, List<StreamRecord> records) {
        checkOpen();
        Checks.stream(stream);
        Checks.batch(records, limits);
        records.forEach(this::checkRecord);
        List<CompletableFuture<EventId>> futures = new ArrayList<>(records.size());
        try {
            for (StreamRecord r : records) {
                try {
                    acquire(1, stream);
                    futures.add(send(stream, r));
                } catch (StreamException e) {
                    futures.add(CompletableFuture.failedFuture(e));
                    break;
                }
            }
        } finally {
            flusher.request(); // one flush for the whole batch
        }
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).handle((v, e) -> {
            List<EventId> ids = new ArrayList<>(futures.size());
            for (CompletableFuture<EventId> f : futures) {
                try {
                    ids.add(f.join());
                } catch (RuntimeException failed) {
                    throw StreamException.unwrap(failed);
                }
            }
            return ids;
        });
    }

    @Override
    public StreamReader openReader(StreamName stream, Position from) {
        checkOpen();
        Checks.stream(stream);
        Checks.position(from, capabilities, backend());
        RedisReader reader = RedisReader.open(this, stream, from);
        register(reader);
        return reader;
    }

    @Override
    public List<StreamEvent> range(StreamName stream, Position from, EventId toInclusive, int maxCount) {
        checkOpen();
        Checks.stream(stream);
        Checks.position(from, capabilities, backend());
        Checks.count(maxCount, limits);
        if (toInclusive != null && !toInclusive.isPair()) {
            throw StreamException.invalid("'" + toInclusive + "' is not a Redis id (<ms>-<seq>)");
        }
        if (from instanceof Position.Latest) {
            return List.of();
        }
        EventId cursor = RedisReader.cursorOf(from);
        String end = toInclusive == null ? "+" : Ids.wire(toInclusive);
        return RedisReader.readFrom(this, stream, cursor, end, maxCount, null);
    }

    @Override
    public StreamInfo info(StreamName stream) {
        checkOpen();
        Checks.stream(stream);
        Optional<StreamMeta> m = meta(stream);
        if (m.isEmpty()) {
            return StreamInfo.missing(stream);
        }
        StreamMeta meta = m.get();
        if (meta.length() == 0 || meta.firstId() == null || meta.lastId() == null) {
            return StreamInfo.empty(stream);
        }
        return StreamInfo.of(stream, meta.length(), meta.firstId(), java.time.Instant.ofEpochMilli(meta.firstId().major()),
                meta.lastId(), java.time.Instant.ofEpochMilli(meta.lastId().major()));
    }

    @Override
    public long trim(StreamName stream, Trim trim) {
        checkOpen();
        Checks.stream(stream);
        Checks.trim(trim, capabilities, backend());
        String key = key(stream);
        Object r;
        if (trim instanceof Trim.ToLength t) {
            r = sync(CommandType.XTRIM, args().addKey(b(key)).add("MAXLEN").add(t.maxLength()), "XTRIM MAXLEN " + key);
        } else if (trim instanceof Trim.Below t) {
            if (!t.id().isPair()) {
                throw StreamException.invalid("'" + t.id() + "' is not a Redis id (<ms>-<seq>)");
            }
            r = sync(CommandType.XTRIM, args().addKey(b(key)).add("MINID").add(Ids.wire(t.id())), "XTRIM MINID " + key);
        } else {
            Trim.OlderThan t = (Trim.OlderThan) trim;
            r = syncEval(Script.TRIM_AGE, List.of(b(key)), List.of(b(Long.toString(t.age().toMillis()))),
                    "trim by age " + key);
        }
        return Resp.num(r, "XTRIM");
    }

    @Override
    public void createGroup(StreamName stream, String group, GroupOptions options) {
        checkOpen();
        Checks.stream(stream);
        Checks.group(group);
        if (options == null) {
            throw StreamException.invalid("group options must not be null (use GroupOptions.defaults())");
        }
        String start;
        if (options.start() instanceof Position.Earliest) {
            start = "0";
        } else if (options.start() instanceof Position.Latest) {
            start = "$";
        } else {
            EventId id = ((Position.After) options.start()).id();
            if (!id.isPair()) {
                throw StreamException.invalid("'" + id + "' is not a Redis id (<ms>-<seq>)");
            }
            start = Ids.wire(id);
        }
        String key = key(stream);
        syncEval(Script.CREATE_GROUP, List.of(b(key), b(settings.groupsKey(stream.value()))),
                List.of(b(group), b(start), b(Long.toString(options.ackTimeout().toMillis()))),
                "XGROUP CREATE " + key + " " + group);
    }

    @Override
    public GroupConsumer openGroupConsumer(StreamName stream, String group, String member) {
        checkOpen();
        Checks.stream(stream);
        Checks.group(group);
        Checks.member(member);
        RedisGroupConsumer c = RedisGroupConsumer.open(this, stream, group, member);
        register(c);
        return c;
    }

    /** The raw XINFO GROUPS entries of a stream; empty for a missing stream. */
    List<List<Object>> groupEntries(StreamName stream) {
        String key = key(stream);
        Object r;
        try {
            r = sync(CommandType.XINFO, args().add("GROUPS").addKey(b(key)), "XINFO GROUPS " + key);
        } catch (StreamException e) {
            if (e.getCause() instanceof RedisCommandExecutionException c
                    && String.valueOf(c.getMessage()).startsWith("ERR no such key")) {
                return List.of();
            }
            throw e;
        }
        List<List<Object>> out = new ArrayList<>();
        for (Object g : Resp.list(r, "XINFO GROUPS")) {
            out.add(Resp.list(g, "XINFO GROUPS entry"));
        }
        return out;
    }

    static Object field(List<Object> kv, String name) {
        for (int i = 0; i + 1 < kv.size(); i += 2) {
            if (name.equals(Resp.str(kv.get(i), "field"))) {
                return kv.get(i + 1);
            }
        }
        return null;
    }

    boolean groupExists(StreamName stream, String group) {
        for (List<Object> g : groupEntries(stream)) {
            if (group.equals(Resp.str(field(g, "name"), "group name"))) {
                return true;
            }
        }
        return false;
    }

    private GroupInfo toGroupInfo(StreamName stream, List<Object> g) {
        String key = key(stream);
        String name = Resp.str(field(g, "name"), "group name");
        long pending = Resp.num(field(g, "pending"), "pending");
        String lastDelivered = Resp.str(field(g, "last-delivered-id"), "last-delivered-id");
        Object lagRaw = field(g, "lag");
        long lag;
        if (lagRaw != null) {
            lag = Resp.num(lagRaw, "lag");
        } else {
            long cap = 10_000;
            long n = Resp.num(syncEval(Script.COUNT_AFTER, List.of(b(key)),
                    List.of(b(lastDelivered == null ? "0-0" : lastDelivered), b(Long.toString(cap))),
                    "count lag " + key), "lag");
            lag = n >= cap ? -1 : n;
        }
        List<String> members = new ArrayList<>();
        Object cr = sync(CommandType.XINFO, args().add("CONSUMERS").addKey(b(key)).add(name),
                "XINFO CONSUMERS " + key + " " + name);
        for (Object c : Resp.list(cr, "XINFO CONSUMERS")) {
            members.add(Resp.str(field(Resp.list(c, "consumer"), "name"), "consumer name"));
        }
        Optional<EventId> last = lastDelivered == null || "0-0".equals(lastDelivered) ? Optional.empty()
                : Optional.of(Ids.fromServer(b(lastDelivered)));
        return new GroupInfo(name, pending, lag, members, last);
    }

    @Override
    public GroupInfo groupInfo(StreamName stream, String group) {
        checkOpen();
        Checks.stream(stream);
        Checks.group(group);
        for (List<Object> g : groupEntries(stream)) {
            if (group.equals(Resp.str(field(g, "name"), "group name"))) {
                return toGroupInfo(stream, g);
            }
        }
        throw new StreamException(ErrorKind.NOT_FOUND, "consumer group '" + group + "' of stream " + key(stream)
                + " does not exist; create it with createGroup");
    }

    @Override
    public List<GroupInfo> groups(StreamName stream) {
        checkOpen();
        Checks.stream(stream);
        List<GroupInfo> out = new ArrayList<>();
        for (List<Object> g : groupEntries(stream)) {
            out.add(toGroupInfo(stream, g));
        }
        return out;
    }

    @Override
    public boolean deleteGroup(StreamName stream, String group) {
        checkOpen();
        Checks.stream(stream);
        Checks.group(group);
        String key = key(stream);
        Object r = syncEval(Script.DELETE_GROUP, List.of(b(key), b(settings.groupsKey(stream.value()))),
                List.of(b(group)), "XGROUP DESTROY " + key + " " + group);
        return Resp.num(r, "XGROUP DESTROY") > 0;
    }

    /** The ack timeout recorded for a group, or the default. */
    Duration ackTimeout(StreamName stream, String group) {
        Object r = sync(CommandType.HGET, args().addKey(b(settings.groupsKey(stream.value()))).add(b(group)),
                "HGET " + settings.groupsKey(stream.value()));
        if (r == null) {
            return GroupOptions.DEFAULT_ACK_TIMEOUT;
        }
        return Duration.ofMillis(Resp.num(r, "ack timeout"));
    }

    /** Whether deleteGroup or deleteStream left a marker for the group. */
    boolean deletedMarker(StreamName stream, String group) {
        Object r = sync(CommandType.HEXISTS, args().addKey(b(settings.groupsKey(stream.value())))
                .add(b("~deleted~" + group)), "HEXISTS " + settings.groupsKey(stream.value()));
        return Resp.num(r, "HEXISTS") == 1;
    }

    @Override
    public void close() {
        synchronized (closeLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        for (AutoCloseable c : List.copyOf(open)) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.debug("closing {} failed: {}", c, e.toString());
            }
        }
        pool.closeAll();
        deadlines.close();
        shutdown(sharedClient, blockingClient, resources, settings.closeTimeout);
        deadlines.expireAll(); // normally already failed by the shutdown (CLOSED); never left hanging
    }

    @Override
    public String toString() {
        return "RedisStreamClient[" + settings.describe() + (closed ? ", closed" : "") + "]";
    }

    /** Ids as Redis arguments, skipping foreign (sequence) ids; counts what was skipped. */
    static List<String> redisIds(Collection<EventId> ids) {
        if (ids == null) {
            throw StreamException.invalid("ids must not be null");
        }
        List<String> out = new ArrayList<>(ids.size());
        for (EventId id : ids) {
            if (id == null) {
                throw StreamException.invalid("ids must not contain null");
            }
            if (id.isPair()) {
                out.add(Ids.wire(id));
            }
        }
        return out;
    }
}
