package dev.tributary.core;

import dev.tributary.StreamEvent;

/**
 * Chooses the events the handler sees, on the raw event (before decoding). A rejected event is
 * handled in the sense of the processor: the tail checkpoint advances past it and a group processor
 * acks it. A batch in which every event is rejected still moves the checkpoint to its last id.
 *
 * <p>A filter that throws is treated like a failing handler for that event: retried per the
 * {@link RetryPolicy}, then dead-lettered.
 */
@FunctionalInterface
public interface EventFilter {
    /** Whether {@code event} goes to the handler; a filtered event counts as handled. */
    boolean accept(StreamEvent event);

    /** Accepts everything. */
    static EventFilter all() {
        return e -> true;
    }
}
