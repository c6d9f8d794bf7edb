package dev.tributary.core;

import dev.tributary.StreamClient;
import dev.tributary.StreamName;
import dev.tributary.core.internal.NamedThreadFactory;
import dev.tributary.core.internal.SafeListener;
import dev.tributary.core.internal.Settings;
import dev.tributary.core.internal.ThreadLocalRandomGenerator;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.random.RandomGenerator;

/**
 * The settings that {@link TailProcessor} and {@link GroupProcessor} share. Exactly one of
 * {@link #handler(Handler)} and {@link #batchHandler(BatchHandler)} must be set; everything else has
 * a default. Invalid values fail at once with {@link IllegalArgumentException}.
 *
 * @param <T> the decoded value type
 * @param <B> the concrete builder
 */
public abstract class ProcessorBuilder<T, B extends ProcessorBuilder<T, B>> {
    /** Default most events read at once. */
    public static final int DEFAULT_BATCH_SIZE = 500;
    /** Default longest wait of one read: bounded so a stop is noticed promptly. */
    public static final Duration DEFAULT_POLL_WAIT = Duration.ofMillis(250);
    /** Default bound of {@link Processor#stop()}. */
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(10);
    /** Default interval of lag reports. */
    public static final Duration DEFAULT_LAG_INTERVAL = Duration.ofSeconds(30);

    final StreamClient client;
    final StreamName stream;
    final Codec<T> codec;
    String name;
    Handler<T> handler;
    BatchHandler<T> batchHandler;
    EventFilter filter = EventFilter.all();
    ProcessorListener listener;
    RetryPolicy retry = RetryPolicy.defaults();
    Backoff sourceBackoff = Backoff.defaults();
    CircuitBreaker.Settings breaker = CircuitBreaker.Settings.defaults();
    DeadLetterPolicy deadLetters = DeadLetterPolicy.defaultStream();
    GapPolicy gapPolicy = GapPolicy.FAIL;
    Clock clock = Clock.systemUTC();
    Sleeper sleeper = Sleeper.system();
    RandomGenerator random;
    int batchSize = DEFAULT_BATCH_SIZE;
    Duration pollWait = DEFAULT_POLL_WAIT;
    Duration stopTimeout = DEFAULT_STOP_TIMEOUT;
    Duration lagInterval = DEFAULT_LAG_INTERVAL;
    ThreadFactory threadFactory;

    ProcessorBuilder(StreamClient client, StreamName stream, Codec<T> codec) {
        this.client = Objects.requireNonNull(client, "client");
        this.stream = Objects.requireNonNull(stream, "stream");
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    abstract B self();

    /**
     * The processor's name (stream-name grammar): the checkpoint key of a tail processor, the
     * member-name prefix of a group processor, the thread name, and the dead-letter header
     * {@value DeadLetterPolicy#HEADER_PROCESSOR}. Defaults depend on the processor type.
     */
    public B name(String name) {
        this.name = check(name, "processor name");
        return self();
    }

    /** The per-event handler. */
    public B handler(Handler<T> handler) {
        this.handler = Objects.requireNonNull(handler, "handler");
        this.batchHandler = null;
        return self();
    }

    /** The per-batch handler (see {@link BatchHandler} for retries). */
    public B batchHandler(BatchHandler<T> batchHandler) {
        this.batchHandler = Objects.requireNonNull(batchHandler, "batchHandler");
        this.handler = null;
        return self();
    }

    /** Which events reach the handler; rejected ones still advance the checkpoint or are acked. */
    public B filter(EventFilter filter) {
        this.filter = Objects.requireNonNull(filter, "filter");
        return self();
    }

    /** Sets the listener told of processor events (state, retries, dead letters). */
    public B listener(ProcessorListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        return self();
    }

    /** Handler retries before dead-lettering (default: 3 attempts, 100 ms doubling up to 5 s). */
    public B retry(RetryPolicy retry) {
        this.retry = Objects.requireNonNull(retry, "retry");
        return self();
    }

    /** Backoff of retryable source failures (default: 100 ms doubling up to 30 s, full jitter). */
    public B sourceBackoff(Backoff backoff) {
        this.sourceBackoff = Objects.requireNonNull(backoff, "backoff");
        return self();
    }

    /**
     * Thresholds of the circuit breaker around the source (default: 5 failures, open at most 1 s, 1
     * success). Its trial calls follow {@link #sourceBackoff} — the n-th opening in a row waits a
     * jittered delay of the backoff's n-th step — capped at the open duration.
     */
    public B circuitBreaker(CircuitBreaker.Settings settings) {
        this.breaker = Objects.requireNonNull(settings, "settings");
        return self();
    }

    /** Where failed and undecodable events go (default: {@code <stream>-dlq}). */
    public B deadLetters(DeadLetterPolicy policy) {
        this.deadLetters = Objects.requireNonNull(policy, "policy");
        return self();
    }

    /** What to do on a gap (default {@link GapPolicy#FAIL}). */
    public B gapPolicy(GapPolicy policy) {
        this.gapPolicy = Objects.requireNonNull(policy, "policy");
        return self();
    }

    /** The clock of the circuit breaker and the lag reports (tests inject a fake one). */
    public B clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return self();
    }

