package dev.tributary.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.Headers;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import dev.tributary.core.testing.Events;
import dev.tributary.core.testing.FakeTime;
import dev.tributary.core.testing.ScriptedBroker;
import dev.tributary.spi.ForwardingStreamClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Publishing retries until a delivery deadline (default 2 min), not a small count of attempts. */
class PublisherDeadlineTest {
    private final StreamClient memory = Events.memory();
    private final StreamName stream = Events.fresh("deadline");
    private final FakeTime time = new FakeTime();
    private final Instant start = time.instant();

    @AfterEach
    void tearDown() {
        memory.close();
    }

    /** Refuses appends RETRYABLE (storing nothing) while the fake clock is before {@code upAt}. */
    private final class Outage extends ForwardingStreamClient {
        final Instant upAt;
        final List<String> attempts = new CopyOnWriteArrayList<>();
        volatile StreamException lastError;

        Outage(Duration length) {
            super(memory);
            this.upAt = start.plus(length);
        }

        @Override
        public CompletableFuture<EventId> appendAsync(StreamName s, StreamRecord r) {
            attempts.add(new String(r.payload(), StandardCharsets.UTF_8));
            if (time.instant().isBefore(upAt)) {
                lastError = new StreamException(
                        ErrorKind.RETRYABLE, "connection refused (attempt " + attempts.size() + ")");
                return CompletableFuture.failedFuture(lastError);
            }
            return super.appendAsync(s, r);
        }
    }

    private Publisher.Builder<String> builder(StreamClient c) {
        return Publisher.builder(c, stream, Codecs.utf8())
                .clock(time)
                .sleeper(time)
                .random(new SplittableRandom(3))
                .executor(Runnable::run);
    }

    @Test
    void theDefaultsRideOutAThreeSecondBrokerRestart() {
        Outage broker = new Outage(Duration.ofSeconds(3));
        EventId id = builder(broker).build().publishAndWait("order-1");
        assertEquals(
                id, memory.range(stream, Position.earliest(), null, 10).get(0).id());
        assertTrue(broker.attempts.size() > 5, "more attempts than the old default of 5: " + broker.attempts.size());
        Duration late = Duration.between(broker.upAt, time.instant());
        assertFalse(late.isNegative());
        assertTrue(
                late.compareTo(Duration.ofSeconds(1)) <= 0,
                "stored within the 1 s backoff cap of the broker's return: " + late);
    }

    @Test
    void itGivesUpAtTheDeadlineWithTheLastError() {
        Outage broker = new Outage(Duration.ofDays(1));
        CompletableFuture<EventId> f = builder(broker).build().publish("order-1");
        CompletionException e = assertThrows(CompletionException.class, f::join);
        assertSame(broker.lastError, e.getCause(), "the last attempt's error, as it came");
        assertEquals(ErrorKind.RETRYABLE, broker.lastError.kind());
        assertEquals(
                Duration.ofMinutes(2),
                Duration.between(start, time.instant()),
                "the last attempt started at the deadline, not before giving up early nor after it");
        assertTrue(broker.attempts.size() > 100, "retried all along, waits capped at 1 s: " + broker.attempts.size());
        assertTrue(time.sleeps().stream().allMatch(d -> d.compareTo(Duration.ofSeconds(1)) <= 0), "waits capped");
    }

    @Test
    void theDeadlineIsConfigurableAndAnAttemptCapStillApplies() {
        Outage broker = new Outage(Duration.ofDays(1));
        assertThrows(
                StreamException.class,
                () -> builder(broker)
                        .deliveryTimeout(Duration.ofSeconds(10))
                        .build()
                        .publishAndWait("x"));
        assertEquals(Duration.ofSeconds(10), Duration.between(start, time.instant()));

        Outage again = new Outage(Duration.ofDays(1));
        assertThrows(
                StreamException.class,
                () -> builder(again)
                        .retry(RetryPolicy.of(3, Backoff.exponential(Duration.ofMillis(10), Duration.ofMillis(10))))
                        .build()
                        .publishAndWait("y"));
        assertEquals(3, again.attempts.size());
        assertThrows(IllegalArgumentException.class, () -> builder(again).deliveryTimeout(Duration.ZERO));
    }

    @Test
    void anEventWhoseDeadlinePassedWhileItWaitedBehindItsKeyIsNotSent() {
        ScriptedBroker broker = new ScriptedBroker(memory);
        Publisher<String> p =
                builder(broker).deliveryTimeout(Duration.ofSeconds(10)).build();
        CompletableFuture<EventId> first = p.publish("a-1", "a", Headers.empty());
        CompletableFuture<EventId> second = p.publish("a-2", "a", Headers.empty()); // same instant, same deadline
        while (!first.isDone()) {
            broker.answer("a-1", ScriptedBroker.Outcome.RETRYABLE);
        }
        assertTrue(second.isCompletedExceptionally());
        StreamException e = assertInstanceOf(
                StreamException.class,
                assertThrows(CompletionException.class, second::join).getCause());
        assertEquals(ErrorKind.RETRYABLE, e.kind(), "nothing was stored; the application may publish it again");
        assertTrue(e.getMessage().contains("deadline"), e.getMessage());
        assertEquals("broker down", e.getCause().getMessage(), "the error that held its key up");
        assertFalse(broker.sent().contains("a-2"));
        assertEquals(0, p.inFlight());
    }
}
