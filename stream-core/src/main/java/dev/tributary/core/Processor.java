package dev.tributary.core;

import java.time.Duration;
import java.util.Optional;

/**
 * A running consumer of a stream: {@link TailProcessor} or {@link GroupProcessor}.
 *
 * <h2>Lifecycle and threads</h2>
 * A processor runs its loop on one thread of its own (named after the processor). {@link #start()}
 * and {@link #stop()} may be called from any number of threads at once: at most one loop runs at any
 * time and every thread a loop used has ended once the processor is {@code STOPPED} or
 * {@code FAILED}. {@link #stop()} may be called from inside the handler: it returns at once and the
 * loop ends after the current batch. {@link #stop(Duration)} is bounded even when the broker hangs:
 * past its timeout it closes the processor's reader or consumer (which wakes a blocked read) and
 * interrupts the loop.
 *
 * <p>A processor never closes the {@link dev.tributary.StreamClient} it was built with.
 */
public interface Processor extends AutoCloseable {

    /** The processor's name: its checkpoint key (tail), member prefix (group) and thread name. */
    String name();

    /**
     * Starts the loop. From {@code NEW}, {@code STOPPED} or {@code FAILED} it starts a new loop and
     * returns true; while {@code RUNNING} it does nothing and returns false. While a stop is in
     * progress ({@code STOPPING}) it waits for the old loop to end (bounded by the processor's stop
     * timeout) and then starts.
     *
     * @throws IllegalStateException when called from the processor's own thread while it is stopping,
     *                               or when the old loop did not end within the stop timeout
     */
    boolean start();

    /** {@link #stop(Duration)} with the processor's configured stop timeout. */
    boolean stop();

    /**
     * Asks the loop to end after its current batch and waits for it, at most {@code timeout}.
     * Called from the processor's own thread (the handler or a listener), it only asks and returns.
     *
     * @return true when no loop runs any more and every loop thread has ended, including one that
     *         was still telling the listener about its end (or the call came from the loop itself and
     *         the stop is recorded); false when that had not happened within the timeout
     */
    boolean stop(Duration timeout);

    /** The current state. */
    ProcessorState state();

    /** The error that made the processor {@code FAILED}; empty in any other state. */
    Optional<Throwable> failure();

    /**
     * Waits until no loop runs (state {@code NEW}, {@code STOPPED} or {@code FAILED}), at most
     * {@code timeout}; returns whether that holds.
     */
    boolean awaitTermination(Duration timeout) throws InterruptedException;

    /** The state of the circuit breaker around the processor's source. */
    CircuitBreaker.State circuitState();

    /** Same as {@link #stop()}. */
    @Override
    default void close() {
        stop();
    }
}
