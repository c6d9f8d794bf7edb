/**
 * Handler logic on top of any {@link dev.tributary.StreamClient}: processors that read and hand
 * events to application code ({@link dev.tributary.core.TailProcessor} with a
 * {@link dev.tributary.core.CheckpointStore}, {@link dev.tributary.core.GroupProcessor} with acks),
 * their lifecycle ({@link dev.tributary.core.ProcessorState}), error policy (retry with
 * {@link dev.tributary.core.Backoff}, a {@link dev.tributary.core.CircuitBreaker}, dead letters),
 * typed publishing ({@link dev.tributary.core.Publisher}) and {@link dev.tributary.core.Codec}s.
 *
 * <p>Everything here depends on the contract only and behaves the same on every backend. Decisions
 * about failures read only the {@link dev.tributary.ErrorKind}. Time and sleeping are injected
 * ({@link java.time.Clock}, {@link dev.tributary.core.Sleeper}) so tests need no real waiting. No
 * class here closes the {@link dev.tributary.StreamClient}: it belongs to the application.
 */
package dev.tributary.core;
