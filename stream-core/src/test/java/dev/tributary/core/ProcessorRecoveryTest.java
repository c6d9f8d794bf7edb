package dev.tributary.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ErrorKind;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamReader;
import dev.tributary.StreamRecord;
import dev.tributary.core.testing.Events;
import dev.tributary.core.testing.FakeTime;
import dev.tributary.spi.ForwardingStreamClient;
import dev.tributary.spi.ForwardingStreamReader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A processor with the default source backoff and circuit breaker resumes within about a second of
 * the broker answering again, however long it was down (it used to wait out a fixed 10 s open
 * period, and backoff waits up to 30 s).
 */
class ProcessorRecoveryTest {
    /** The bound: the breaker's default open-duration cap plus one pacer slice of granularity. */
    private static final Duration BOUND = Duration.ofSeconds(1).plusMillis(50);

    private final StreamClient memory = Events.memory();
    private final FakeTime time = new FakeTime();
    private final AtomicReference<Instant> downUntil = new AtomicReference<>(Instant.MIN);
    private final AtomicInteger refused = new AtomicInteger();

    @AfterEach
    void tearDown() {
        memory.close();
    }

    /** Polls fail RETRYABLE while the fake clock is before {@link #downUntil}. */
    private final StreamClient broker = new ForwardingStreamClient(memory) {
        @Override
        public StreamReader openReader(StreamName s, Position from) {
            return new ForwardingStreamReader(super.openReader(s, from)) {
                @Override
                public List<StreamEvent> poll(int maxCount, Duration wait) {
                    if (time.instant().isBefore(downUntil.get())) {
                        refused.incrementAndGet();
                        throw new StreamException(ErrorKind.RETRYABLE, "connection refused");
                    }
                    return super.poll(maxCount, wait);
                }
            };
        }
    };

    private Duration resumeLatency(int outageSeconds, long seed) throws Exception {
        StreamName stream = Events.fresh("recover");
        AtomicReference<Instant> handledAt = new AtomicReference<>();
        TailProcessor<String> p = TailProcessor.builder(broker, stream, Codecs.utf8())
                .name("recovery-" + outageSeconds + "-" + seed)
                .clock(time)
                .sleeper(time)
                .random(new SplittableRandom(seed))
                .pollWait(Duration.ofMillis(5))
                .handler(m -> handledAt.compareAndSet(null, time.instant()))
                .build();
        assertTrue(p.start());
        try {
            Instant back = time.instant().plusSeconds(outageSeconds);
            int before = refused.get();
            downUntil.set(back);
            // append once the outage is seen, so that no poll begun before it hands the event over
            TailProcessorTest.await("a refused poll", () -> refused.get() > before);
            memory.append(stream, StreamRecord.of("after-the-outage"));
            TailProcessorTest.await("the event handled after the outage", () -> handledAt.get() != null);
            assertEquals(CircuitBreaker.State.CLOSED, p.circuitState());
            return Duration.between(back, handledAt.get());
        } finally {
            p.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void aTailProcessorResumesWithinAboutASecondOfTheBrokerBeingBack() throws Exception {
        for (int seconds : new int[] {3, 30, 300}) {
            for (long seed = 1; seed <= 5; seed++) {
                Duration late = resumeLatency(seconds, seed);
                assertTrue(
                        !late.isNegative() && late.compareTo(BOUND) <= 0,
                        "after " + seconds + " s down (seed " + seed + "), handled " + late
                                + " after the broker was back");
            }
        }
    }
}
