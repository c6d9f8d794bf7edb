package dev.tributary.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandType;
import io.netty.util.concurrent.DefaultEventExecutor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AppendDeadlinesTest {
    private final DefaultEventExecutor executor = new DefaultEventExecutor();

    @AfterEach
    void stop() throws InterruptedException {
        executor.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }

    /** A pending append that counts its expiries; done when answered or expired. */
    private static final class Fake implements AppendDeadlines.Pending {
        final long deadline;
        final AtomicInteger expired = new AtomicInteger();
        volatile boolean answered;

        Fake(long deadline) {
            this.deadline = deadline;
        }

        @Override
        public long deadline() {
            return deadline;
        }

        @Override
        public boolean isDone() {
            return answered || expired.get() > 0;
        }

        @Override
        public void expire() {
            if (!answered) {
                expired.incrementAndGet();
            }
        }
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertTrue(condition.getAsBoolean(), "condition not met within 10 s");
    }

    @Test
    void anUnansweredAppendExpiresAfterItsTimeoutAndAnAnsweredOneNever() throws InterruptedException {
        AppendDeadlines d = new AppendDeadlines(Duration.ofMillis(200), executor);
        long t0 = System.nanoTime();
        Fake answered = new Fake(d.deadlineFromNow());
        Fake lost = new Fake(d.deadlineFromNow());
        d.track(answered);
        d.track(lost);
        answered.answered = true;
        await(() -> lost.expired.get() == 1);
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(200), "not before the timeout");
        assertEquals(0, answered.expired.get());
        Thread.sleep(100);
        assertEquals(1, lost.expired.get(), "expired once");
        d.close();
    }

    @Test
    void expireAllFailsWhatIsLeftAndDropDoneKeepsTheQueueShort() {
        AppendDeadlines d = new AppendDeadlines(Duration.ofMinutes(1), executor);
        Fake a = new Fake(d.deadlineFromNow());
        Fake b = new Fake(d.deadlineFromNow());
        d.track(a);
        d.track(b);
        a.answered = true;
        d.dropDone();
        d.close();
        d.expireAll();
        assertEquals(0, a.expired.get(), "an answered append is never expired");
        assertEquals(1, b.expired.get());
    }

    @Test
    void onlyXaddIsLeftWithoutALettuceTimeout() {
        var source = AppendDeadlines.timeoutSource(Duration.ofSeconds(3));
        assertEquals(0, source.getTimeout(new Command<>(CommandType.XADD, null)));
        assertEquals(3000, source.getTimeout(new Command<>(CommandType.EVAL, null)));
        assertEquals(3000, source.getTimeout(new Command<>(CommandType.XRANGE, null)));
        assertFalse(source.getTimeout(new Command<>(CommandType.PING, null)) <= 0);
    }
}
