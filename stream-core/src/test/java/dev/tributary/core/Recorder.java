package dev.tributary.core;

import dev.tributary.EventId;
import dev.tributary.Position;
import dev.tributary.StreamEvent;
import dev.tributary.StreamName;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A listener that records what it hears, as strings and typed lists. */
final class Recorder implements ProcessorListener {
    final List<String> log = new CopyOnWriteArrayList<>();
    final List<ProcessorState> states = new CopyOnWriteArrayList<>();
    final List<Duration> retryDelays = new CopyOnWriteArrayList<>();
    final List<String> retryOps = new CopyOnWriteArrayList<>();
    final List<EventId> checkpoints = new CopyOnWriteArrayList<>();
    final List<String> circuit = new CopyOnWriteArrayList<>();
    final List<String> deadLetters = new CopyOnWriteArrayList<>();
    final List<Position> gaps = new CopyOnWriteArrayList<>();
    final List<Position> skipped = new CopyOnWriteArrayList<>();
    final List<String> errors = new CopyOnWriteArrayList<>();

    @Override
    public void onError(String p, Throwable error, boolean willRetry) {
        String kind = error instanceof dev.tributary.StreamException se
                ? se.kind().toString()
                : error.getClass().getSimpleName();
        errors.add("error " + kind + " willRetry=" + willRetry);
    }

    @Override
    public void onStateChange(String p, ProcessorState from, ProcessorState to, Throwable cause) {
        states.add(to);
        log.add("state " + from + "->" + to);
    }

    @Override
    public void onCheckpoint(String p, EventId checkpoint) {
        checkpoints.add(checkpoint);
    }

    @Override
    public void onRetry(String p, String operation, int attempt, Duration delay, Throwable error) {
        retryOps.add(operation + "#" + attempt);
        retryDelays.add(delay);
    }

    @Override
    public void onCircuitStateChange(String p, CircuitBreaker.State from, CircuitBreaker.State to) {
        circuit.add(from + "->" + to);
    }

    @Override
    public void onGap(String p, StreamName stream, Position expected, GapPolicy policy) {
        gaps.add(expected);
    }

    @Override
    public void onGapSkipped(String p, StreamName stream, Position resumedAt) {
        skipped.add(resumedAt);
    }

    @Override
    public void onDeadLetter(
            String p, StreamEvent event, StreamName dlq, EventId dlqId, int attempts, Throwable error) {
        deadLetters.add(event.id() + "@" + attempts);
    }
}
