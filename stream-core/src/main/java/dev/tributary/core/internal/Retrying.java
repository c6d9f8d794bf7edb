package dev.tributary.core.internal;

import dev.tributary.ErrorKind;
import dev.tributary.StreamException;
import dev.tributary.core.Backoff;
import dev.tributary.core.CircuitBreaker;
import dev.tributary.core.ProcessorListener;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls to the broker (or a checkpoint store) with the processor's error policy, deciding on the
 * {@link ErrorKind} only: a retryable kind ({@code RETRYABLE}, {@code BACKPRESSURE}, and
 * {@code INDETERMINATE} for the idempotent reads, acks and checkpoint writes done here) is retried
 * with exponential backoff and full jitter for as long as the processor runs; any other kind is
 * thrown to the caller at once. With a circuit breaker, calls wait while it is open; every retryable
 * failure counts against it and every answer from the source (success, or a non-retryable error
 * such as DATA_LOSS) counts as a success. While the breaker is closed a failed call waits its
 * backoff delay; once a failure has opened it, the wait is the breaker's open period (which follows
 * the same backoff, capped by the breaker's open duration), so the next call is the breaker's trial
 * call and a source that answers again is used within about one cap.
 *
 * <p>Retries are reported to the listener; a call that keeps failing is also logged
 * ({@link FailureSpell}), so that a processor waiting on a broker in trouble says so in the log
 * instead of looking idle.
 */
public final class Retrying {
    private static final Logger LOG = LoggerFactory.getLogger(Retrying.class);

    private final String name;
    private final Backoff backoff;
    private final RandomGenerator random;
    private final CircuitBreaker breaker;
    private final ProcessorListener listener;
    private final Pacer pacer;

    /** {@code breaker} may be null: no breaker (checkpoint stores, dead-letter appends). */
    public Retrying(
            String name,
            Backoff backoff,
            RandomGenerator random,
            CircuitBreaker breaker,
            ProcessorListener listener,
            Pacer pacer) {
        this.name = name;
        this.backoff = backoff;
        this.random = random;
        this.breaker = breaker;
        this.listener = listener;
        this.pacer = pacer;
    }

    /** True for the kinds a processor retries on its source. */
    public static boolean retryable(ErrorKind kind) {
        return kind.isRetryable() || kind == ErrorKind.INDETERMINATE;
    }

    /**
     * Runs {@code op} until it succeeds. The first attempt is always made (so a finished batch is
     * still acked while stopping); waits before further attempts throw {@link StopSignal} when a stop
     * is requested.
     *
     * @throws StreamException of a non-retryable kind (anything that is not a {@code StreamException}
     *                         becomes {@code INTERNAL})
     */
    public <R> R call(String operation, Supplier<R> op) {
        return callWithin(operation, null, op);
    }

    /**
     * As {@link #call}, but gives up once the failed attempts and the waits between them have taken
     * {@code giveUpAfter}: the last retryable failure is then thrown, for a caller that can go on
     * without this call (an ack the broker never confirms: the events are delivered again). Null: never
     * give up. The time counted is the attempts' own time plus the backoff waits, so that a test's
     * {@code Sleeper} moves it on.
     *
     * @throws StreamException of a non-retryable kind at once, or the last retryable one after the bound
     */
    public <R> R callWithin(String operation, Duration giveUpAfter, Supplier<R> op) {
        int attempt = 0;
        FailureSpell spell = null;
        long spentNanos = 0;
        while (true) {
            awaitBreaker();
            long started = System.nanoTime();
            try {
                R r = op.get();
                if (breaker != null) {
                    breaker.onSuccess();
                }
                String recovered = spell == null ? null : spell.succeeded(millis(), attempt + 1);
                if (recovered != null) {
                    LOG.info(recovered);
                }
                return r;
            } catch (StopSignal s) {
                throw s;
            } catch (RuntimeException e) {
                StreamException se = StreamException.unwrap(e);
                if (!retryable(se.kind())) {
                    if (breaker != null) {
                        breaker.onSuccess();
                    }
                    throw se;
                }
                if (breaker != null) {
                    breaker.onFailure();
                }
                attempt++;
                if (spell == null) {
                    spell = new FailureSpell(name, operation, millis());
                }
                String warning = spell.failed(millis(), attempt, se);
                if (warning != null) {
                    LOG.warn(warning);
                }
                boolean open = breaker != null && breaker.state() == CircuitBreaker.State.OPEN;
                Duration delay = open ? breaker.remainingOpen() : backoff.delay(attempt, random);
                spentNanos += System.nanoTime() - started;
                listener.onError(name, se, true); // retried: here, or by the broker's redelivery
                if (giveUpAfter != null && spentNanos >= giveUpAfter.toNanos()) {
                    throw se;
                }
                spentNanos += delay.toNanos();
                listener.onRetry(name, operation, attempt, delay, se);
                pacer.sleep(delay);
            }
        }
    }

    private static long millis() {
        return System.nanoTime() / 1_000_000;
    }

    /** Runs {@code op} until it succeeds (see {@link #call}). */
    public void run(String operation, Runnable op) {
        call(operation, () -> {
            op.run();
            return null;
        });
    }

    private void awaitBreaker() {
        if (breaker == null) {
            return;
        }
        while (!breaker.tryAcquire()) {
            Duration left = breaker.remainingOpen();
            pacer.sleep(left.isZero() ? Duration.ofMillis(1) : left);
        }
    }
}
