package dev.tributary.spi;

import dev.tributary.AckResult;
import dev.tributary.EventId;
import dev.tributary.GroupConsumer;
import dev.tributary.Limits;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The skeleton of a {@link GroupConsumer}: a backend writes {@link #doPoll}, {@link #doAck},
 * {@link #doNack} and {@link #doClose()}; this class owns the closed flag and the checks, in one
 * order for every backend: closed check → argument checks → {@code do…}.
 *
 * <p>A poll that was blocked (or failing) when the consumer or its client closed ends
 * {@link dev.tributary.ErrorKind#CLOSED}. {@link #close()} is idempotent and acks nothing. {@link #stream()},
 * {@link #group()} and {@link #member()} answer after close.
 */
public abstract class AbstractGroupConsumer extends PollingEndpoint implements GroupConsumer {
    private final StreamName stream;
    private final String group;
    private final String member;

    protected AbstractGroupConsumer(StreamName stream, String group, String member, Limits limits) {
        super(limits, "member " + member + " of group " + group + " on " + stream.value());
        this.stream = stream;
        this.group = Objects.requireNonNull(group, "group");
        this.member = Objects.requireNonNull(member, "member");
    }

    @Override
    public final StreamName stream() {
        return stream;
    }

    @Override
    public final String group() {
        return group;
    }

    @Override
    public final String member() {
        return member;
    }

    @Override
    public final AckResult ack(Collection<EventId> ids) {
        ensureOpen();
        return doAck(List.copyOf(checkIds(ids)));
    }

    @Override
    public final void nack(Collection<EventId> ids) {
        ensureOpen();
        doNack(List.copyOf(checkIds(ids)));
    }

    /** A non-null collection of non-null ids (the one place this is checked). */
    static Collection<EventId> checkIds(Collection<EventId> ids) {
        if (ids == null) {
            throw StreamException.invalid("ids must not be null");
        }
        for (EventId id : ids) {
            if (id == null) {
                throw StreamException.invalid("ids must not contain null");
            }
        }
        return ids;
    }

    /** Events for this member (redeliveries first); arguments checked; returns promptly after {@link #doClose()}. */
    @Override
    protected abstract List<StreamEvent> doPoll(int maxCount, Duration wait);

    /** Acks {@code ids} (non-null, may be empty or hold another backend's ids, which count as unknown). */
    protected abstract AckResult doAck(List<EventId> ids);

    /** Gives {@code ids} back for prompt redelivery; unknown ids are ignored. */
    protected abstract void doNack(List<EventId> ids);
}
