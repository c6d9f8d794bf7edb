package dev.tributary.core.internal;

import dev.tributary.EventId;
import dev.tributary.StreamEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Runs a batch on N ordered lanes: events of one key always go to the same lane and a lane handles
 * its events one after the other, so per-key order holds; different keys run in parallel. Events
 * without a key are spread by id (no order among them is promised). The lanes' threads come from the
 * processor's thread factory and end with {@link #close}.
 */
public final class Lanes implements AutoCloseable {
    private final int n;
    private final ExecutorService pool;

    public Lanes(int n, ThreadFactory threadFactory) {
        this.n = n;
        this.pool = Executors.newFixedThreadPool(n, threadFactory);
    }

    static int laneOf(StreamEvent e, int n) {
        int h = e.key() != null ? Arrays.hashCode(e.key()) : e.id().hashCode();
        h ^= (h >>> 16);
        return Math.floorMod(h, n);
    }

    /**
     * Handles {@code events} on the lanes and waits for all of them. When a lane fails, the others
     * stop before their next event; the first failure is thrown once every lane has returned.
     */
    public <T> Dispatcher.Result handle(Dispatcher<T> dispatcher, List<StreamEvent> events, Consumer<EventId> onDone) {
        List<List<StreamEvent>> parts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            parts.add(new ArrayList<>());
        }
        for (StreamEvent e : events) {
            parts.get(laneOf(e, n)).add(e);
        }
        AtomicBoolean abort = new AtomicBoolean();
        List<Future<Dispatcher.Result>> futures = new ArrayList<>(n);
        for (List<StreamEvent> part : parts) {
            if (part.isEmpty()) {
                continue;
            }
            futures.add(pool.submit(() -> {
                try {
                    return dispatcher.handle(part, onDone, abort::get);
                } catch (RuntimeException | Error e) {
                    abort.set(true);
                    throw e;
                }
            }));
        }
        Dispatcher.Result total = new Dispatcher.Result(0, 0);
        Throwable first = null;
        boolean interrupted = false;
        for (Future<Dispatcher.Result> f : futures) {
            while (true) {
                try {
                    total = total.plus(f.get());
                    break;
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (first == null || (first instanceof StopSignal && !(c instanceof StopSignal))) {
                        first = c;
                    }
                    break;
                } catch (InterruptedException e) {
                    // A forced stop: make the lanes give up, then keep waiting for them to return.
                    interrupted = true;
                    abort.set(true);
                    for (Future<Dispatcher.Result> g : futures) {
                        g.cancel(true);
                    }
                    if (first == null) {
                        first = new StopSignal();
                    }
                    break;
                } catch (java.util.concurrent.CancellationException e) {
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (first instanceof RuntimeException re) {
            throw re;
        }
        if (first instanceof Error err) {
            throw err;
        }
        if (first != null) {
            throw new IllegalStateException(first);
        }
        return total;
    }

    /** Ends the lane threads, waiting at most {@code timeoutMs} for a handler still running. */
    public void close(long timeoutMs) {
        pool.shutdownNow();
        try {
            pool.awaitTermination(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(5_000);
    }
}