    /** How the processor waits during backoff (tests inject one that advances a fake clock). */
    public B sleeper(Sleeper sleeper) {
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        return self();
    }

    /**
     * The jitter source (default {@link java.util.concurrent.ThreadLocalRandom}); tests inject a seeded one. It must be
     * thread-safe when a group processor runs with a concurrency above 1 (lanes share it).
     */
    public B random(RandomGenerator random) {
        this.random = Objects.requireNonNull(random, "random");
        return self();
    }

    /** Most events read at once, 1 to 100 000 (capped by the backend's {@code maxReadCount}); default 500. */
    public B batchSize(int batchSize) {
        if (batchSize < 1 || batchSize > 100_000) {
            throw new IllegalArgumentException("batchSize must be 1 to 100000, got " + batchSize);
        }
        this.batchSize = batchSize;
        return self();
    }

    /** Longest wait of one read when nothing is there, 0 to 10 s; default 250 ms. */
    public B pollWait(Duration wait) {
        if (wait == null || wait.isNegative() || wait.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalArgumentException("pollWait must be 0 to 10 s, got " + wait);
        }
        this.pollWait = wait;
        return self();
    }

    /** Bound of {@link Processor#stop()} and of start() waiting for a previous stop; 1 ms to 10 min; default 10 s. */
    public B stopTimeout(Duration timeout) {
        if (timeout == null
                || timeout.compareTo(Duration.ofMillis(1)) < 0
                || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("stopTimeout must be 1 ms to 10 min, got " + timeout);
        }
        this.stopTimeout = timeout;
        return self();
    }

    /**
     * Interval of {@link ProcessorListener#onLag} reports; {@link Duration#ZERO} turns them off; default 30 s.
     * The check asks the broker from a thread of the processor's own, so a slow answer never holds up
     * event handling; while one check runs, the next is skipped.
     */
    public B lagInterval(Duration interval) {
        if (interval == null || interval.isNegative()) {
            throw new IllegalArgumentException("lagInterval must be >= 0, got " + interval);
        }
        this.lagInterval = interval;
        return self();
    }

    /** Where the loop threads come from (default: daemon threads named after the processor). */
    public B threadFactory(ThreadFactory factory) {
        this.threadFactory = Objects.requireNonNull(factory, "factory");
        return self();
    }

    static String check(String value, String what) {
        try {
            return StreamName.check(value, what);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    Settings<T> settings(String kind, String defaultName) {
        if (handler == null && batchHandler == null) {
            throw new IllegalArgumentException("a " + kind + " processor needs a handler or a batchHandler");
        }
        String n = name != null ? name : defaultName;
        return new Settings<>(
                client,
                stream,
                codec,
                n,
                handler,
                batchHandler,
                filter,
                new SafeListener(listener),
                retry,
                sourceBackoff,
                breaker,
                deadLetters,
                gapPolicy,
                clock,
                sleeper,
                random != null ? random : new ThreadLocalRandomGenerator(),
                batchSize,
                pollWait,
                stopTimeout,
                lagInterval,
                threadFactory != null ? threadFactory : new NamedThreadFactory("tributary-" + kind + "-" + n));
    }
}
