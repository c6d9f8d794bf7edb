package dev.tributary;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * One member of a consumer group, opened by
 * {@link StreamClient#openGroupConsumer(StreamName, String, String)}.
 *
 * <p>Each event of the stream goes to one member of the group. An event that is not acked within
 * the group's ack timeout is delivered again — to this or another live member — with its
 * {@link StreamEvent#deliveryCount()} raised. Independent groups each see every event.
 *
 * <p>A consumer is used by one thread at a time; {@link #ack} may be called from any thread.
 * Closing the consumer does not ack anything: its unacked events are redelivered after the ack
 * timeout. Closing the client wakes a blocked poll, which then fails with {@link ErrorKind#CLOSED}.
 */
public interface GroupConsumer extends AutoCloseable {

    /** The stream this consumer reads. */
    StreamName stream();

    /** The consumer group this consumer belongs to. */
    String group();

    /** This consumer's member name within its group. */
    String member();

    /**
     * Returns up to {@code maxCount} events for this member: redeliveries of events whose ack
     * timeout expired first, then new events; waits up to {@code wait} when there are none.
     *
     * @throws StreamException {@link ErrorKind#NOT_FOUND} if the stream or group does not exist
     *                         (within the call's bound), {@link ErrorKind#DATA_LOSS} if the broker
     *                         lost the group, {@link ErrorKind#INVALID_ARGUMENT} for a bad count or
     *                         wait, {@link ErrorKind#CLOSED} after close
     */
    List<StreamEvent> poll(int maxCount, Duration wait);

    /**
     * Acknowledges events so they are not delivered again. Idempotent: acking an id twice, or an
     * id this group never delivered, is not an error; it is counted in {@link AckResult#unknown()}.
     */
    AckResult ack(Collection<EventId> ids);

    /** Acknowledges events. */
    default AckResult ack(EventId... ids) {
        return ack(List.of(ids));
    }

    /**
     * Gives events back: they are redelivered (to any member) soon, not after the ack timeout, with
     * their delivery count raised. Unknown ids are ignored.
     */
    void nack(Collection<EventId> ids);

    /** Idempotent. Unacked events stay pending and are redelivered after the ack timeout. */
    @Override
    void close();
}
