package dev.tributary.spring.boot;

import dev.tributary.StreamClient;
import dev.tributary.core.BatchHandler;
import dev.tributary.core.Handler;

/**
 * Wraps processor handlers passed through {@link TributaryProcessors#traced(Handler)} and
 * {@link TributaryProcessors#tracedBatch(BatchHandler)}; the tracing auto-configuration contributes
 * one that records a process span per call. At most one is used (the first in order).
 */
public interface ProcessorHandlerDecorator {
    /** The handler to run in place of {@code handler} for a processor reading through {@code client}. */
    <T> Handler<T> handler(StreamClient client, Handler<T> handler);

    /** The batch handler to run in place of {@code handler}. */
    <T> BatchHandler<T> batchHandler(StreamClient client, BatchHandler<T> handler);
}
