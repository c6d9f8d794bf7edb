package dev.tributary.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ErrorKind;
import dev.tributary.StreamException;
import dev.tributary.core.Backoff;
import dev.tributary.core.ProcessorListener;
import dev.tributary.core.testing.FakeTime;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The bounded form of a retried call: {@link Retrying#callWithin}. */
class RetryingTest {
    private final Retrying retrying = new Retrying(
            "p",
            Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(1)),
            new Random(1),
            null,
            new ProcessorListener() {},
            new Pacer(new FakeTime(), () -> false));

    @Test
    void aCallThatKeepsFailingRetryablyIsGivenUpOnceItsWaitsReachTheBound() {
        AtomicInteger attempts = new AtomicInteger();
        StreamException last = new StreamException(ErrorKind.RETRYABLE, "no confirmation");
        StreamException thrown = assertThrows(
                StreamException.class,
                () -> retrying.callWithin("ack", Duration.ofSeconds(5), () -> {
                    attempts.incrementAndGet();
                    throw last;
                }));
        assertSame(last, thrown, "the last failure is what the caller sees");
        // waits of at most 1 s each (full jitter): at least six attempts before 5 s of waits
        assertTrue(attempts.get() >= 6, "attempts: " + attempts.get());
    }

    @Test
    void aCallThatSucceedsWithinTheBoundReturnsItsResult() {
        AtomicInteger attempts = new AtomicInteger();
        String r = retrying.callWithin("ack", Duration.ofSeconds(30), () -> {
            if (attempts.incrementAndGet() < 3) {
                throw new StreamException(ErrorKind.RETRYABLE, "not yet");
            }
            return "ok";
        });
        assertEquals("ok", r);
        assertEquals(3, attempts.get());
    }

    @Test
    void aNonRetryableFailureIsThrownAtOnceWhateverTheBound() {
        AtomicInteger attempts = new AtomicInteger();
        assertThrows(
                StreamException.class,
                () -> retrying.callWithin("ack", Duration.ofHours(1), () -> {
                    attempts.incrementAndGet();
                    throw new StreamException(ErrorKind.CONFIGURATION, "refused");
                }));
        assertEquals(1, attempts.get());
    }
}
