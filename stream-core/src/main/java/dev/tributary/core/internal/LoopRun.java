package dev.tributary.core.internal;

import dev.tributary.core.CircuitBreaker;
import dev.tributary.core.Processor;

/**
 * What one run of a processor loop works with, built the same way for the tail and the group loop:
 * the retrying wrapper around the source (behind the circuit breaker), the one for local work
 * (checkpoints, dead letters: no breaker), and the dispatcher that hands batches to the handler;
 * all of them sleep through one pacer that wakes when a stop is requested.
 */
record LoopRun<T>(Retrying source, Retrying local, Dispatcher<T> dispatcher) {

    /** Resets the breaker and builds the tools of a new run; {@code group} is null for a tail. */
    static <T> LoopRun<T> start(
            Settings<T> s, Processor processor, CircuitBreaker breaker, Lifecycle.Run run, String group) {
        breaker.reset();
        Pacer pacer = new Pacer(s.sleeper(), run::stopRequested);
        Retrying source = new Retrying(s.name(), s.sourceBackoff(), s.random(), breaker, s.listener(), pacer);
        Retrying local = new Retrying(s.name(), s.sourceBackoff(), s.random(), null, s.listener(), pacer);
        Dispatcher<T> dispatcher =
                new Dispatcher<>(s, processor, pacer, new DeadLetterWriter(s.client(), s.name(), group, local));
        return new LoopRun<>(source, local, dispatcher);
    }
}
