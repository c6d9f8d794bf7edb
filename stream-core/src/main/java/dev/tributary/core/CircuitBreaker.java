package dev.tributary.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A circuit breaker around a processor's source (reads, acks, group creation).
 *
 * <ul>
 *   <li>{@code CLOSED}: calls go through; {@link Settings#failureThreshold()} consecutive retryable
 *       failures open it.</li>
 *   <li>{@code OPEN}: calls are refused ({@link #tryAcquire()} is false) until its open period has
 *       passed since it opened; then it is half-open. Built with a probe {@link Backoff} (as the
 *       processors build it, with their source backoff), the open period is not fixed: the n-th
 *       opening in a row (counted since it last closed) lasts a delay drawn uniformly from
 *       {@code [0, min(backoff.ceiling(n), openDuration)]} — a short first probe, growing, capped at
 *       {@link Settings#openDuration()} — so a source that answers again is probed within about one
 *       cap (1 s by default) however long it was down. Built without one, every open period is
 *       exactly {@code openDuration}.</li>
 *   <li>{@code HALF_OPEN}: one trial call at a time goes through;
 *       {@link Settings#halfOpenSuccesses()} successes close it, one failure opens it again.</li>
 * </ul>
 *
 * <p>Time comes from the injected {@link Clock}. Thread-safe. Transitions are reported to the
 * {@link TransitionListener} on the thread that caused them (outside any lock).
 */
public final class CircuitBreaker {

    /** The breaker's states. */
    public enum State {
        /** Calls go through; consecutive failures are counted. */
        CLOSED,
        /** Calls fail fast until the open period ends. */
        OPEN,
        /** Trial calls go through; enough successes close the breaker, a failure opens it again. */
        HALF_OPEN
    }

    /**
     * Thresholds.
     *
     * @param failureThreshold  consecutive failures that open a closed breaker, 1 to 10 000
     * @param openDuration      the longest it stays open before a trial call, 1 ms to 1 h (the open period
     *                          itself, without a probe backoff)
     * @param halfOpenSuccesses successful trial calls that close it again, 1 to 1000
     */
    public record Settings(int failureThreshold, Duration openDuration, int halfOpenSuccesses) {
        public Settings {
            if (failureThreshold < 1 || failureThreshold > 10_000) {
                throw new IllegalArgumentException("failureThreshold must be 1 to 10000, got " + failureThreshold);
            }
            if (openDuration == null
                    || openDuration.compareTo(Duration.ofMillis(1)) < 0
                    || openDuration.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("openDuration must be 1 ms to 1 h, got " + openDuration);
            }
            if (halfOpenSuccesses < 1 || halfOpenSuccesses > 1000) {
                throw new IllegalArgumentException("halfOpenSuccesses must be 1 to 1000, got " + halfOpenSuccesses);
            }
        }

        /** Opens after 5 consecutive failures, for at most 1 s before each trial call; one success closes it. */
        public static Settings defaults() {
            return new Settings(5, Duration.ofSeconds(1), 1);
        }
    }

    /** Hears state changes. */
    @FunctionalInterface
    public interface TransitionListener {
        /** Called on each state change, on the thread that caused it. */
        void onTransition(State from, State to);
    }

    private final Settings settings;
    private final Clock clock;
    private final TransitionListener listener;
    private final Backoff probes;
    private final RandomGenerator random;

    private State state = State.CLOSED;
    private int failures;
    private int successes;
    private boolean trialInFlight;
    private Instant openedAt;
    private Duration openPeriod = Duration.ZERO;
    private int opensInARow;

    /**
     * A breaker whose open periods follow {@code probes} (jittered with {@code random}), each capped at
     * {@link Settings#openDuration()}.
     */
    public CircuitBreaker(
            Settings settings, Backoff probes, RandomGenerator random, Clock clock, TransitionListener listener) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.listener = listener == null ? (a, b) -> {} : listener;
        this.probes = probes;
        this.random = probes == null ? null : Objects.requireNonNull(random, "random");
    }

    /** A breaker with a fixed open period of {@link Settings#openDuration()}. */
    public CircuitBreaker(Settings settings, Clock clock, TransitionListener listener) {
        this(settings, null, null, clock, listener);
    }

    /** A breaker with a fixed open period and no transition listener. */
    public CircuitBreaker(Settings settings, Clock clock) {
        this(settings, clock, null);
    }

    /** The breaker's settings. */
    public Settings settings() {
        return settings;
    }

    /** The state now (an open breaker whose open time has passed reads as {@code HALF_OPEN}). */
    public State state() {
        State from;
        synchronized (this) {
            from = state;
            if (!maybeHalfOpen()) {
                return state;
            }
        }
        listener.onTransition(from, State.HALF_OPEN);
        return State.HALF_OPEN;
    }

    /**
     * Asks to make a call. True when closed, or when half-open and no other trial call is in flight;
     * false when open (see {@link #remainingOpen()}). A caller that got true reports the outcome with
     * {@link #onSuccess()} or {@link #onFailure()}.
     */
    public boolean tryAcquire() {
        State from;
        boolean allowed;
        boolean halfOpened;
        synchronized (this) {
            from = state;
            halfOpened = maybeHalfOpen();
            if (state == State.CLOSED) {
                allowed = true;
            } else if (state == State.HALF_OPEN && !trialInFlight) {
                trialInFlight = true;
                allowed = true;
            } else {
                allowed = false;
            }
        }
        if (halfOpened) {
            listener.onTransition(from, State.HALF_OPEN);
        }
        return allowed;
    }

    /** How long an open breaker stays open; zero when it is not open. */
    public synchronized Duration remainingOpen() {
        if (state != State.OPEN) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(clock.instant(), openedAt.plus(openPeriod));
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** Reports a successful call. */
    public void onSuccess() {
        State from;
        State to;
        synchronized (this) {
            from = state;
            failures = 0;
            if (state == State.HALF_OPEN) {
                trialInFlight = false;
                successes++;
                if (successes >= settings.halfOpenSuccesses()) {
                    state = State.CLOSED;
                    successes = 0;
                    opensInARow = 0;
                }
            }
            to = state;
        }
        if (from != to) {
            listener.onTransition(from, to);
        }
    }

    /** Reports a failed call (a retryable failure of the source). */
    public void onFailure() {
        State from;
        State to;
        synchronized (this) {
            from = state;
            if (state == State.HALF_OPEN) {
                open();
            } else if (state == State.CLOSED) {
                failures++;
                if (failures >= settings.failureThreshold()) {
                    open();
                }
            }
            to = state;
        }
        if (from != to) {
            listener.onTransition(from, to);
        }
    }

    /** Back to closed, counters cleared (a processor does this when it starts). */
    public void reset() {
        State from;
        synchronized (this) {
            from = state;
            state = State.CLOSED;
            failures = 0;
            successes = 0;
            trialInFlight = false;
            openedAt = null;
            opensInARow = 0;
        }
        if (from != State.CLOSED) {
            listener.onTransition(from, State.CLOSED);
        }
    }

    private void open() {
        state = State.OPEN;
        openedAt = clock.instant();
        opensInARow = Math.min(opensInARow + 1, 1000);
        openPeriod = nextOpenPeriod();
        failures = 0;
        successes = 0;
        trialInFlight = false;
    }

    /** Under the lock: the fixed open duration, or the jittered probe delay of this opening, capped by it. */
    private Duration nextOpenPeriod() {
        Duration cap = settings.openDuration();
        if (probes == null) {
            return cap;
        }
        Duration ceiling = probes.ceiling(opensInARow);
        long ceilingNanos = Math.min(ceiling.toNanos(), cap.toNanos());
        return Duration.ofNanos(random.nextLong(ceilingNanos + 1));
    }

    /** Under the lock: OPEN whose time has passed becomes HALF_OPEN; returns whether it changed. */
    private boolean maybeHalfOpen() {
        if (state == State.OPEN && !clock.instant().isBefore(openedAt.plus(openPeriod))) {
            state = State.HALF_OPEN;
            successes = 0;
            trialInFlight = false;
            return true;
        }
        return false;
    }

    @Override
    public synchronized String toString() {
        return "CircuitBreaker[" + state + ", failures=" + failures + ", opensInARow=" + opensInARow + ", " + settings
                + "]";
    }
}
