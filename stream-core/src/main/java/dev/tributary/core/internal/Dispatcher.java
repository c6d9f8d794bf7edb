package dev.tributary.core.internal;

import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.core.Message;
import dev.tributary.core.Processor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands events to the application: filter, decode, call the handler with retries, dead-letter what
 * still fails. Thread-safe when the handler is (lanes share one dispatcher).
 *
 * <p>Each event ends in exactly one of: filtered, handled, dead-lettered — reported through
 * {@code onDone} — unless the dispatcher throws: {@link StopSignal} (a stop came during a retry
 * wait; the rest of the batch is not done) or a {@link StreamException} (the dead-letter append
 * failed with a non-retryable kind, or the policy is to fail the processor).
 */
public final class Dispatcher<T> {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    /** Counts of one call. */
    public record Result(int filtered, int deadLettered) {
        public Result plus(Result o) {
            return new Result(filtered + o.filtered, deadLettered + o.deadLettered);
        }
    }

    private enum Outcome {
        FILTERED,
        HANDLED,
        DEAD_LETTERED
    }

    /** Thrown inside to carry a decode failure out of the attempt. */
    private static final class DecodeFailure extends Exception {
        private static final long serialVersionUID = 1L;

        DecodeFailure(Throwable cause) {
            super(cause);
        }
    }

    @FunctionalInterface
    private interface Invoker<T> {
        void invoke(Message<T> m) throws Exception;
    }

    private final Settings<T> s;
    private final Processor processor;
    private final Pacer pacer;
    private final DeadLetterWriter deadLetters;
    private final Invoker<T> single;

    public Dispatcher(Settings<T> settings, Processor processor, Pacer pacer, DeadLetterWriter deadLetters) {
        this.s = settings;
        this.processor = processor;
        this.pacer = pacer;
        this.deadLetters = deadLetters;
        if (settings.handler() != null) {
            this.single = m -> settings.handler().handle(m);
        } else {
            this.single = m -> settings.batchHandler().handle(List.of(m));
        }
    }

    /**
     * Handles {@code events} in order.
     *
     * @param onDone called with the id of each event once it is filtered, handled or dead-lettered
     * @param abort  checked before each event; when true the call throws {@link StopSignal}
     */
    public Result handle(List<StreamEvent> events, Consumer<EventId> onDone, BooleanSupplier abort) {
        return s.handler() != null ? handleEach(events, onDone, abort) : handleBatch(events, onDone, abort);
    }

    private Result handleEach(List<StreamEvent> events, Consumer<EventId> onDone, BooleanSupplier abort) {
        int filtered = 0;
        int dead = 0;
        for (StreamEvent e : events) {
            if (abort.getAsBoolean()) {
                throw new StopSignal();
            }
            Outcome o = handleOne(e);
            if (o == Outcome.FILTERED) {
                filtered++;
            } else if (o == Outcome.DEAD_LETTERED) {
                dead++;
            }
            onDone.accept(e.id());
        }
        return new Result(filtered, dead);
    }

    private Result handleBatch(List<StreamEvent> events, Consumer<EventId> onDone, BooleanSupplier abort) {
        int filtered = 0;
        int dead = 0;
        List<Message<T>> accepted = new ArrayList<>(events.size());
        List<StreamEvent> oneByOne = new ArrayList<>();
        for (StreamEvent e : events) {
            boolean keep;
            try {
                keep = s.filter().accept(e);
            } catch (RuntimeException ex) {
                oneByOne.add(e); // the filter failed: treat it like a handler failure, event by event
                continue;
            }
            if (!keep) {
                filtered++;
                onDone.accept(e.id());
                continue;
            }
            T value;
            try {
                value = s.codec().decode(e.payload());
            } catch (RuntimeException ex) {
                deadLetter(e, 0, ex, "decode");
                dead++;
                onDone.accept(e.id());
                continue;
            }
            accepted.add(new Message<>(e, value, processor));
        }
        if (!accepted.isEmpty()) {
            if (abort.getAsBoolean()) {
                throw new StopSignal();
            }
            if (callBatch(accepted)) {
                for (Message<T> m : accepted) {
                    onDone.accept(m.id());
                }
            } else {
                for (Message<T> m : accepted) {
                    oneByOne.add(m.event());
                }
            }
        }
        if (!oneByOne.isEmpty()) {
            Result r = handleEach(oneByOne, onDone, abort);
            filtered += r.filtered();
            dead += r.deadLettered();
        }
        return new Result(filtered, dead);
    }

