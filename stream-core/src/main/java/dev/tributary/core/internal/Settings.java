package dev.tributary.core.internal;

import dev.tributary.StreamClient;
import dev.tributary.StreamName;
import dev.tributary.core.Backoff;
import dev.tributary.core.BatchHandler;
import dev.tributary.core.CircuitBreaker;
import dev.tributary.core.Codec;
import dev.tributary.core.DeadLetterPolicy;
import dev.tributary.core.EventFilter;
import dev.tributary.core.GapPolicy;
import dev.tributary.core.Handler;
import dev.tributary.core.ProcessorListener;
import dev.tributary.core.RetryPolicy;
import dev.tributary.core.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.random.RandomGenerator;

/** Everything a processor was built with, validated by its builder. Exactly one of the handlers is set. */
public record Settings<T>(
        StreamClient client,
        StreamName stream,
        Codec<T> codec,
        String name,
        Handler<T> handler,
        BatchHandler<T> batchHandler,
        EventFilter filter,
        ProcessorListener listener,
        RetryPolicy retry,
        Backoff sourceBackoff,
        CircuitBreaker.Settings breaker,
        DeadLetterPolicy deadLetters,
        GapPolicy gapPolicy,
        Clock clock,
        Sleeper sleeper,
        RandomGenerator random,
        int batchSize,
        Duration pollWait,
        Duration stopTimeout,
        Duration lagInterval,
        ThreadFactory threadFactory) {

    /** Longest single sleep, so that a stop request is noticed promptly during backoff. */
    public static final Duration SLEEP_SLICE = Duration.ofMillis(50);
}
