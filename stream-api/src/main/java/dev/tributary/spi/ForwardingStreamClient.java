package dev.tributary.spi;

import dev.tributary.Capability;
import dev.tributary.EventId;
import dev.tributary.GroupConsumer;
import dev.tributary.GroupInfo;
import dev.tributary.GroupOptions;
import dev.tributary.Health;
import dev.tributary.Limits;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamInfo;
import dev.tributary.StreamName;
import dev.tributary.StreamOptions;
import dev.tributary.StreamReader;
import dev.tributary.StreamRecord;
import dev.tributary.Trim;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link StreamClient} that forwards every call to a delegate. Subclasses override the calls
 * whose behaviour they change. The blocking {@code append} and {@code appendBatch} are not
 * overridden: they go through this class's {@link #appendAsync} and {@link #appendBatchAsync}, so
 * overriding the asynchronous form changes both. {@link #supports(Capability)} reads this class's
 * {@link #capabilities()}. Readers and group members the client opens pass through
 * {@link #wrapReader} and {@link #wrapConsumer}, so a decorator reaches them too.
 */
public class ForwardingStreamClient implements StreamClient {
    private final StreamClient delegate;

    /** A client that forwards every call to {@code delegate}. */
    public ForwardingStreamClient(StreamClient delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The wrapped client. */
    protected StreamClient delegate() {
        return delegate;
    }

    @Override
    public String backend() {
        return delegate.backend();
    }

    @Override
    public Set<Capability> capabilities() {
        return delegate.capabilities();
    }

    @Override
    public Limits limits() {
        return delegate.limits();
    }

    @Override
    public EventId parseId(String text) {
        return delegate.parseId(text);
    }

    @Override
    public Health health() {
        return delegate.health();
    }

    @Override
    public void createStream(StreamName stream) {
        delegate.createStream(stream);
    }

    @Override
    public void createStream(StreamName stream, StreamOptions options) {
        delegate.createStream(stream, options);
    }

    @Override
    public boolean deleteStream(StreamName stream) {
        return delegate.deleteStream(stream);
    }

    @Override
    public CompletableFuture<EventId> appendAsync(StreamName stream, StreamRecord record) {
        return delegate.appendAsync(stream, record);
    }

    @Override
    public CompletableFuture<List<EventId>> appendBatchAsync(StreamName stream, List<StreamRecord> records) {
        return delegate.appendBatchAsync(stream, records);
    }

    @Override
    public StreamReader openReader(StreamName stream, Position from) {
        return wrapReader(delegate.openReader(stream, from));
    }

    /**
     * Wraps every reader this client opens; the default returns it as it is. A decorator that changes
     * or observes reads overrides this (typically returning a {@link ForwardingStreamReader}) instead
     * of {@link #openReader}.
     */
    protected StreamReader wrapReader(StreamReader reader) {
        return reader;
    }

    @Override
    public List<StreamEvent> range(StreamName stream, Position from, EventId toInclusive, int maxCount) {
        return delegate.range(stream, from, toInclusive, maxCount);
    }

    @Override
    public StreamInfo info(StreamName stream) {
        return delegate.info(stream);
    }

    @Override
    public long trim(StreamName stream, Trim trim) {
        return delegate.trim(stream, trim);
    }

    @Override
    public void createGroup(StreamName stream, String group, GroupOptions options) {
        delegate.createGroup(stream, group, options);
    }

    @Override
    public GroupConsumer openGroupConsumer(StreamName stream, String group, String member) {
        return wrapConsumer(delegate.openGroupConsumer(stream, group, member));
    }

    /**
     * Wraps every group member this client opens; the default returns it as it is. A decorator that
     * changes or observes group reads and acks overrides this (typically returning a
     * {@link ForwardingGroupConsumer}) instead of {@link #openGroupConsumer}.
     */
    protected GroupConsumer wrapConsumer(GroupConsumer consumer) {
        return consumer;
    }

    @Override
    public GroupInfo groupInfo(StreamName stream, String group) {
        return delegate.groupInfo(stream, group);
    }

    @Override
    public List<GroupInfo> groups(StreamName stream) {
        return delegate.groups(stream);
    }

    @Override
    public boolean deleteGroup(StreamName stream, String group) {
        return delegate.deleteGroup(stream, group);
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + delegate + "]";
    }
}
