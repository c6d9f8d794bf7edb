package dev.tributary.core;

/**
 * Application code called once per event. Returning normally means the event is handled: a tail
 * processor may checkpoint past it, a group processor acks it. Throwing anything means it failed: it
 * is retried per the {@link RetryPolicy}, then dead-lettered per the {@link DeadLetterPolicy}.
 *
 * <p>A handler is called on the processor's thread (or one lane thread per key group when a group
 * processor has a concurrency above 1), never for two events of the same key at once.
 */
@FunctionalInterface
public interface Handler<T> {
    /** Handles one message; a thrown exception makes the processor retry it, then dead-letter it. */
    void handle(Message<T> message) throws Exception;
}
