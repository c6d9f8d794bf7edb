package dev.tributary.core;

import java.util.List;

/**
 * Application code called once per batch (the events of one read that passed the filter and
 * decoded, in stream order). Returning normally means all of them are handled.
 *
 * <p>Throwing means the batch failed: it is retried as a whole per the {@link RetryPolicy}; when the
 * attempts are used up, the events are handed over again one at a time (singleton lists, each with
 * its own retries) so that only the events that still fail go to the dead-letter stream. A batch
 * handler must therefore tolerate seeing an event again (processing is at least once anyway).
 */
@FunctionalInterface
public interface BatchHandler<T> {
    /** Handles a batch of messages; a thrown exception makes the processor retry the batch. */
    void handle(List<Message<T>> batch) throws Exception;
}
