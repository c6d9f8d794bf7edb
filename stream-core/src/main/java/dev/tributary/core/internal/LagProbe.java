package dev.tributary.core.internal;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a processor's lag check off its loop thread and reports it through the listener. The check asks
 * the broker (on Kafka a consumer-group description and the end offsets: tens of milliseconds, and up to
 * the request timeout while the broker is in trouble); the loop keeps handling events meanwhile. One
 * thread, created on the first check and adopted by the run; at most one check at a time — a request while
 * one runs is dropped, the next interval asks again — so nothing queues up.
 *
 * <p>Each check also feeds a {@link StallWatch}, which warns when events wait and none is delivered
 * between two checks.
 */
final class LagProbe implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LagProbe.class);

    private final Settings<?> s;
    private final AtomicBoolean busy = new AtomicBoolean();
    /** Used on the probe's one thread only. */
    private final StallWatch stalls;

    /** One check's figures: the lag, and what shows progress (equal between checks: none). */
    record Check(long lag, Object progress) {}

    private final ThreadPoolExecutor executor;

    LagProbe(Settings<?> s, Lifecycle.Run run) {
        this.s = s;
        this.stalls = new StallWatch(s.name(), s.stream());
        this.executor = new ThreadPoolExecutor(
                1,
                1,
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(1),
                r -> {
                    Thread t = s.threadFactory().newThread(r);
                    run.adopt(t);
                    return t;
                },
                new ThreadPoolExecutor.DiscardPolicy());
    }

    /**
     * Starts a check unless one is running. {@code lag} asks the broker; a failure is logged at debug
     * level and reported as nothing, as before.
     */
    void request(Supplier<Check> check) {
        if (!busy.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(() -> {
                try {
                    Check now = check.get();
                    s.listener().onLag(s.name(), now.lag());
                    noticeStall(now);
                } catch (RuntimeException e) {
                    LOG.debug("processor '{}': lag check failed: {}", s.name(), e.toString());
                } finally {
                    busy.set(false);
                }
            });
        } catch (RuntimeException e) { // the executor is shut down: the run is ending
            busy.set(false);
        }
    }

    private void noticeStall(Check check) {
        String warning = stalls.check(check.lag(), check.progress(), s.clock().millis());
        if (warning != null) {
            LOG.warn(warning);
        }
    }

    /** Stops the thread; a check in flight is interrupted and its result dropped. */
    @Override
    public void close() {
        executor.shutdownNow();
    }
}
