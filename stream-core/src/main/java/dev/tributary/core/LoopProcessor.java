package dev.tributary.core;

import dev.tributary.StreamName;
import dev.tributary.core.internal.Lifecycle;
import dev.tributary.core.internal.Settings;
import java.time.Duration;
import java.util.Optional;

/**
 * What the tail and group processors share: their settings, the circuit breaker around the source,
 * and the lifecycle that runs one loop at a time. Subclasses build their loop and hand it to
 * {@link #run(Lifecycle.Body)} from their constructor.
 */
abstract class LoopProcessor<T> implements Processor {
    final Settings<T> settings;
    final CircuitBreaker breaker;
    private Lifecycle lifecycle;

    LoopProcessor(Settings<T> settings) {
        this.settings = settings;
        // Probes follow the source backoff (capped by the breaker's open duration): a broker that
        // answers again is noticed within about a second, not after a fixed open period.
        this.breaker = new CircuitBreaker(
                settings.breaker(),
                settings.sourceBackoff(),
                settings.random(),
                settings.clock(),
                (from, to) -> settings.listener().onCircuitStateChange(settings.name(), from, to));
    }

    /** Tells the listener what this processor reads; called once, from the subclass constructor. */
    final void announce(String group) {
        settings.listener().onCreated(settings.name(), settings.client().backend(), settings.stream(), group);
    }

    /** Binds the loop this processor runs; called once, from the subclass constructor. */
    final void run(Lifecycle.Body loop) {
        this.lifecycle = new Lifecycle(
                settings.name(), settings.threadFactory(), settings.listener(), settings.stopTimeout(), loop);
    }

    @Override
    public String name() {
        return settings.name();
    }

    /** The stream this processor reads. */
    public StreamName stream() {
        return settings.stream();
    }

    @Override
    public boolean start() {
        return lifecycle.start();
    }

    @Override
    public boolean stop() {
        return lifecycle.stop(settings.stopTimeout());
    }

    @Override
    public boolean stop(Duration timeout) {
        return lifecycle.stop(timeout);
    }

    @Override
    public ProcessorState state() {
        return lifecycle.state();
    }

    @Override
    public Optional<Throwable> failure() {
        return lifecycle.failure();
    }

    @Override
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return lifecycle.awaitTermination(timeout);
    }

    @Override
    public CircuitBreaker.State circuitState() {
        return breaker.state();
    }
}
