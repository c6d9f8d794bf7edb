package dev.tributary.spring.boot.internal;

import dev.tributary.EventId;
import dev.tributary.Position;
import dev.tributary.StreamEvent;
import dev.tributary.StreamName;
import dev.tributary.core.CircuitBreaker;
import dev.tributary.core.GapPolicy;
import dev.tributary.core.ProcessorListener;
import dev.tributary.core.ProcessorState;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Hands every call to each listener in turn. A listener that throws does not keep the others from
 * hearing the call (the processor logs and ignores listener errors, but would stop at the first).
 */
public final class CompositeProcessorListener implements ProcessorListener {
    private final List<ProcessorListener> listeners;

    private CompositeProcessorListener(List<ProcessorListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    /** Null for no listener, the listener itself for one, else a composite. */
    public static ProcessorListener of(List<ProcessorListener> listeners) {
        if (listeners.isEmpty()) {
            return null;
        }
        return listeners.size() == 1 ? listeners.get(0) : new CompositeProcessorListener(listeners);
    }

    private void each(Consumer<ProcessorListener> call) {
        RuntimeException first = null;
        for (ProcessorListener l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public void onCreated(String processor, String backend, StreamName stream, String group) {
        each(l -> l.onCreated(processor, backend, stream, group));
    }

    @Override
    public void onStateChange(String processor, ProcessorState from, ProcessorState to, Throwable cause) {
        each(l -> l.onStateChange(processor, from, to, cause));
    }

    @Override
    public void onBatch(String processor, int received, int filtered, int deadLettered, EventId lastId) {
        each(l -> l.onBatch(processor, received, filtered, deadLettered, lastId));
    }

    @Override
    public void onCheckpoint(String processor, EventId checkpoint) {
        each(l -> l.onCheckpoint(processor, checkpoint));
    }

    @Override
    public void onError(String processor, Throwable error, boolean willRetry) {
        each(l -> l.onError(processor, error, willRetry));
    }

    @Override
    public void onRetry(String processor, String operation, int attempt, Duration delay, Throwable error) {
        each(l -> l.onRetry(processor, operation, attempt, delay, error));
    }

    @Override
    public void onCircuitStateChange(String processor, CircuitBreaker.State from, CircuitBreaker.State to) {
        each(l -> l.onCircuitStateChange(processor, from, to));
    }

    @Override
    public void onGap(String processor, StreamName stream, Position expected, GapPolicy policy) {
        each(l -> l.onGap(processor, stream, expected, policy));
    }

    @Override
    public void onGapSkipped(String processor, StreamName stream, Position resumedAt) {
        each(l -> l.onGapSkipped(processor, stream, resumedAt));
    }

    @Override
    public void onHandlerCall(String processor, int events, Duration elapsed, Throwable error) {
        each(l -> l.onHandlerCall(processor, events, elapsed, error));
    }

    @Override
    public void onDeadLetter(
            String processor,
            StreamEvent event,
            StreamName deadLetterStream,
            EventId deadLetterId,
            int attempts,
            Throwable error) {
        each(l -> l.onDeadLetter(processor, event, deadLetterStream, deadLetterId, attempts, error));
    }

    @Override
    public void onLag(String processor, long lag) {
        each(l -> l.onLag(processor, lag));
    }
}
