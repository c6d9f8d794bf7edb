package dev.tributary.core;

import dev.tributary.EventId;
import dev.tributary.Position;
import dev.tributary.StreamEvent;
import dev.tributary.StreamName;
import java.time.Duration;

/**
 * Hears what a processor does. Every method has an empty default, so a listener implements only
 * what it needs. Methods are called on the processor's loop thread, except: state changes, which
 * may also come from a thread that called start or stop (they are delivered one at a time, in the
 * order they happened); and handler retries and dead letters of a group processor with a
 * concurrency above 1, which come from its lane threads, concurrently. Methods should return
 * quickly and may call {@link Processor#stop()}. An exception thrown by a listener is logged and
 * otherwise ignored.
 */
public interface ProcessorListener {

    /**
     * Called once, when the processor is built and before any other method: what it reads.
     * {@code backend} is the client's {@link dev.tributary.StreamClient#backend()}; {@code group} is
     * null for a tail processor. A listener shared by several processors tells them apart by name.
     */
    default void onCreated(String processor, String backend, StreamName stream, String group) {}

    /** The processor moved from {@code from} to {@code to}; {@code cause} is set for {@code FAILED}. */
    default void onStateChange(String processor, ProcessorState from, ProcessorState to, Throwable cause) {}

    /**
     * A batch was read and handled: {@code received} events, of which {@code filtered} were rejected
     * by the filter and {@code deadLettered} went to the dead-letter stream; {@code lastId} is the id
     * the processor checkpointed or the last id it acked.
     */
    default void onBatch(String processor, int received, int filtered, int deadLettered, EventId lastId) {}

    /** A tail processor saved its checkpoint. */
    default void onCheckpoint(String processor, EventId checkpoint) {}

    /**
     * An error happened. {@code willRetry} says whether the processor retries (after
     * {@link #onRetry}) or fails.
     */
    default void onError(String processor, Throwable error, boolean willRetry) {}

    /**
     * The processor waits {@code delay} before attempt {@code attempt + 1} of {@code operation}
     * ({@code poll}, {@code open}, {@code ack}, {@code checkpoint}, {@code handler},
     * {@code dead-letter}, ...).
     */
    default void onRetry(String processor, String operation, int attempt, Duration delay, Throwable error) {}

    /** The circuit breaker around the source moved from {@code from} to {@code to}. */
    default void onCircuitStateChange(String processor, CircuitBreaker.State from, CircuitBreaker.State to) {}

    /**
     * Events were lost before they were read: the processor wanted to continue at {@code expected}
     * but the stream's retained head lies beyond it. {@code policy} says what happens next.
     */
    default void onGap(String processor, StreamName stream, Position expected, GapPolicy policy) {}

    /** After a gap, the processor continues at {@code resumedAt} (for {@link GapPolicy#CONTINUE_FROM_EARLIEST}). */
    default void onGapSkipped(String processor, StreamName stream, Position resumedAt) {}

    /**
     * The handler returned ({@code error} null) or threw, after {@code elapsed}: one call with
     * {@code events} messages (1 for a per-event handler, the batch size for a batch handler). Called
     * for every attempt, retries included, on the thread that called the handler; not called for
     * events the filter rejected or that could not be decoded.
     */
    default void onHandlerCall(String processor, int events, Duration elapsed, Throwable error) {}

    /** An event went to the dead-letter stream after {@code attempts} handler calls. */
    default void onDeadLetter(
            String processor,
            StreamEvent event,
            StreamName deadLetterStream,
            EventId deadLetterId,
            int attempts,
            Throwable error) {}

    /**
     * How far behind the processor is: events not yet read (tail) or not yet delivered (group), or -1
     * when the backend cannot tell. Reported every lag interval, from a thread of the processor's own
     * (the check asks the broker and must not hold up event handling), never two at a time.
     */
    default void onLag(String processor, long lag) {}
}