    /** The whole batch with its retries; false when every attempt failed. */
    private boolean callBatch(List<Message<T>> batch) {
        List<Message<T>> view = Collections.unmodifiableList(batch);
        int max = s.retry().maxAttempts();
        for (int attempt = 1; ; attempt++) {
            Throwable failure;
            long start = System.nanoTime();
            try {
                s.batchHandler().handle(view);
                reportCall(batch.size(), start, null);
                return true;
            } catch (StopSignal | VirtualMachineError fatal) {
                throw fatal;
            } catch (Throwable t) {
                reportCall(batch.size(), start, t);
                failure = t;
            }
            if (attempt >= max) {
                LOG.warn(
                        "processor '{}': batch of {} failed {} times ({}); handing its events over one at a time",
                        s.name(),
                        batch.size(),
                        attempt,
                        failure.toString());
                return false;
            }
            Duration d = s.retry().backoff().delay(attempt, s.random());
            s.listener().onRetry(s.name(), "handler", attempt, d, failure);
            pacer.sleep(d);
        }
    }

    private Outcome handleOne(StreamEvent e) {
        int max = s.retry().maxAttempts();
        for (int attempt = 1; ; attempt++) {
            Throwable failure;
            try {
                if (!s.filter().accept(e)) {
                    return Outcome.FILTERED;
                }
                T value;
                try {
                    value = s.codec().decode(e.payload());
                } catch (RuntimeException ex) {
                    throw new DecodeFailure(ex);
                }
                Message<T> m = new Message<>(e, value, processor);
                long start = System.nanoTime();
                try {
                    single.invoke(m);
                } catch (StopSignal | VirtualMachineError fatal) {
                    throw fatal;
                } catch (Throwable t) {
                    reportCall(1, start, t);
                    throw t;
                }
                reportCall(1, start, null);
                return Outcome.HANDLED;
            } catch (DecodeFailure df) {
                deadLetter(e, 0, df.getCause(), "decode");
                return Outcome.DEAD_LETTERED;
            } catch (StopSignal | VirtualMachineError fatal) {
                throw fatal;
            } catch (Throwable t) {
                failure = t;
            }
            if (attempt >= max) {
                deadLetter(e, attempt, failure, "handler");
                return Outcome.DEAD_LETTERED;
            }
            Duration d = s.retry().backoff().delay(attempt, s.random());
            s.listener().onRetry(s.name(), "handler", attempt, d, failure);
            pacer.sleep(d);
        }
    }

    /** Handler time is measured with {@link System#nanoTime()}: it is reported, never waited on. */
    private void reportCall(int events, long startNanos, Throwable error) {
        s.listener().onHandlerCall(s.name(), events, Duration.ofNanos(System.nanoTime() - startNanos), error);
    }

    private void deadLetter(StreamEvent e, int attempts, Throwable error, String reason) {
        Optional<StreamName> target = s.deadLetters().streamFor(e.stream());
        if (target.isEmpty()) {
            String what = "decode".equals(reason)
                    ? "cannot be decoded by codec " + s.codec().name()
                    : "failed in the handler " + attempts + " time(s)";
            StreamException failure = new StreamException(
                    ErrorKind.INTERNAL,
                    "event " + e.id() + " of stream '" + e.stream() + "' " + what
                            + " and the dead-letter policy is failProcessor",
                    error);
            throw failure;
        }
        LOG.warn(
                "processor '{}': event {} of '{}' goes to dead-letter stream '{}' after {} attempt(s): {}",
                s.name(),
                e.id(),
                e.stream(),
                target.get(),
                attempts,
                error.toString());
        EventId id = deadLetters.write(target.get(), e, attempts, error, reason);
        s.listener().onDeadLetter(s.name(), e, target.get(), id, attempts, error);
    }
}
