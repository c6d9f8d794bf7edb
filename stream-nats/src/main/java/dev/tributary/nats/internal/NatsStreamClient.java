package dev.tributary.nats.internal;

import dev.tributary.Capability;
import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.GroupInfo;
import dev.tributary.GroupOptions;
import dev.tributary.Headers;
import dev.tributary.Health;
import dev.tributary.Limits;
import dev.tributary.Position;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamInfo;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import dev.tributary.Trim;
import dev.tributary.spi.AbstractGroupConsumer;
import dev.tributary.spi.AbstractStreamClient;
import dev.tributary.spi.AbstractStreamReader;
import dev.tributary.spi.AppendWindow;
import io.nats.client.Connection;
import io.nats.client.JetStreamOptions;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The NATS JetStream client: one connection (automatic reconnect), pipelined appends
 * ({@link NatsAppender}), stream and group management ({@link NatsAdmin}, {@link NatsGroups}),
 * pull-consumer readers ({@link NatsReader}) and durable pull consumers for groups
 * ({@link NatsGroupConsumer}). The skeleton ({@link AbstractStreamClient}) owns the checks, the
 * closed flag, the append window and the close order. Thread-safe.
 *
 * <p>The futures of {@code appendAsync} complete on the jnats thread that delivers the replies of
 * the connection (the PubAcks). Dependent stages attached with {@code thenApply}, {@code thenAccept},
 * … run there too and must not block — a blocking call inside one (such as a synchronous
 * {@code append}) stalls every reply of the connection until its own timeout. Use the
 * {@code …Async} variants with an executor for anything that blocks.
 */
public final class NatsStreamClient extends AbstractStreamClient {
    private static final Logger LOG = LoggerFactory.getLogger(NatsStreamClient.class);
    /** The capabilities every client of this backend declares. */
    public static final Set<Capability> CAPABILITIES = Collections.unmodifiableSet(EnumSet.of(
            Capability.CONSUMER_GROUPS,
            Capability.IDEMPOTENT_APPEND,
            Capability.TIME_POSITION,
            Capability.TRIM_BY_LENGTH,
            Capability.EXACT_TRIM,
            Capability.TRIM_BY_ID,
            Capability.TRIM_BY_AGE));

    static final String BACKEND = "nats";
    static final int MAX_BATCH = 10_000;
    static final int MAX_READ = 10_000;

    private final NatsSettings settings;
    private final Connection connection;
    private final NatsNames names;
    private final NatsErrors errors;
    private final NatsAdmin admin;
    private final NatsGroups groups;
    private final NatsAppender appender;

    NatsStreamClient(NatsSettings settings, Connection connection, NatsErrors errors, Clock clock) {
        super(
                BACKEND,
                CAPABILITIES,
                limits(settings, connection),
                "NATS client for " + settings.safeUri(),
                settings.closeTimeout(),
                new AppendWindow(
                        "NATS client for " + settings.safeUri(),
                        settings.maxInFlight(),
                        settings.requestTimeout(),
                        null));
        this.settings = settings;
        this.connection = connection;
        this.errors = errors;
        this.names = new NatsNames(settings.prefix(), settings.adopted());
        JetStreamOptions jso = JetStreamOptions.builder()
                .requestTimeout(settings.requestTimeout())
                .build();
        try {
            this.admin = new NatsAdmin(
                    settings, connection, connection.jetStreamManagement(jso), names, errors, clock, this::isClosed);
            this.appender = new NatsAppender(
                    connection,
                    connection.jetStream(jso),
                    names,
                    errors,
                    appendWindow(),
                    settings.autoMsgId(),
                    settings.safeUri());
        } catch (IOException e) {
            appendWindow().close(Duration.ZERO);
            throw errors.map(e, "opening JetStream on " + settings.safeUri(), false);
        }
        this.groups = new NatsGroups(admin, names, errors, settings.maxAckPending());
    }

    /** The payload limit: the server's max_payload less room for the worst-case encoded headers. */
    private static Limits limits(NatsSettings settings, Connection connection) {
        long serverMax = connection.getServerInfo().getMaxPayload();
        long reserve = HeaderCodec.worstCaseEncodedBytes(settings.maxHeaderBytes()) + 512;
        long maxPayload = Math.min(Integer.MAX_VALUE, serverMax - reserve);
        if (maxPayload < 1024) {
            throw new StreamException(
                    ErrorKind.CONFIGURATION,
                    "the server's max_payload (" + serverMax
                            + " bytes) leaves no room for payloads next to maxHeaderBytes=" + settings.maxHeaderBytes()
                            + "; raise max_payload or lower maxHeaderBytes");
        }
        return new Limits((int) maxPayload, settings.maxHeaderBytes(), MAX_BATCH, MAX_READ);
    }

    // ---------------------------------------------------------------- shared with readers and members

    Connection connection() {
        return connection;
    }

