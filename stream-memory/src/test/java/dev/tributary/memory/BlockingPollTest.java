package dev.tributary.memory;

import static dev.tributary.memory.Fixtures.client;
import static dev.tributary.memory.Fixtures.fails;
import static dev.tributary.memory.Fixtures.fresh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ErrorKind;
import dev.tributary.GroupConsumer;
import dev.tributary.GroupOptions;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamReader;
import dev.tributary.StreamRecord;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Blocked polls are woken at once by appends and closes. The polls here wait up to 30 s, and the
 * tests assert they return within 5 s: a poll that only woke at its bound would fail.
 */
class BlockingPollTest {
    private static final Duration LONG_WAIT = Duration.ofSeconds(30);
    private static final long WOKEN_WITHIN_S = 5;

    /** Appends {@code payload} to {@code s} through {@code writer} while {@code r} is blocked in a poll, which it wakes. */
    private static void assertAppendWakesPoll(StreamReader r, StreamClient writer, StreamName s, String payload)
            throws Exception {
        CompletableFuture<List<StreamEvent>> f = blocked(() -> r.poll(10, LONG_WAIT));
        writer.append(s, StreamRecord.of(payload));
        assertEquals(payload, f.get(WOKEN_WITHIN_S, TimeUnit.SECONDS).get(0).payloadAsString());
    }

    /** Creates {@code s} with group "g" and blocks member "m" of it in a poll. */
    private static CompletableFuture<List<StreamEvent>> blockedGroupPoll(StreamClient c, StreamName s)
            throws InterruptedException {
        c.createStream(s);
        c.createGroup(s, "g", GroupOptions.defaults());
        GroupConsumer m = c.openGroupConsumer(s, "g", "m");
        return blocked(() -> m.poll(10, LONG_WAIT));
    }

