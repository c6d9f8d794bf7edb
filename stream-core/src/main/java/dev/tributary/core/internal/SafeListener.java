package dev.tributary.core.internal;

import dev.tributary.EventId;
import dev.tributary.Position;
import dev.tributary.StreamEvent;
import dev.tributary.StreamName;
import dev.tributary.core.CircuitBreaker;
import dev.tributary.core.GapPolicy;
import dev.tributary.core.ProcessorListener;
import dev.tributary.core.ProcessorState;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Forwards to the application's listener; logs and swallows whatever it throws. */
public final class SafeListener implements ProcessorListener {
    private static final Logger LOG = LoggerFactory.getLogger(SafeListener.class);

    private final ProcessorListener delegate;

    public SafeListener(ProcessorListener delegate) {
        this.delegate = delegate == null ? new ProcessorListener() {} : delegate;
    }

    private void guard(String what, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException | AssertionError e) {
            LOG.warn("processor listener {} threw; ignored", what, e);
        }
    }

    @Override
    public void onStateChange(String p, ProcessorState from, ProcessorState to, Throwable cause) {
        guard("onStateChange", () -> delegate.onStateChange(p, from, to, cause));
    }

    @Override
    public void onCreated(String p, String backend, StreamName stream, String group) {
        guard("onCreated", () -> delegate.onCreated(p, backend, stream, group));
    }

    @Override
    public void onHandlerCall(String p, int events, Duration elapsed, Throwable error) {
        guard("onHandlerCall", () -> delegate.onHandlerCall(p, events, elapsed, error));
    }

    @Override
    public void onBatch(String p, int received, int filtered, int deadLettered, EventId lastId) {
        guard("onBatch", () -> delegate.onBatch(p, received, filtered, deadLettered, lastId));
    }

    @Override
    public void onCheckpoint(String p, EventId checkpoint) {
        guard("onCheckpoint", () -> delegate.onCheckpoint(p, checkpoint));
    }

    @Override
    public void onError(String p, Throwable error, boolean willRetry) {
        guard("onError", () -> delegate.onError(p, error, willRetry));
    }

    @Override
    public void onRetry(String p, String operation, int attempt, Duration delay, Throwable error) {
        guard("onRetry", () -> delegate.onRetry(p, operation, attempt, delay, error));
    }

    @Override
    public void onCircuitStateChange(String p, CircuitBreaker.State from, CircuitBreaker.State to) {
        guard("onCircuitStateChange", () -> delegate.onCircuitStateChange(p, from, to));
    }

    @Override
    public void onGap(String p, StreamName stream, Position expected, GapPolicy policy) {
        guard("onGap", () -> delegate.onGap(p, stream, expected, policy));
    }

    @Override
    public void onGapSkipped(String p, StreamName stream, Position resumedAt) {
        guard("onGapSkipped", () -> delegate.onGapSkipped(p, stream, resumedAt));
    }

    @Override
    public void onDeadLetter(
            String p, StreamEvent event, StreamName dlq, EventId dlqId, int attempts, Throwable error) {
        guard("onDeadLetter", () -> delegate.onDeadLetter(p, event, dlq, dlqId, attempts, error));
    }

    @Override
    public void onLag(String p, long lag) {
        guard("onLag", () -> delegate.onLag(p, lag));
    }
}
