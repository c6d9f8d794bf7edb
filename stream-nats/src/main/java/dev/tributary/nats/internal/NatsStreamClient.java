package dev.tributary.nats.internal;

import dev.tributary.Capability;
import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.GroupInfo;
import dev.tributary.GroupOptions;
import dev.tributary.Headers;
import dev.tributary.Health;
import dev.tributary.Position;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamInfo;
import dev.tributary.StreamName;
import dev.tributary.StreamOptions;
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
import java.util.function.IntFunction;
import java.util.function.Supplier;

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
    /** The capabilities every client of this backend declares. */
    public static final Set<Capability> CAPABILITIES = Collections.unmodifiableSet(EnumSet.of(
            Capability.CONSUMER_GROUPS,
            Capability.IDEMPOTENT_APPEND,
            Capability.TIME_POSITION,
            Capability.TRIM_BY_LENGTH,
            Capability.EXACT_TRIM,
            Capability.TRIM_BY_ID,
            Capability.TRIM_BY_AGE,
            Capability.PARTITIONED));

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
    private final NatsPartitions partitions;
    private final PartitionedAppender partitionedAppender;
    private final PartitionedGroups partitionedGroups;
    /** Trims this client started; a reader drops what it read ahead when this changed (see {@link NatsReader}). */
    private final java.util.concurrent.atomic.AtomicLong trims = new java.util.concurrent.atomic.AtomicLong();

    NatsStreamClient(NatsSettings settings, Connection connection, NatsErrors errors, Clock clock) {
        super(
                BACKEND,
                CAPABILITIES,
                settings.limits(connection.getServerInfo().getMaxPayload()),
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
        JetStreamOptions probe = JetStreamOptions.builder()
                .requestTimeout(min(settings.requestTimeout(), NatsAdmin.PROBE_TIMEOUT))
                .build();
        try {
            this.admin = new NatsAdmin(
                    settings,
                    connection,
                    connection.jetStreamManagement(jso),
                    connection.jetStreamManagement(probe),
                    names,
                    errors,
                    clock,
                    this::isClosed);
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
        this.partitions = new NatsPartitions(admin, names);
        this.partitionedAppender = new PartitionedAppender(appender, partitions);
        this.partitionedGroups = new PartitionedGroups(groups, partitions);
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

    NatsPartitions partitions() {
        return partitions;
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
                target.eventId(d.streamSequence()),
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

    // Each operation asks NatsPartitions how many partitions the stream has (known after the first
    // look-up): one goes the way it always went, several through the Partitioned… helpers.

    @Override
    protected void doCreateStream(StreamName stream) {
        int n = partitions.lookup(stream);
        if (n > 1) {
            partitions.create(stream, n); // an existing stream keeps its count
        } else {
            admin.createStream(stream);
            partitions.learned(stream, 1);
        }
    }

    @Override
    protected void doCreateStream(StreamName stream, StreamOptions options) {
        if (names.target(stream).adopted()) {
            admin.createStream(stream); // another application's stream: one partition, checked only
        } else {
            partitions.create(stream, options.partitions());
        }
    }

    @Override
    protected boolean doDeleteStream(StreamName stream) {
        int n = partitions.count(stream);
        partitions.forget(stream);
        return n == 1 ? admin.deleteStream(stream) : partitions.delete(stream, n);
    }

    @Override
    protected CompletableFuture<EventId> doAppend(StreamName stream, StreamRecord record) {
        return appendTo(
                stream, () -> appender.append(stream, record), n -> partitionedAppender.append(stream, n, record));
    }

    @Override
    protected CompletableFuture<List<EventId>> doAppendBatch(StreamName stream, List<StreamRecord> records) {
        return appendTo(
                stream,
                () -> appender.appendBatch(stream, records),
                n -> partitionedAppender.appendBatch(stream, n, records));
    }

    /** An append in the form for the stream's layout (one partition, or the count of them). */
    private <T> CompletableFuture<T> appendTo(
            StreamName stream, Supplier<CompletableFuture<T>> single, IntFunction<CompletableFuture<T>> partitioned) {
        int n;
        try {
            n = partitions.count(stream);
        } catch (StreamException e) {
            return CompletableFuture.failedFuture(e); // nothing was sent
        }
        return forgetIfMissing(stream, n == 1 ? single.get() : partitioned.apply(n));
    }

    /** An append that found no stream: the partition count is looked up again next time. */
    private <T> CompletableFuture<T> forgetIfMissing(StreamName stream, CompletableFuture<T> append) {
        var unused = append.whenComplete((ok, err) -> {
            if (err != null && StreamException.unwrap(err).kind() == ErrorKind.NOT_FOUND) {
                partitions.forget(stream);
            }
        });
        return append;
    }

    @Override
    protected AbstractStreamReader doOpenReader(StreamName stream, Position from) {
        int n = partitions.count(stream);
        return n == 1 ? new NatsReader(this, stream, single(from)) : new PartitionedReader(this, stream, n, from);
    }

    @Override
    protected List<StreamEvent> doRange(StreamName stream, Position from, EventId toInclusive, int maxCount) {
        int n = partitions.count(stream);
        if (n > 1) {
            return PartitionedRange.read(this, stream, n, from, toInclusive, maxCount);
        }
        long to = toInclusive == null ? Long.MAX_VALUE : sequenceOf(toInclusive, "range end");
        return new RangeRead(this, stream).read(single(from), to, maxCount);
    }

    /** A one-partition stream's start: a cursor of one partition is its one position. */
    private static Position single(Position from) {
        if (from instanceof Position.AfterCursor c) {
            if (c.cursor().partitionCount() != 1) {
                throw StreamException.invalid("cursor " + c.cursor() + " covers "
                        + c.cursor().partitionCount() + " partitions, the stream has 1");
            }
            return c.cursor().position(0);
        }
        if (from instanceof Position.After a && a.id().isPartitioned()) {
            throw StreamException.invalid(
                    "'" + a.id() + "' is a partitioned id, but the stream has one partition; use its plain id");
        }
        return from;
    }

    @Override
    protected StreamInfo doInfo(StreamName stream) {
        int n = partitions.count(stream);
        return n == 1 ? admin.info(stream) : partitions.info(stream, n);
    }

    @Override
    protected long doTrim(StreamName stream, Trim trim) {
        trims.incrementAndGet();
        int n = partitions.count(stream);
        return n == 1 ? admin.trim(stream, trim) : partitions.trim(stream, n, trim);
    }

    /** How many trims this client has started. */
    long trims() {
        return trims.get();
    }

    @Override
    protected void doCreateGroup(StreamName stream, String group, GroupOptions options) {
        int n = partitions.count(stream);
        if (n == 1) {
            groups.create(stream, group, options.withStart(single(options.start())));
        } else {
            partitionedGroups.create(stream, n, group, options);
        }
    }

    @Override
    protected AbstractGroupConsumer doOpenGroupConsumer(StreamName stream, String group, String member) {
        int n = partitions.count(stream);
        if (n > 1) {
            partitionedGroups.requireExisting(stream, n, group, member);
            return new PartitionedGroupConsumer(this, stream, n, group, member);
        }
        groups.requireExisting(stream, group, member);
        return new NatsGroupConsumer(this, stream, group, member);
    }

    @Override
    protected GroupInfo doGroupInfo(StreamName stream, String group) {
        int n = partitions.count(stream);
        return n == 1 ? groups.info(stream, group) : partitionedGroups.info(stream, n, group);
    }

    @Override
    protected List<GroupInfo> doGroups(StreamName stream) {
        int n = partitions.count(stream);
        return n == 1 ? groups.list(stream) : partitionedGroups.list(stream, n);
    }

    @Override
    protected boolean doDeleteGroup(StreamName stream, String group) {
        int n = partitions.count(stream);
        return n == 1 ? groups.delete(stream, group) : partitionedGroups.delete(stream, n, group);
    }

    /**
     * Closes the connection within {@code remaining} ({@link ConnectionCloser}). Readers, members and
     * pending appends are settled by the skeleton before this runs.
     */
    @Override
    protected void doClose(Duration remaining) {
        ConnectionCloser.close(connection, remaining, errors, settings);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