    /** Runs {@code poll} in another thread and waits until it has had time to block. */
    private static <T> CompletableFuture<T> blocked(Supplier<T> poll) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<T> f = CompletableFuture.supplyAsync(
                () -> {
                    started.countDown();
                    return poll.get();
                },
                r -> {
                    Thread t = new Thread(r, "blocked-poll");
                    t.setDaemon(true);
                    t.start();
                });
        started.await();
        Thread.sleep(100); // let it reach the wait; correctness does not depend on it
        return f;
    }

    private static StreamException failure(CompletableFuture<?> f) throws Exception {
        try {
            f.get(WOKEN_WITHIN_S, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return (StreamException) e.getCause();
        }
        throw new AssertionError("poll returned instead of failing");
    }

    @Test
    void pollWithNothingToReadReturnsEmptyAfterItsBound() {
        try (StreamClient c = client("")) {
            StreamName s = fresh("bound");
            c.createStream(s);
            try (StreamReader r = c.openReader(s, Position.latest())) {
                long t0 = System.nanoTime();
                assertTrue(r.poll(10, Duration.ofMillis(200)).isEmpty());
                assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(200), "waited its bound");
                assertTrue(r.poll(10, Duration.ZERO).isEmpty());
            }
        }
    }

    @Test
    void appendWakesABlockedPoll() throws Exception {
        try (StreamClient c = client("")) {
            StreamName s = fresh("wake");
            c.createStream(s);
            try (StreamReader r = c.openReader(s, Position.latest())) {
                assertAppendWakesPoll(r, c, s, "hello");
            }
        }
    }

    @Test
    void appendToAMissingStreamWakesAReaderWaitingForIt() throws Exception {
        try (StreamClient c = client("")) {
            StreamName s = fresh("wake-missing");
            try (StreamReader r = c.openReader(s, Position.earliest())) {
                assertAppendWakesPoll(r, c, s, "first");
            }
        }
    }

    @Test
    void appendFromAnotherClientOfANamedStoreWakesAPoll() throws Exception {
        String store = "memory:blocking-" + fresh("x").value();
        try (StreamClient reader = dev.tributary.StreamClients.open(store);
                StreamClient writer = dev.tributary.StreamClients.open(store)) {
            StreamName s = fresh("wake-named");
            try (StreamReader r = reader.openReader(s, Position.latest())) {
                assertAppendWakesPoll(r, writer, s, "across");
            }
        }
    }

    @Test
    void clientCloseWakesABlockedPollWhichFailsClosed() throws Exception {
        StreamClient c = client("");
        StreamName s = fresh("close");
        StreamReader r = c.openReader(s, Position.latest());
        CompletableFuture<List<StreamEvent>> f = blocked(() -> r.poll(10, LONG_WAIT));
        c.close();
        assertEquals(ErrorKind.CLOSED, failure(f).kind());
        fails(ErrorKind.CLOSED, () -> r.poll(1, Duration.ZERO));
    }

    @Test
    void readerCloseWakesItsBlockedPollWhichFailsClosed() throws Exception {
        try (StreamClient c = client("")) {
            StreamName s = fresh("rclose");
            c.createStream(s);
            StreamReader r = c.openReader(s, Position.latest());
            CompletableFuture<List<StreamEvent>> f = blocked(() -> r.poll(10, LONG_WAIT));
            r.close();
            r.close();
            assertEquals(ErrorKind.CLOSED, failure(f).kind());
            fails(ErrorKind.CLOSED, () -> r.poll(1, Duration.ZERO));
            c.append(s, StreamRecord.of("client still works"));
        }
    }

    @Test
    void clientCloseWakesABlockedGroupPollWhichFailsClosed() throws Exception {
        StreamClient c = client("");
        CompletableFuture<List<StreamEvent>> f = blockedGroupPoll(c, fresh("gclose"));
        c.close();
        assertEquals(ErrorKind.CLOSED, failure(f).kind());
    }

    @Test
    void deleteStreamWakesABlockedGroupPollWhichFailsNotFound() throws Exception {
        assertDeletingWakesAGroupPollWhichFailsNotFound("gdel", StreamClient::deleteStream);
    }

    @Test
    void deleteGroupWakesABlockedGroupPollWhichFailsNotFound() throws Exception {
        assertDeletingWakesAGroupPollWhichFailsNotFound("gdelg", (c, s) -> c.deleteGroup(s, "g"));
    }

    /** {@code delete}, which must find something to delete, wakes a blocked group poll that then fails NOT_FOUND. */
    private void assertDeletingWakesAGroupPollWhichFailsNotFound(
            String name, BiPredicate<StreamClient, StreamName> delete) throws Exception {
        try (StreamClient c = client("")) {
            StreamName s = fresh(name);
            CompletableFuture<List<StreamEvent>> f = blockedGroupPoll(c, s);
            assertTrue(delete.test(c, s));
            assertEquals(ErrorKind.NOT_FOUND, failure(f).kind());
        }
    }

    @Test
    void appendWakesABlockedGroupPoll() throws Exception {
        try (StreamClient c = client("")) {
            StreamName s = fresh("gwake");
            CompletableFuture<List<StreamEvent>> f = blockedGroupPoll(c, s);
            c.append(s, StreamRecord.of("x"));
            assertEquals("x", f.get(WOKEN_WITHIN_S, TimeUnit.SECONDS).get(0).payloadAsString());
        }
    }

    @Test
    void interruptedPollFailsRetryableAndKeepsTheInterruptFlag() {
        try (StreamClient c = client("")) {
            StreamName s = fresh("intr");
            c.createStream(s);
            try (StreamReader r = c.openReader(s, Position.latest())) {
                Thread.currentThread().interrupt();
                try {
                    fails(ErrorKind.RETRYABLE, () -> r.poll(1, LONG_WAIT));
                    assertTrue(Thread.currentThread().isInterrupted());
                } finally {
                    Thread.interrupted();
                }
            }
        }
    }
}
