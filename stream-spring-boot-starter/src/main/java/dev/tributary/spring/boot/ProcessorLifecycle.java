package dev.tributary.spring.boot;

import dev.tributary.core.Processor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the application's {@link Processor} beans once the context is refreshed (every singleton
 * exists, so handlers may use any bean) and stops them gracefully at shutdown.
 *
 * <h2>Graceful stop</h2>
 * All processors are asked to stop at once, each bounded by {@code tributary.processors.shutdown-timeout}:
 * a processor finishes its current batch and acks (group) or checkpoints (tail) what was handled.
 * Past the timeout it closes its read and interrupts the handler; what was not handled is neither
 * acked nor checkpointed, so the broker delivers it again later — nothing is acknowledged that was
 * not handled (stream-core's contract). Processors stop in a late phase ({@link #PHASE}), before
 * the web server's graceful shutdown and long before the client and publishers are closed, so a
 * handler may still publish while it drains.
 *
 * <p>A processor that fails (for example a fatal broker error) does not fail the application; it
 * is reported {@code FAILED} by the health indicator.
 */
public final class ProcessorLifecycle implements SmartLifecycle {
    /** Started last, stopped first (the phase Spring for Apache Kafka uses for its listener containers). */
    public static final int PHASE = Integer.MAX_VALUE - 100;

    private static final Logger LOG = LoggerFactory.getLogger(ProcessorLifecycle.class);

    private final ObjectProvider<Processor> processors;
    private final boolean autoStartup;
    private final Duration shutdownTimeout;
    private final List<Processor> started = new ArrayList<>();
    private volatile boolean running;

    /** Starts every processor bean with the context (if {@code autoStartup}) and stops them within {@code shutdownTimeout}. */
    public ProcessorLifecycle(ObjectProvider<Processor> processors, boolean autoStartup, Duration shutdownTimeout) {
        this.processors = Objects.requireNonNull(processors, "processors");
        this.autoStartup = autoStartup;
        this.shutdownTimeout = Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
    }

    @Override
    public synchronized void start() {
        for (Processor p : processors.orderedStream().toList()) {
            p.start();
            started.add(p);
            LOG.info("started processor '{}'", p.name());
        }
        running = true;
    }

    @Override
    public void stop() {
        stop(() -> {});
    }

    /** Stops every started processor in parallel and runs {@code callback} when all have ended or timed out. */
    @Override
    public synchronized void stop(Runnable callback) {
        List<Processor> toStop = List.copyOf(started);
        started.clear();
        running = false;
        CountDownLatch done = new CountDownLatch(toStop.size());
        for (Processor p : toStop) {
            // One thread each: stop(timeout) blocks while the batch drains, and the processors drain together.
            Thread t = new Thread(
                    () -> {
                        try {
                            if (!p.stop(shutdownTimeout)) {
                                LOG.warn(
                                        "processor '{}' did not stop within {}; unhandled events stay unacknowledged",
                                        p.name(),
                                        shutdownTimeout);
                            }
                        } catch (RuntimeException e) {
                            LOG.warn("processor '{}' failed to stop: {}", p.name(), e.toString());
                        } finally {
                            done.countDown();
                        }
                    },
                    "tributary-stop-" + p.name());
            t.setDaemon(true);
            t.start();
        }
        try {
            // stop(timeout) is itself bounded; the margin covers closing the reader and the interrupt.
            done.await(shutdownTimeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            callback.run();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public boolean isAutoStartup() {
        return autoStartup;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
