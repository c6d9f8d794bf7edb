package dev.tributary.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.core.Publisher;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The demo's producer, run on its own thread: publishes {@link DomainEvents} through a stream-core
 * {@link Publisher} at the chosen rate, in bursts of a tenth of a second's worth (business events come in
 * bursts: a merge or an import touches several entities at once), so consumers see real batches. Every
 * publish and its outcome goes to the {@link Ledger}. Stops early when {@link #stop()} is called.
 */
final class DemoProducer implements Runnable {
    private final Publisher<JsonNode> publisher;
    private final ObjectMapper mapper;
    private final Ledger ledger;
    private final int events;
    private final int rate;
    private final int payloadSize;
    private final AtomicBoolean stop = new AtomicBoolean();
    private volatile Throwable failure;
    private volatile long finishedNanos;

    /**
     * @param rate events per second; 0 for as fast as possible
     */
    DemoProducer(
            Publisher<JsonNode> publisher, ObjectMapper mapper, Ledger ledger, int events, int rate, int payloadSize) {
        this.publisher = publisher;
        this.mapper = mapper;
        this.ledger = ledger;
        this.events = events;
        this.rate = rate;
        this.payloadSize = payloadSize;
    }

    @Override
    public void run() {
        DomainEvents gen = new DomainEvents(mapper, 42, payloadSize, 500);
        int burst = rate == 0 ? Integer.MAX_VALUE : Math.max(1, rate / 10);
        long burstNanos = rate == 0 ? 0 : burst * 1_000_000_000L / rate;
        long next = System.nanoTime();
        try {
            for (int seq = 0; seq < events && !stop.get(); seq++) {
                if (burstNanos > 0 && seq % burst == 0) {
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    next += burstNanos;
                }
                DomainEvents.Event e = gen.next(seq);
                final int s = seq;
                ledger.published(s);
                var unused = publisher.publish(e.body(), e.key(), e.headers()).whenComplete((id, error) -> {
                    if (error == null) {
                        ledger.acked(s);
                    } else {
                        ledger.failed(s);
                    }
                });
            }
            publisher.flush(Duration.ofSeconds(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            finishedNanos = System.nanoTime();
        }
    }

    /** Publishes no more events (those in flight still complete). */
    void stop() {
        stop.set(true);
    }

    /** True once {@link #stop()} was called. */
    boolean stopped() {
        return stop.get();
    }

    /** Why publishing ended early, or empty. */
    Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /** When {@link #run()} returned ({@link System#nanoTime()}), or 0 while it runs. */
    long finishedNanos() {
        return finishedNanos;
    }
}
