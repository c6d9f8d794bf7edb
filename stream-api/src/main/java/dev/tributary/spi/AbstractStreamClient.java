package dev.tributary.spi;

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
import dev.tributary.StreamOptions;
import dev.tributary.StreamReader;
import dev.tributary.StreamRecord;
import dev.tributary.Trim;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The skeleton of a {@link StreamClient}: a backend extends it and writes only the {@code do…}
 * methods that talk to its broker. Every public method is final and runs, in one order for every
 * backend: <b>closed check → argument checks → capability check → {@code do…}</b>. So bad input
 * fails the same way everywhere, before any I/O, and nothing runs after close.
 *
 * <h2>What this class owns</h2>
 * <ul>
 *   <li>The closed flag: every operation after {@link #close()} fails {@link ErrorKind#CLOSED},
 *       {@link #parseId} included. The constant metadata ({@link #backend()},
 *       {@link #capabilities()}, {@link #limits()}) still answers.</li>
 *   <li>The open readers and group consumers, which close with the client.</li>
 *   <li>The close sequence, bounded by {@code closeTimeout}: stop accepting calls; close every
 *       reader and consumer (a blocked poll wakes and ends {@code CLOSED}); give pending appends
 *       half the timeout to be answered, then settle the rest through the {@link AppendWindow}
 *       ({@code INDETERMINATE} if they may have reached the broker, {@code CLOSED} only if never
 *       sent); then {@link #doClose(Duration)} releases the backend's resources in the time left.</li>
 * </ul>
 *
 * <h2>What a backend writes</h2>
 * The {@code do…} methods receive checked arguments (non-null names of the portable grammar,
 * records within {@link #limits()}, declared capabilities). Appends take room in the
 * {@linkplain #appendWindow() append window} with {@link AppendWindow#open(int)}, call
 * {@link AppendWindow.Append#sent()} just before the bytes may leave, and complete the returned
 * future from the broker's answer. Readers and consumers extend {@link AbstractStreamReader} and
 * {@link AbstractGroupConsumer}; a backend with consumer groups gathers them in one
 * {@link GroupBackend} and returns it from {@link #groupBackend()}.
 */
public abstract class AbstractStreamClient implements StreamClient {
    private final String backend;
    private final Set<Capability> capabilities;
    private final Limits limits;
    private final Duration closeTimeout;
    private final AppendWindow window;
    private final OpenEndpoints open = new OpenEndpoints();
    private final OpenState state;

    /**
     * @param backend      the provider's name
     * @param capabilities what this client supports
     * @param limits       the sizes it accepts
     * @param description  the client in messages, e.g. {@code "redis client of redis://host:6379"} (no secrets)
     * @param closeTimeout the bound of {@link #close()}
     * @param window       the append window, or {@code null} for a backend whose appends complete
     *                     before {@code appendAsync} returns
     */
    protected AbstractStreamClient(
            String backend,
            Set<Capability> capabilities,
            Limits limits,
            String description,
            Duration closeTimeout,
            AppendWindow window) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.capabilities = Set.copyOf(capabilities);
        this.limits = Objects.requireNonNull(limits, "limits");
        this.state = new OpenState(Objects.requireNonNull(description, "description"));
        this.closeTimeout = Objects.requireNonNull(closeTimeout, "closeTimeout");
        this.window = window;
    }

    // ---- metadata: constant, answers after close ----

    @Override
    public final String backend() {
        return backend;
    }

    @Override
    public final Set<Capability> capabilities() {
        return capabilities;
    }

    @Override
    public final Limits limits() {
        return limits;
    }

    // ---- operations ----

    @Override
    public final EventId parseId(String text) {
        ensureOpen();
        if (text == null) {
            throw StreamException.invalid("event id text must not be null");
        }
        return doParseId(text);
    }

    @Override
    public final Health health() {
        ensureOpen();
        return doHealth();
    }

    @Override
    public final void createStream(StreamName stream) {
        ensureOpen();
        doCreateStream(Checks.stream(stream));
    }

    @Override
    public final void createStream(StreamName stream, StreamOptions options) {
        ensureOpen();
        Checks.stream(stream);
        if (options == null) {
            throw StreamException.invalid("stream options must not be null (use StreamOptions.defaults())");
        }
        if (options.partitions() == 1) {
            doCreateStream(stream);
            return;
        }
        Checks.capability(Capability.PARTITIONED, capabilities, backend);
        doCreateStream(stream, options);
    }

    @Override
    public final boolean deleteStream(StreamName stream) {
        ensureOpen();
        return doDeleteStream(Checks.stream(stream));
    }

    @Override
    public final CompletableFuture<EventId> appendAsync(StreamName stream, StreamRecord record) {
        ensureOpen();
        Checks.stream(stream);
        Checks.record(record, limits);
        return doAppend(stream, record);
    }

    @Override
    public final CompletableFuture<List<EventId>> appendBatchAsync(StreamName stream, List<StreamRecord> records) {
        ensureOpen();
        Checks.stream(stream);
        Checks.batch(records, limits);
        return doAppendBatch(stream, List.copyOf(records));
    }

    @Override
    public final StreamReader openReader(StreamName stream, Position from) {
        ensureOpen();
        Checks.stream(stream);
        Position start = Checks.position(from, capabilities, backend);
        return open.track(doOpenReader(stream, start), state);
    }

    @Override
    public final List<StreamEvent> range(StreamName stream, Position from, EventId toInclusive, int maxCount) {
        ensureOpen();
        Checks.stream(stream);
        Position start = Checks.position(from, capabilities, backend);
        Checks.count(maxCount, limits);
        return doRange(stream, start, toInclusive, maxCount);
    }

    @Override
    public final StreamInfo info(StreamName stream) {
        ensureOpen();
        return doInfo(Checks.stream(stream));
    }

    @Override
    public final long trim(StreamName stream, Trim trim) {
        ensureOpen();
        Checks.stream(stream);
        Checks.trim(trim, capabilities, backend);
        return doTrim(stream, trim);
    }

    @Override
    public final void createGroup(StreamName stream, String group, GroupOptions options) {
        ensureOpen();
        Checks.stream(stream);
        Checks.group(group);
        if (options == null) {
            throw StreamException.invalid("group options must not be null (use GroupOptions.defaults())");
        }
        Position start = Checks.position(options.start(), capabilities, backend);
        Checks.capability(Capability.CONSUMER_GROUPS, capabilities, backend);
        doCreateGroup(stream, group, start == options.start() ? options : options.withStart(start));
    }

    @Override
    public final GroupConsumer openGroupConsumer(StreamName stream, String group, String member) {
        ensureOpen();
        Checks.stream(stream);
        Checks.group(group);
        Checks.member(member);
        Checks.capability(Capability.CONSUMER_GROUPS, capabilities, backend);
        return open.track(doOpenGroupConsumer(stream, group, member), state);
    }

    @Override
    public final GroupInfo groupInfo(StreamName stream, String group) {
        checkGroupCall(stream, group);
        return doGroupInfo(stream, group);
    }

    @Override
    public final List<GroupInfo> groups(StreamName stream) {
        ensureOpen();
        Checks.stream(stream);
        Checks.capability(Capability.CONSUMER_GROUPS, capabilities, backend);
        return doGroups(stream);
    }

    @Override
    public final boolean deleteGroup(StreamName stream, String group) {
        checkGroupCall(stream, group);
        return doDeleteGroup(stream, group);
    }

    /** Closed → stream → group → CONSUMER_GROUPS, for the calls that name one group. */
    private void checkGroupCall(StreamName stream, String group) {
        ensureOpen();
        Checks.stream(stream);
        Checks.group(group);
        Checks.capability(Capability.CONSUMER_GROUPS, capabilities, backend);
    }

    // ---- what a backend writes ----

    /** Parses an id of this backend's form; INVALID_ARGUMENT for anything else. {@code text} is non-null. */
    protected abstract EventId doParseId(String text);

    /** Probes the broker; never throws for an unreachable broker. */
    protected abstract Health doHealth();

    /**
     * Creates a checked stream; an existing stream is left as it is.
     *
     * @param stream the stream
     */
    protected abstract void doCreateStream(StreamName stream);

    /**
     * Creates a checked stream of several partitions; an existing stream is left as it is. Called
     * only on a client that declares {@link Capability#PARTITIONED}, which must override it.
     *
     * @param stream  the stream
     * @param options its partitions (more than one)
     */
    protected void doCreateStream(StreamName stream, StreamOptions options) {
        throw StreamException.unsupported(Capability.PARTITIONED, backend);
    }

    /**
     * Deletes a checked stream with its groups.
     *
     * @param stream the stream
     * @return whether it existed
     */
    protected abstract boolean doDeleteStream(StreamName stream);

    /** Appends one checked record; I/O failures complete the future exceptionally. */
    protected abstract CompletableFuture<EventId> doAppend(StreamName stream, StreamRecord record);

    /** Appends a checked, non-empty, immutable batch in order. */
    protected abstract CompletableFuture<List<EventId>> doAppendBatch(StreamName stream, List<StreamRecord> records);

    /** Opens a reader at a checked position, resolving {@code latest} now. */
    protected abstract AbstractStreamReader doOpenReader(StreamName stream, Position from);

    /** Reads history; {@code toInclusive} may be null or another backend's id (INVALID_ARGUMENT). */
    protected abstract List<StreamEvent> doRange(StreamName stream, Position from, EventId toInclusive, int maxCount);

    /**
     * Describes a checked stream; a missing one answers {@code exists=false}.
     *
     * @param stream the stream
     * @return what the broker knows of it
     */
    protected abstract StreamInfo doInfo(StreamName stream);

    /** Applies a trim whose capability is declared. */
    protected abstract long doTrim(StreamName stream, Trim trim);

    /**
     * The backend's consumer groups, which the {@code do…Group} methods call. A client that declares
     * {@link Capability#CONSUMER_GROUPS} overrides this, or those methods (a backend that picks a
     * different group machinery per stream, for example). The default fails {@code UNSUPPORTED}; the
     * capability check stops every call before it unless the client declares the capability.
     *
     * @return the groups
     */
    protected GroupBackend groupBackend() {
        throw StreamException.unsupported(Capability.CONSUMER_GROUPS, backend);
    }

    /** Creates a checked group: {@link GroupBackend#create}. */
    protected void doCreateGroup(StreamName stream, String group, GroupOptions options) {
        groupBackend().create(stream, group, options);
    }

    /** Opens a member of an existing group: {@link GroupBackend#open}. */
    protected AbstractGroupConsumer doOpenGroupConsumer(StreamName stream, String group, String member) {
        return groupBackend().open(stream, group, member);
    }

    /** Describes a group: {@link GroupBackend#info}. */
    protected GroupInfo doGroupInfo(StreamName stream, String group) {
        return groupBackend().info(stream, group);
    }

    /** Lists the groups of a stream: {@link GroupBackend#list}. */
    protected List<GroupInfo> doGroups(StreamName stream) {
        return groupBackend().list(stream);
    }

    /** Deletes a group: {@link GroupBackend#delete}. */
    protected boolean doDeleteGroup(StreamName stream, String group) {
        return groupBackend().delete(stream, group);
    }

    /**
     * Releases the backend's resources (connections, threads), bounded by {@code remaining}. Runs
     * once, after every reader and consumer closed and pending appends were settled.
     */
    protected abstract void doClose(Duration remaining);

    // ---- helpers for backends ----

    /** The append window given to the constructor (null if none). */
    protected final AppendWindow appendWindow() {
        return window;
    }

    /** Whether {@link #close()} started. */
    protected final boolean isClosed() {
        return state.isClosed();
    }

    /** Fails with {@link ErrorKind#CLOSED} once {@link #close()} started. */
    protected final void ensureOpen() {
        state.ensureOpen();
    }

    /** The client in messages. */
    protected final String description() {
        return state.description();
    }

    // ---- close ----

    @Override
    public final void close() {
        if (!state.closeOnce()) {
            return;
        }
        long end = System.nanoTime() + closeTimeout.toNanos();
        open.closeAll(System.nanoTime() + closeTimeout.toNanos() / 2);
        if (window != null) {
            window.close(Duration.ofNanos(Math.max(0, (end - System.nanoTime()) / 2)));
        }
        doClose(Duration.ofNanos(Math.max(0, end - System.nanoTime())));
    }

    @Override
    public String toString() {
        return state.toString();
    }
}