    NatsAdmin admin() {
        return admin;
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

    boolean closed() {
        return isClosed();
    }

    static long sequenceOf(EventId id, String what) {
        if (id.isPair()) {
            throw StreamException.invalid(
                    what + " " + id + " is not a NATS id; NATS ids are stream sequences like '42'");
        }
        return id.sequence();
    }

    /**
     * The event of a delivery; when {@code target} reads more than one subject (an adopted stream with
     * a wildcard filter or none), the message's subject is added as the last header,
     * {@value HeaderCodec#SUBJECT_HEADER}, so that events of different subjects stay apart.
     */
    static StreamEvent toEvent(StreamName stream, NatsTarget target, PullSession.Delivery d, int deliveryCount) {
        HeaderCodec.Decoded dec = HeaderCodec.decode(d.message().getHeaders());
        byte[] data = d.message().getData();
        Headers headers = dec.headers();
        if (target.surfacesSubject()) {
            headers = headers.toBuilder()
                    .add(HeaderCodec.SUBJECT_HEADER, d.message().getSubject())
                    .build();
        }
        return new StreamEvent(
                stream,
                EventId.ofSequence(d.streamSequence()),
                d.timestamp(),
                dec.key(),
                headers,
                data == null ? new byte[0] : data,
                Math.max(1, deliveryCount));
    }

    // ---------------------------------------------------------------- the skeleton's do… methods

    @Override
    protected EventId doParseId(String text) {
        EventId id = EventId.parse(text);
        if (id.isPair()) {
            throw StreamException.invalid("'" + (text.length() > 64 ? text.substring(0, 64) + "..." : text)
                    + "' is not a NATS id; NATS ids are stream sequences like '42'");
        }
        return id;
    }

    @Override
    protected Health doHealth() {
        long start = System.nanoTime();
        try {
            if (connection.getStatus() != Connection.Status.CONNECTED) {
                return new Health(
                        false,
                        Duration.ofNanos(System.nanoTime() - start),
                        "not connected (" + connection.getStatus() + ")");
            }
            connection.flush(settings.requestTimeout());
            Duration rtt = Duration.ofNanos(System.nanoTime() - start);
            var info = connection.getServerInfo();
            return new Health(
                    true,
                    rtt,
                    "nats-server " + info.getVersion()
                            + (info.isJetStreamAvailable() ? " with JetStream" : " WITHOUT JetStream"));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return new Health(false, Duration.ofNanos(System.nanoTime() - start), errors.redact(String.valueOf(e)));
        }
    }

    @Override
    protected void doCreateStream(StreamName stream) {
        admin.createStream(stream);
    }

    @Override
    protected boolean doDeleteStream(StreamName stream) {
        return admin.deleteStream(stream);
    }

    @Override
    protected CompletableFuture<EventId> doAppend(StreamName stream, StreamRecord record) {
        return appender.append(stream, record);
    }

    @Override
    protected CompletableFuture<List<EventId>> doAppendBatch(StreamName stream, List<StreamRecord> records) {
        return appender.appendBatch(stream, records);
    }

    @Override
    protected AbstractStreamReader doOpenReader(StreamName stream, Position from) {
        return new NatsReader(this, stream, from);
    }

    @Override
    protected List<StreamEvent> doRange(StreamName stream, Position from, EventId toInclusive, int maxCount) {
        long to = toInclusive == null ? Long.MAX_VALUE : sequenceOf(toInclusive, "range end");
        return new RangeRead(this, stream).read(from, to, maxCount);
    }

    @Override
    protected StreamInfo doInfo(StreamName stream) {
        return admin.info(stream);
    }

    @Override
    protected long doTrim(StreamName stream, Trim trim) {
        return admin.trim(stream, trim);
    }

    @Override
    protected void doCreateGroup(StreamName stream, String group, GroupOptions options) {
        groups.create(stream, group, options);
    }

    @Override
    protected AbstractGroupConsumer doOpenGroupConsumer(StreamName stream, String group, String member) {
        groups.requireExisting(stream, group, member);
        return new NatsGroupConsumer(this, stream, group, member);
    }

    @Override
    protected GroupInfo doGroupInfo(StreamName stream, String group) {
        return groups.info(stream, group);
    }

    @Override
    protected List<GroupInfo> doGroups(StreamName stream) {
        return groups.list(stream);
    }

    @Override
    protected boolean doDeleteGroup(StreamName stream, String group) {
        return groups.delete(stream, group);
    }

    /**
     * Closes the connection within {@code remaining}, on a thread of its own: with a frozen server
     * jnats' close can block on the socket, and close must stay bounded. Readers, members and
     * pending appends are settled by the skeleton before this runs.
     */
    @Override
    protected void doClose(Duration remaining) {
        long deadline = System.nanoTime() + remaining.toNanos();
        Thread closer = new Thread(
                () -> {
                    try {
                        if (connection.getStatus() == Connection.Status.CONNECTED) {
                            // acks and consumer deletes published without waiting: let them leave
                            connection.flush(Duration.ofMillis(Math.max(1, remaining.toMillis() / 3)));
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
                },
                "tributary-nats-close");
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (closer.isAlive()) {
            LOG.warn(
                    "the NATS connection to {} did not close within {}; leaving it to close in the background",
                    settings.safeUri(),
                    settings.closeTimeout());
        }
    }
}
