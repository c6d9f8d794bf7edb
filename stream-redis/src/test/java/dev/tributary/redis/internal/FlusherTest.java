package dev.tributary.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.api.StatefulConnection;
import io.netty.util.concurrent.DefaultEventExecutor;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FlusherTest {
    private final DefaultEventExecutor executor = new DefaultEventExecutor();
    /** Commands "written" so far, and the count the last flush saw. */
    private final AtomicLong written = new AtomicLong();

    private final AtomicLong flushedUpTo = new AtomicLong();
    private final AtomicInteger flushes = new AtomicInteger();

    @AfterEach
    void stop() throws InterruptedException {
        executor.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }

    private Flusher flusher() {
        StatefulConnection<?, ?> connection = (StatefulConnection<?, ?>) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {StatefulConnection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("flushCommands")) {
                        flushes.incrementAndGet();
                        flushedUpTo.accumulateAndGet(written.get(), Math::max);
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return new Flusher(connection, new SharedChannel(), executor);
    }

    private void awaitFlushed(long n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (flushedUpTo.get() < n && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(n, flushedUpTo.get(), "every write is followed by a flush");
    }

    @Test
    void aLoneRequestIsFlushedWithoutFurtherRequests() throws InterruptedException {
        Flusher f = flusher();
        written.incrementAndGet();
        f.request();
        awaitFlushed(1);
        written.incrementAndGet();
        f.request();
        awaitFlushed(2);
    }

    @Test
    void requestsWhileTheExecutorIsBusyShareOneFlush() throws InterruptedException {
        Flusher f = flusher();
        written.incrementAndGet();
        f.request();
        awaitFlushed(1);
        int before = flushes.get();
        CountDownLatch busy = new CountDownLatch(1);
        executor.execute(() -> {
            try {
                busy.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        for (int i = 0; i < 1000; i++) {
            written.incrementAndGet();
            f.request();
        }
        busy.countDown();
        awaitFlushed(1001);
        assertEquals(before + 1, flushes.get(), "a burst is flushed once");
    }

    @Test
    void concurrentWritersNeverLoseAFlush() throws InterruptedException {
        Flusher f = flusher();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread th = new Thread(() -> {
                for (int i = 0; i < 20_000; i++) {
                    written.incrementAndGet();
                    f.request();
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join(TimeUnit.SECONDS.toMillis(30));
        }
        awaitFlushed(80_000);
        assertTrue(flushes.get() < 80_000, "flushes are coalesced: " + flushes.get());
    }
}
