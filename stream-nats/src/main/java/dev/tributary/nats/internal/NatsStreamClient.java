package dev.tributary.nats.internal;

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
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.PublishOptions;
import io.nats.client.PurgeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.PublishAck;
import io.nats.client.api.ReplayPolicy;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamState;
import io.nats.client.impl.NatsMessage;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The NATS JetStream client: one connection (automatic reconnect), pipelined appends with a bounded
 * window of outstanding PubAcks, pull-consumer reads and durable pull consumers for groups.
 * Thread-safe.
 *
 * <p>The futures of {@link #appendAsync} complete on the jnats thread that delivers the replies of
 * the connection (the PubAcks). Dependent stages attached with {@code thenApply}, {@code thenAccept},
 * … run there too and must not block — a blocking call inside one (such as a synchronous
 * {@code append}) stalls every reply of the connection until its own timeout. Use the
 * {@code …Async} variants with an executor for anything that blocks.
 */
public final class NatsStreamClient implements StreamClient {
    private static final Logger LOG = LoggerFactory.getLogger(NatsStreamClient.class);
    /** The capabilities every client of this backend declares. */
    public static final Set<Capability> CAPABILITIES = Collections.unmodifiableSet(EnumSet.of(
            Capability.CONSUMER_GROUPS, Capability.IDEMPOTENT_APPEND, Capability.TIME_POSITION,
            Capability.TRIM_BY_LENGTH, Capability.EXACT_TRIM, Capability.TRIM_BY_ID, Capability.TRIM_BY_AGE));
    static final String BACKEND = "nats";
    static final int MAX_BATCH = 10_000;
    static final int MAX_READ = 10_000;

    private final NatsSettings settings;
    private final Connection connection;
    private final JetStream js;
    private final JetStreamManagement jsm;
    private final NatsNames names;
    private final NatsErrors errors;
    private final Limits limits;
    private final Clock clock;
    private final Semaphore window;
    private final long requestTimeoutNanos;
    /** Appends waiting for their PubAck, in call order; see {@link #sweepDeadlines}. */
    private final ConcurrentLinkedQueue<PendingAppend> deadlines = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService sweeper;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Set<AutoCloseable> open = ConcurrentHashMap.newKeySet();
    /** The subject of the stream appended to last (appends usually go to one stream at a time). */
    private volatile Subject lastSubject;
    private final ScheduledExecutorService watchdog;
    private final AtomicBoolean probing = new AtomicBoolean();

    NatsStreamClient(NatsSettings settings, Connection connection, NatsErrors errors, Clock clock) {
        this.settings = settings;
        this.connection = connection;
        this.errors = errors;
        this.clock = clock;
        JetStreamOptions jso = JetStreamOptions.builder().requestTimeout(settings.requestTimeout()).build();
        try {
            this.js = connection.jetStream(jso);
            this.jsm = connection.jetStreamManagement(jso);
        } catch (IOException e) {
            throw errors.map(e, "opening JetStream on " + settings.safeUri(), false);
        }
        this.names = new NatsNames(settings.prefix());
        long serverMax = connection.getServerInfo().getMaxPayload();
        long reserve = HeaderCodec.worstCaseEncodedBytes(settings.maxHeaderBytes()) + 512;
        long maxPayload = Math.min(Integer.MAX_VALUE, serverMax - reserve);
        if (maxPayload < 1024) {
            throw new StreamException(ErrorKind.CONFIGURATION, "the server's max_payload (" + serverMax
                    + " bytes) leaves no room for payloads next to maxHeaderBytes=" + settings.maxHeaderBytes()
                    + "; raise max_payload or lower maxHeaderBytes");
        }
        this.limits = new Limits((int) maxPayload, settings.maxHeaderBytes(), MAX_BATCH, MAX_READ);
        this.window = new Semaphore(settings.maxInFlight());
        this.requestTimeoutNanos = settings.requestTimeout().toNanos();
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tributary-nats-deadlines");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(1), Math.min(TimeUnit.MILLISECONDS.toNanos(100),
                requestTimeoutNanos / 10));
        sweeper.scheduleAtFixedRate(this::sweepDeadlines, period, period, TimeUnit.NANOSECONDS);
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tributary-nats-watchdog");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Checks, off the caller's thread, that the connection really carries traffic and forces a
     * reconnect when it does not. Run shortly after every reconnect and after a request went
     * unanswered: jnats 2.24 can come out of a reconnect with its writer stuck (nats.java issue 1522),
     * holding every outgoing message until the ping timer notices, which takes several ping intervals;
     * the probe cuts that to about two seconds. The probe is a request on the JetStream API (a normal
     * outgoing message, unlike a PING which may travel on the reconnect queue): any answer, even an
     * error, proves the path works.
     */
    void probeConnection() {
        probeConnection(0);
    }

    /** Called by the connection listener after every reconnect. */
    void reconnected() {
        probeConnection(250);
        probeConnection(1500);
    }

    private void probeConnection(long delayMs) {
        if (closed.get()) {
            return;
        }
        try {
            watchdog.schedule(this::probeNow, delayMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    private void probeNow() {
        if (closed.get() || !probing.compareAndSet(false, true)) {
            return;
        }
        try {
            if (connection.getStatus() != Connection.Status.CONNECTED) {
                return;
            }
            Duration t = settings.requestTimeout().compareTo(Duration.ofSeconds(2)) < 0
                    ? settings.requestTimeout() : Duration.ofSeconds(2);
            long start = System.nanoTime();
            io.nats.client.Message reply = connection.request("$JS.API.INFO", null, t);
            // a null at once means "no responders" (JetStream still starting): the path works
            boolean timedOut = System.nanoTime() - start >= t.toNanos() * 9 / 10;
            if (reply == null && timedOut && !closed.get() && connection.getStatus() == Connection.Status.CONNECTED) {
                LOG.warn("NATS connection to {} did not answer a request within {}; forcing a reconnect",
                        settings.safeUri(), t);
                connection.forceReconnect();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debug("connection probe failed: {}", errors.redact(e.toString()));
        } finally {
            probing.set(false);
        }
    }

    // ---------------------------------------------------------------- plumbing shared with readers

    Connection connection() {
        return connection;
    }

    JetStreamManagement jsm() {
        return jsm;
    }

    NatsNames names() {
        return names;
    }

    NatsErrors errors() {
        return errors;
    }

    NatsSettings settings() {
        return settings;
    }

    boolean isClosed() {
        return closed.get();
    }

    void register(AutoCloseable c) {
        open.add(c);
    }

    void unregister(AutoCloseable c) {
        open.remove(c);
    }

    void ensureOpen() {
        if (closed.get()) {
            throw StreamException.closed("NATS client for " + settings.safeUri());
        }
    }

    /** The stream's state, or null when it does not exist. */
    StreamState state(String jsStream) {
        try {
            return jsm.getStreamInfo(jsStream).getStreamState();
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == NatsErrors.STREAM_NOT_FOUND) {
                return null;
            }
            throw errors.map(e, "reading the state of stream " + jsStream, false);
        } catch (IOException | RuntimeException e) {
            throw errors.map(e, "reading the state of stream " + jsStream, false);
        }
    }

    /** Creates an ephemeral pull consumer (no acks, memory state, removed when idle); returns its name. */
    String createEphemeral(String jsStream, String subject, DeliverPolicy policy, long startSeq, Instant startTime)
            throws IOException, JetStreamApiException {
        ConsumerConfiguration.Builder b = ConsumerConfiguration.builder().ackPolicy(AckPolicy.None)
                .deliverPolicy(policy).filterSubject(subject).replayPolicy(ReplayPolicy.Instant)
                .inactiveThreshold(settings.readerInactiveThreshold()).memStorage(true).numReplicas(1);
        if (policy == DeliverPolicy.ByStartSequence) {
            b.startSequence(Math.max(1, startSeq));
        } else if (policy == DeliverPolicy.ByStartTime) {
            b.startTime(startTime.atZone(ZoneOffset.UTC));
        }
        return jsm.createConsumer(jsStream, b.build()).getName();
    }

    /** False when the consumer (or its stream) is known not to exist; errors of the check propagate. */
    boolean consumerExists(String jsStream, String consumer) {
        try {
            jsm.getConsumerInfo(jsStream, consumer);
            return true;
        } catch (JetStreamApiException e) {
            int c = e.getApiErrorCode();
            if (c == NatsErrors.CONSUMER_NOT_FOUND || c == NatsErrors.STREAM_NOT_FOUND) {
                return false;
            }
            throw errors.map(e, "looking up consumer " + consumer + " of " + jsStream, false);
        } catch (IOException | RuntimeException e) {
            throw errors.map(e, "looking up consumer " + consumer + " of " + jsStream, false);
        }
    }

    /** A pull session on a consumer of this client's connection. */
    PullSession session(String jsStream, String consumer, String what) {
        return new PullSession(connection, jsStream, consumer, settings.requestTimeout(), what,
                () -> consumerExists(jsStream, consumer), this::probeConnection);
    }

    /** Deletes a consumer without waiting for the answer (bounded even with a frozen server). */
    void deleteConsumerQuietly(String jsStream, String consumer) {
        try {
            if (connection.getStatus() == Connection.Status.CONNECTED) {
                connection.publish("$JS.API.CONSUMER.DELETE." + jsStream + "." + consumer, null);
            }
        } catch (RuntimeException e) {
            LOG.debug("could not delete consumer {} of {}: {}", consumer, jsStream, errors.redact(e.toString()));
        }
    }

    static long sequenceOf(EventId id, String what) {
        if (id.isPair()) {
            throw StreamException.invalid(what + " " + id + " is not a NATS id; NATS ids are stream sequences like '42'");
        }
        return id.sequence();
    }

    StreamEvent toEvent(StreamName stream, PullSession.Delivery d, int deliveryCount) {
        HeaderCodec.Decoded dec = HeaderCodec.decode(d.message().getHeaders());
        byte[] data = d.message().getData();
        return new StreamEvent(stream, EventId.ofSequence(d.streamSequence()), d.timestamp(), dec.key(), dec.headers(),
                data == null ? new byte[0] : data, Math.max(1, deliveryCount));
    }

    // ---------------------------------------------------------------- StreamClient

    @Override
    public String backend() {
        return BACKEND;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public Limits limits() {
        return limits;
    }

    @Override
    public EventId parseId(String text) {
        EventId id = EventId.parse(text);
        if (id.isPair()) {
            throw StreamException.invalid("'" + (text.length() > 64 ? text.substring(0, 64) + "..." : text)
                    + "' is not a NATS id; NATS ids are stream sequences like '42'");
        }
        return id;
    }

    @Override
    public Health health() {
        ensureOpen();
        long start = System.nanoTime();
        try {
            if (connection.getStatus() != Connection.Status.CONNECTED) {
                return new Health(false, Duration.ofNanos(System.nanoTime() - start), "not connected ("
                        + connection.getStatus() + ")");
            }
            connection.flush(settings.requestTimeout());
            Duration rtt = Duration.ofNanos(System.nanoTime() - start);
            var info = connection.getServerInfo();
            return new Health(true, rtt, "nats-server " + info.getVersion()
                    + (info.isJetStreamAvailable() ? " with JetStream" : " WITHOUT JetStream"));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return new Health(false, Duration.ofNanos(System.nanoTime() - start), errors.redact(String.valueOf(e)));
        }
    }

    @Override
    public void createStream(StreamName stream) {
        ensureOpen();
        Checks.stream(stream);
        String name = names.streamName(stream);
        String subject = names.subject(stream);
        String what = "creating stream '" + stream + "' (JetStream stream " + name + ")";
        try {
            try {
                verifySubject(jsm.getStreamInfo(name).getConfiguration(), name, subject);
                return;
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() != NatsErrors.STREAM_NOT_FOUND) {
                    throw e;
                }
            }
            StreamConfiguration.Builder b = StreamConfiguration.builder().name(name).subjects(subject)
                    .storageType(settings.fileStorage() ? StorageType.File : StorageType.Memory)
                    .retentionPolicy(RetentionPolicy.Limits).discardPolicy(DiscardPolicy.Old)
                    .replicas(settings.replicas()).duplicateWindow(settings.duplicateWindow())
                    .maxMessages(settings.maxMessages()).maxBytes(settings.maxBytes());
            if (!settings.maxAge().isZero()) {
                b.maxAge(settings.maxAge());
            }
            try {
                jsm.addStream(b.build());
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() != NatsErrors.STREAM_NAME_IN_USE) {
                    throw e;
                }
                // created concurrently with another configuration: keep it, as long as it serves our subject
                verifySubject(jsm.getStreamInfo(name).getConfiguration(), name, subject);
            }
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            throw errors.map(e, what, false);
        }
    }

    private static void verifySubject(StreamConfiguration c, String name, String subject) {
        if (!c.getSubjects().contains(subject)) {
            throw new StreamException(ErrorKind.CONFIGURATION, "JetStream stream " + name + " exists but does not "
                    + "capture subject " + subject + " (it captures " + c.getSubjects() + "); delete it or choose "
                    + "another namespace");
        }
    }

    @Override
    public boolean deleteStream(StreamName stream) {
        ensureOpen();
        Checks.stream(stream);
        String name = names.streamName(stream);
        try {
            return jsm.deleteStream(name);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == NatsErrors.STREAM_NOT_FOUND) {
                return false;
            }
            throw errors.map(e, "deleting stream '" + stream + "'", false);
        } catch (IOException | RuntimeException e) {
            throw errors.map(e, "deleting stream '" + stream + "'", false);
        }
    }

    @Override
    public CompletableFuture<EventId> appendAsync(StreamName stream, StreamRecord record) {
        ensureOpen();
        Checks.stream(stream);
        Checks.record(record, limits);
        return publish(stream, record);
    }

    private record Subject(StreamName stream, String subject) {
    }

    private String subject(StreamName stream) {
        Subject last = lastSubject;
        if (last == null || !last.stream().equals(stream)) {
            last = new Subject(stream, names.subject(stream));
            lastSubject = last;
        }
        return last.subject();
    }

    private static String what(StreamName stream) {
        return "append to '" + stream + "'";
    }

    private CompletableFuture<EventId> publish(StreamName stream, StreamRecord r) {
        try {
            if (!window.tryAcquire(requestTimeoutNanos, TimeUnit.NANOSECONDS)) {
                return CompletableFuture.failedFuture(new StreamException(ErrorKind.BACKPRESSURE, what(stream) + ": "
                        + settings.maxInFlight() + " appends are in flight (maxInFlightAppends) and none completed "
                        + "within " + settings.requestTimeout() + "; slow down"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(new StreamException(ErrorKind.RETRYABLE, what(stream)
                    + " was interrupted"));
        }
        CompletableFuture<PublishAck> ack;
        try {
            if (closed.get()) {
                window.release();
                return CompletableFuture.failedFuture(StreamException.closed("NATS client"));
            }
            if (connection.getStatus() != Connection.Status.CONNECTED) {
                window.release();
                return CompletableFuture.failedFuture(new StreamException(ErrorKind.RETRYABLE, what(stream)
                        + " failed: not connected to " + settings.safeUri() + " (" + connection.getStatus()
                        + "); nothing was sent, retry later"));
            }
            io.nats.client.impl.Headers h = HeaderCodec.encode(r.key(), r.headers());
            NatsMessage msg = new NatsMessage(subject(stream), null, h, r.payload());
            String msgId = r.idempotencyId() != null ? r.idempotencyId()
                    : settings.autoMsgId() ? randomMsgId() : null;
            // without an id: no options at all, so jnats neither copies the headers nor merges options
            ack = msgId == null ? js.publishAsync(msg)
                    : js.publishAsync(msg, PublishOptions.builder().messageId(msgId).build());
        } catch (RuntimeException e) {
            window.release();
            // nothing left the client: a definite failure, never indeterminate
            // (jnats' "payload size exceeds the server's max_payload" maps to TOO_LARGE)
            return CompletableFuture.failedFuture(errors.map(e, what(stream), false));
        }
        // jnats times the PubAck out too, but only when its cleanup timer passes by; our own bound is
        // kept by the deadline sweeper (one queue instead of one timer task per append)
        PendingAppend p = new PendingAppend(stream, ack, System.nanoTime() + requestTimeoutNanos);
        deadlines.offer(p);
        ack.whenComplete(p);
        if (closed.get()) {
            // raced with close(), which may already have expired the queue: nothing will sweep this one
            p.expire();
        }
        return p.result;
    }

    /**
     * An append waiting for its PubAck: completed by the PubAck, or expired by {@link #sweepDeadlines}
     * once its deadline passed (with the {@link java.util.concurrent.TimeoutException} that
     * {@code orTimeout} would have produced), whichever comes first. Releases the window permit exactly
     * once: {@link #accept} runs once, when {@link #ack} completes.
     */
    private final class PendingAppend implements java.util.function.BiConsumer<PublishAck, Throwable> {
        final StreamName stream;
        final CompletableFuture<PublishAck> ack;
        final long deadline;
        final CompletableFuture<EventId> result = new CompletableFuture<>();

        PendingAppend(StreamName stream, CompletableFuture<PublishAck> ack, long deadline) {
            this.stream = stream;
            this.ack = ack;
            this.deadline = deadline;
        }

        void expire() {
            ack.completeExceptionally(new java.util.concurrent.TimeoutException());
        }

        @Override
        public void accept(PublishAck pa, Throwable err) {
            window.release();
            if (err != null) {
                result.completeExceptionally(mapAppendError(err, what(stream), stream));
            } else {
                result.complete(EventId.ofSequence(pa.getSeqno()));
            }
        }
    }

    /**
     * Runs every {@code clamp(requestTimeout / 10, 1 ms, 100 ms)}: drops answered appends from the head
     * of the queue (registered in call order, so the head is the oldest) and expires those past their
     * deadline.
     */
    private void sweepDeadlines() {
        try {
            long now = System.nanoTime();
            PendingAppend p;
            while ((p = deadlines.peek()) != null) {
                if (!p.ack.isDone()) {
                    if (now - p.deadline < 0) {
                        return;
                    }
                    p.expire();
                }
                deadlines.poll();
            }
        } catch (RuntimeException e) {
            LOG.warn("expiring NATS appends failed: {}", errors.redact(e.toString()));
        }
    }

    /** Expires every append still queued (after the connection was closed: nothing can answer them). */
    private void expireAllDeadlines() {
        PendingAppend p;
        while ((p = deadlines.poll()) != null) {
            p.expire();
        }
    }

    private StreamException mapAppendError(Throwable err, String what, StreamName stream) {
        Throwable root = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
                ? err.getCause() : err;
        if (root instanceof java.util.concurrent.TimeoutException
                || root instanceof java.util.concurrent.CancellationException) {
            probeConnection();
        }
        if (closed.get()) {
            return new StreamException(ErrorKind.INDETERMINATE, what + ": the client was closed before the "
                    + "server acknowledged; the record may or may not be stored", null);
        }
        String text = String.valueOf(err.getMessage()).toLowerCase(java.util.Locale.ROOT);
        if (text.contains("no responders") || (err.getCause() != null
                && String.valueOf(err.getCause().getMessage()).toLowerCase(java.util.Locale.ROOT).contains("no responders"))) {
            return new StreamException(ErrorKind.NOT_FOUND, what + " failed: no JetStream stream captures subject "
                    + names.subject(stream) + "; call createStream first");
        }
        return errors.map(err, what, true);
    }

    @Override
    public CompletableFuture<List<EventId>> appendBatchAsync(StreamName stream, List<StreamRecord> records) {
        ensureOpen();
        Checks.stream(stream);
        Checks.batch(records, limits);
        List<CompletableFuture<EventId>> futures = new ArrayList<>(records.size());
        for (StreamRecord r : records) {
            futures.add(publish(stream, r));
        }
        return CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).handle((v, err) -> {
            if (err != null) {
                throw StreamException.unwrap(err);
            }
            List<EventId> ids = new ArrayList<>(futures.size());
            for (CompletableFuture<EventId> f : futures) {
                ids.add(f.join());
            }
            return ids;
        });
    }

    @Override
    public StreamReader openReader(StreamName stream, Position from) {
        ensureOpen();
        Checks.stream(stream);
        Checks.position(from, CAPABILITIES, BACKEND);
        NatsReader reader = new NatsReader(this, stream, from);
        register(reader);
        return reader;
    }

    @Override
    public List<StreamEvent> range(StreamName stream, Position from, EventId toInclusive, int maxCount) {
        ensureOpen();
        Checks.stream(stream);
        Checks.position(from, CAPABILITIES, BACKEND);
        Checks.count(maxCount, limits);
        long to = toInclusive == null ? Long.MAX_VALUE : sequenceOf(toInclusive, "range end");
        return new RangeRead(this, stream).read(from, to, maxCount);
    }

    @Override
    public StreamInfo info(StreamName stream) {
        ensureOpen();
        Checks.stream(stream);
        StreamState s = state(names.streamName(stream));
        if (s == null) {
            return StreamInfo.missing(stream);
        }
        if (s.getMsgCount() == 0) {
            return StreamInfo.empty(stream);
        }
        return StreamInfo.of(stream, s.getMsgCount(), EventId.ofSequence(s.getFirstSequence()),
                s.getFirstTime().toInstant(), EventId.ofSequence(s.getLastSequence()), s.getLastTime().toInstant());
    }

    @Override
    public long trim(StreamName stream, Trim trim) {
        ensureOpen();
        Checks.stream(stream);
        Checks.trim(trim, CAPABILITIES, BACKEND);
        String name = names.streamName(stream);
        String what = "trimming stream '" + stream + "'";
        try {
            StreamState s = state(name);
            if (s == null || s.getMsgCount() == 0) {
                return 0;
            }
            if (trim instanceof Trim.ToLength t) {
                if (t.maxLength() >= s.getMsgCount()) {
                    return 0;
                }
                if (t.maxLength() == 0) {
                    return purgeBelow(name, s.getLastSequence() + 1);
                }
                return jsm.purgeStream(name, PurgeOptions.builder().keep(t.maxLength()).build()).getPurged();
            }
            if (trim instanceof Trim.Below b) {
                long seq = sequenceOf(b.id(), "trim id");
                if (seq <= s.getFirstSequence()) {
                    return 0;
                }
                return purgeBelow(name, Math.min(seq, s.getLastSequence() + 1));
            }
            Trim.OlderThan o = (Trim.OlderThan) trim;
            Instant cutoff = clock.instant().minus(o.age());
            if (!s.getFirstTime().toInstant().isBefore(cutoff)) {
                return 0;
            }
            long keepFrom = firstSequenceAtOrAfter(name, names.subject(stream), cutoff, s.getLastSequence());
            return purgeBelow(name, keepFrom);
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            throw errors.map(e, what, false);
        }
    }

    private long purgeBelow(String name, long seq) throws IOException, JetStreamApiException {
        if (seq <= 1) {
            return 0;
        }
        return jsm.purgeStream(name, PurgeOptions.builder().sequence(seq).build()).getPurged();
    }

    /** The first sequence whose timestamp is at or after {@code time}, or {@code last + 1}. */
    private long firstSequenceAtOrAfter(String jsStream, String subject, Instant time, long last)
            throws IOException, JetStreamApiException {
        String consumer = createEphemeral(jsStream, subject, DeliverPolicy.ByStartTime, 0, time);
        try (PullSession session = session(jsStream, consumer, "trim")) {
            List<PullSession.Delivery> d = session.poll(1, Duration.ZERO, closed::get);
            if (d.isEmpty()) {
                return last + 1;
            }
            return Math.min(d.get(0).streamSequence(), last + 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StreamException(ErrorKind.RETRYABLE, "interrupted while trimming");
        } finally {
            deleteConsumerQuietly(jsStream, consumer);
        }
    }

    // ---------------------------------------------------------------- groups

    @Override
    public void createGroup(StreamName stream, String group, GroupOptions options) {
        ensureOpen();
        Checks.capability(Capability.CONSUMER_GROUPS, CAPABILITIES, BACKEND);
        Checks.stream(stream);
        Checks.group(group);
        if (options == null) {
            throw StreamException.invalid("group options must not be null (use GroupOptions.defaults())");
        }
        String name = names.streamName(stream);
        String what = "creating group '" + group + "' of stream '" + stream + "'";
        try {
            StreamState s = state(name);
            if (s == null) {
                throw new StreamException(ErrorKind.NOT_FOUND, what + ": the stream does not exist; create it first");
            }
            try {
                jsm.getConsumerInfo(name, group);
                return; // exists: keeps its options
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() != NatsErrors.CONSUMER_NOT_FOUND) {
                    throw e;
                }
            }
            ConsumerConfiguration.Builder b = ConsumerConfiguration.builder().durable(group)
                    .ackPolicy(AckPolicy.Explicit).ackWait(options.ackTimeout()).maxDeliver(-1)
                    .filterSubject(names.subject(stream)).replayPolicy(ReplayPolicy.Instant)
                    .maxAckPending(settings.maxAckPending());
            Position p = options.start();
            if (p instanceof Position.Latest) {
                b.deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(s.getLastSequence() + 1);
            } else if (p instanceof Position.After a) {
                b.deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(sequenceOf(a.id(), "group start") + 1);
            } else {
                b.deliverPolicy(DeliverPolicy.All);
            }
            try {
                jsm.createConsumer(name, b.build());
            } catch (JetStreamApiException e) {
                // created concurrently: fine as long as it exists now
                jsm.getConsumerInfo(name, group);
            }
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            throw errors.map(e, what, false);
        }
    }

    @Override
    public GroupConsumer openGroupConsumer(StreamName stream, String group, String member) {
        ensureOpen();
        Checks.capability(Capability.CONSUMER_GROUPS, CAPABILITIES, BACKEND);
        Checks.stream(stream);
        Checks.group(group);
        Checks.member(member);
        String name = names.streamName(stream);
        try {
            jsm.getConsumerInfo(name, group);
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            throw errors.map(e, "opening member '" + member + "' of group '" + group + "' on stream '" + stream + "'",
                    false);
        }
        NatsGroupConsumer c = new NatsGroupConsumer(this, stream, group, member);
        register(c);
        return c;
    }

    @Override
    public GroupInfo groupInfo(StreamName stream, String group) {
        ensureOpen();
        Checks.capability(Capability.CONSUMER_GROUPS, CAPABILITIES, BACKEND);
        Checks.stream(stream);
        Checks.group(group);
        try {
            return toGroupInfo(jsm.getConsumerInfo(names.streamName(stream), group));
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            throw errors.map(e, "reading group '" + group + "' of stream '" + stream + "'", false);
        }
    }

    private static GroupInfo toGroupInfo(ConsumerInfo ci) {
        long delivered = ci.getDelivered() == null ? 0 : ci.getDelivered().getStreamSequence();
        return new GroupInfo(ci.getName(), ci.getNumAckPending(), ci.getNumPending(), List.of(),
                delivered > 0 ? Optional.of(EventId.ofSequence(delivered)) : Optional.empty());
    }

    @Override
    public List<GroupInfo> groups(StreamName stream) {
        ensureOpen();
        Checks.capability(Capability.CONSUMER_GROUPS, CAPABILITIES, BACKEND);
        Checks.stream(stream);
        try {
            List<GroupInfo> out = new ArrayList<>();
            for (ConsumerInfo ci : jsm.getConsumers(names.streamName(stream))) {
                if (ci.getConsumerConfiguration().getDurable() != null) {
                    out.add(toGroupInfo(ci));
                }
            }
            return out;
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == NatsErrors.STREAM_NOT_FOUND) {
                return List.of();
            }
            throw errors.map(e, "listing groups of stream '" + stream + "'", false);
        } catch (IOException | RuntimeException e) {
            throw errors.map(e, "listing groups of stream '" + stream + "'", false);
        }
    }

    @Override
    public boolean deleteGroup(StreamName stream, String group) {
        ensureOpen();
        Checks.capability(Capability.CONSUMER_GROUPS, CAPABILITIES, BACKEND);
        Checks.stream(stream);
        Checks.group(group);
        try {
            return jsm.deleteConsumer(names.streamName(stream), group);
        } catch (JetStreamApiException e) {
            int c = e.getApiErrorCode();
            if (c == NatsErrors.CONSUMER_NOT_FOUND || c == NatsErrors.STREAM_NOT_FOUND) {
                return false;
            }
            throw errors.map(e, "deleting group '" + group + "' of stream '" + stream + "'", false);
        } catch (IOException | RuntimeException e) {
            throw errors.map(e, "deleting group '" + group + "' of stream '" + stream + "'", false);
        }
    }

    // ---------------------------------------------------------------- close

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long deadline = System.nanoTime() + settings.closeTimeout().toNanos();
        for (AutoCloseable c : List.copyOf(open)) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.debug("closing {} failed: {}", c, errors.redact(e.toString()));
            }
        }
        open.clear();
        watchdog.shutdownNow();
        Thread closer = new Thread(() -> {
            try {
                if (connection.getStatus() == Connection.Status.CONNECTED) {
                    connection.flush(Duration.ofMillis(Math.max(1, settings.closeTimeout().toMillis() / 3)));
                }
            } catch (Exception e) {
                // best effort: the server may be frozen
            }
            try {
                connection.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.debug("closing the NATS connection failed: {}", errors.redact(e.toString()));
            }
        }, "tributary-nats-close");
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (closer.isAlive()) {
            LOG.warn("the NATS connection to {} did not close within {}; leaving it to close in the background",
                    settings.safeUri(), settings.closeTimeout());
        }
        // appends still unanswered now get no PubAck any more: fail them (INDETERMINATE) instead of
        // waiting out their deadline
        sweeper.shutdownNow();
        expireAllDeadlines();
    }

    @Override
    public String toString() {
        return "NatsStreamClient[" + settings.safeUri() + ", prefix=" + settings.prefix() + (closed.get() ? ", closed" : "")
                + "]";
    }

    /**
     * A random message id for an append without an idempotency id: 122 random bits in UUID form, from
     * the thread's own generator (no contention on a shared SecureRandom on the append path); only
     * uniqueness within the duplicate window matters.
     */
    static String randomMsgId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long hi = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lo = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(hi, lo).toString();
    }
}
