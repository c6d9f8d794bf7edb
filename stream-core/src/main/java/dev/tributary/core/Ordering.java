package dev.tributary.core;

/**
 * What order a {@link Publisher} keeps among the events it publishes, across retries.
 *
 * <p>"Earlier" means accepted earlier by {@link Publisher#publish} (call order on one thread; the
 * order in which concurrent calls got in otherwise). Order is kept among the events of one publisher;
 * two publishers of the same stream are not ordered with each other.
 */
public enum Ordering {

    /**
     * The default. An event is not sent while an earlier event that it must follow is unresolved
     * (sent and not yet answered, or waiting for a retry): for an event with a key, every earlier
     * event with the same key (byte-wise equal) and every earlier event without a key; for an event
     * without a key, every earlier event. So the events of one key are stored in publish order, and
     * an event without a key is stored after everything published before it and before everything
     * published after it. Events of different keys are sent concurrently (pipelined); the events of
     * one key, and events without a key, go one round trip at a time.
     */
    PER_KEY,

    /**
     * No order: every event is sent at once and retried on its own. An event that is retried may be
     * stored after events published later (of its key too). For raw throughput where order does not
     * matter, or where events are independent.
     */
    NONE
}
