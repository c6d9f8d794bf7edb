package dev.tributary.spi;

import dev.tributary.AckResult;
import dev.tributary.EventId;
import dev.tributary.GroupConsumer;
import dev.tributary.StreamEvent;
import dev.tributary.StreamName;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/** A {@link GroupConsumer} that forwards every call to a delegate; subclasses change what they need. */
public class ForwardingGroupConsumer implements GroupConsumer {
    private final GroupConsumer delegate;

    /** A consumer that forwards every call to {@code delegate}. */
    public ForwardingGroupConsumer(GroupConsumer delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The wrapped consumer. */
    protected GroupConsumer delegate() {
        return delegate;
    }

    @Override
    public StreamName stream() {
        return delegate.stream();
    }

    @Override
    public String group() {
        return delegate.group();
    }

    @Override
    public String member() {
        return delegate.member();
    }

    @Override
    public List<StreamEvent> poll(int maxCount, Duration wait) {
        return delegate.poll(maxCount, wait);
    }

    @Override
    public AckResult ack(Collection<EventId> ids) {
        return delegate.ack(ids);
    }

    @Override
    public void nack(Collection<EventId> ids) {
        delegate.nack(ids);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
