package dev.tributary.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.Capability;
import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.Headers;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import dev.tributary.core.testing.Events;
import dev.tributary.core.testing.FakeTime;
import dev.tributary.spi.ForwardingStreamClient;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PublisherTest {
    private final StreamClient memory = Events.memory();
    private final StreamName stream = Events.fresh("pub");
    private final FakeTime time = new FakeTime();

    @AfterEach
    void tearDown() {
        memory.close();
    }

    /** Fails the first {@code failures} appends with {@code kind} (after storing them when {@code stored}). */
    private static final class Flaky extends ForwardingStreamClient {
        final List<String> idsSent = new CopyOnWriteArrayList<>();
        final AtomicInteger failuresLeft;
        final ErrorKind kind;
        final boolean stored;
        final boolean idempotent;

        Flaky(StreamClient d, int failures, ErrorKind kind, boolean stored, boolean idempotent) {
            super(d);
            this.failuresLeft = new AtomicInteger(failures);
            this.kind = kind;
            this.stored = stored;
            this.idempotent = idempotent;
        }

        @Override
        public Set<Capability> capabilities() {
            EnumSet<Capability> caps = EnumSet.copyOf(super.capabilities());
            if (!idempotent) {
                caps.remove(Capability.IDEMPOTENT_APPEND);
            }
            return caps;
        }

        @Override
        public CompletableFuture<EventId> appendAsync(StreamName s, StreamRecord r) {
            idsSent.add(String.valueOf(r.idempotencyId()));
            if (failuresLeft.getAndDecrement() > 0) {
                if (stored) {
                    super.appendAsync(s, r).join();
                }
                return CompletableFuture.failedFuture(new StreamException(kind, "injected " + kind));
            }
            return super.appendAsync(s, r);
        }
    }

    private Publisher<String> publisher(StreamClient c) {
        return Publisher.builder(c, stream, Codecs.utf8())
                .sleeper(time)
                .random(new java.util.SplittableRandom(5))
                .executor(Runnable::run)
                .build();
    }

    /** The stream holds exactly one event, {@code id}. */
    private void assertStoredOnlyOnce(EventId id, String message) {
        List<StreamEvent> stored = memory.range(stream, Position.earliest(), null, 10);
        assertEquals(1, stored.size(), message);
        assertEquals(id, stored.get(0).id());
    }

    @Test
    void retryableFailuresAreRetriedWithTheSameIdempotencyId() {
        Flaky c = new Flaky(memory, 2, ErrorKind.RETRYABLE, false, true);
        Publisher<String> p = publisher(c);
        EventId id = p.publishAndWait("hello");
        assertEquals(3, c.idsSent.size());
        assertEquals(1, Set.copyOf(c.idsSent).size(), "every attempt carries the same idempotency id: " + c.idsSent);
        assertTrue(c.idsSent.get(0).startsWith("pub-"));
        assertEquals(2, time.sleeps().size(), "two backoff waits, on the injected sleeper");
        assertStoredOnlyOnce(id, "one event stored");
        assertEquals(0, p.inFlight());
    }

    @Test
    void anIndeterminateAppendIsRetriedOnAnIdempotentBackendAndStoredOnce() {
        Flaky c = new Flaky(memory, 1, ErrorKind.INDETERMINATE, true, true);
        Publisher<String> p = publisher(c);
        EventId id = p.publishAndWait("maybe");
        assertEquals(2, c.idsSent.size());
        assertEquals(c.idsSent.get(0), c.idsSent.get(1));
        assertStoredOnlyOnce(id, "the broker deduplicated the retry");
    }

    @Test
    void anIndeterminateAppendIsReportedNotRetriedWithoutIdempotentAppend() {
        Flaky c = new Flaky(memory, 1, ErrorKind.INDETERMINATE, true, false);
        Publisher<String> p = publisher(c);
        StreamException e = assertThrows(StreamException.class, () -> p.publishAndWait("maybe"));
        assertEquals(ErrorKind.INDETERMINATE, e.kind());
        assertEquals(1, c.idsSent.size());
        assertEquals("null", c.idsSent.get(0), "no idempotency id where the backend cannot use it");
    }

    @Test
    void defaultIdempotencyIdsAreUniqueWithinAndAcrossPublishersAndValid() {
        java.util.function.Supplier<String> a = Publisher.uniqueIds();
        java.util.function.Supplier<String> b = Publisher.uniqueIds();
        Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertTrue(seen.add(a.get()));
            assertTrue(seen.add(b.get()));
        }
        String id = a.get();
        assertTrue(id.matches("pub-[A-Za-z0-9_-]{22}-[0-9a-z]+"), id);
        StreamRecord.builder().payload("x").idempotencyId(id).build(); // a valid idempotency id
    }

    @Test
    void aBurstOfAnswersReleasesTheNextRecordOfEveryKeyInOneSendTaskInKeyOrder() {
        List<CompletableFuture<EventId>> held = new CopyOnWriteArrayList<>();
        List<String> sent = new CopyOnWriteArrayList<>();
        StreamClient holding = new ForwardingStreamClient(memory) {
            @Override
            public CompletableFuture<EventId> appendAsync(StreamName s, StreamRecord r) {
                sent.add(new String(r.payload(), java.nio.charset.StandardCharsets.UTF_8));
                CompletableFuture<EventId> f = new CompletableFuture<>();
                held.add(f);
                return f;
            }
        };
        List<Runnable> tasks = new CopyOnWriteArrayList<>();
        Publisher<String> p = Publisher.builder(holding, stream, Codecs.utf8())
                .executor(tasks::add)
                .build();
        List<CompletableFuture<EventId>> results = new java.util.ArrayList<>();
        for (int round = 0; round < 2; round++) {
            for (int k = 0; k < 50; k++) {
                results.add(p.publish(round + "-" + k, "key-" + k, Headers.empty()));
            }
        }
        assertEquals(50, sent.size(), "one record per key in flight");
        for (int i = 0; i < 50; i++) {
            held.get(i).complete(EventId.ofSequence(i + 1));
        }
        assertEquals(1, tasks.size(), "50 answers, one send task");
        tasks.get(0).run();
        assertEquals(100, sent.size());
        for (int k = 0; k < 50; k++) {
            assertEquals("1-" + k, sent.get(50 + k), "each key's second record, in release order");
        }
        for (int i = 50; i < 100; i++) {
            held.get(i).complete(EventId.ofSequence(i + 1));
        }
        results.forEach(CompletableFuture::join);
        assertEquals(0, p.inFlight());
    }

    @Test
    void withIdempotenceOffAnIdempotentBackendGetsPlainAppendsAndIndeterminateIsReported() {
        Flaky c = new Flaky(memory, 1, ErrorKind.INDETERMINATE, true, true);
        Publisher<String> p = Publisher.builder(c, stream, Codecs.utf8())
                .idempotence(false)
                .sleeper(time)
                .executor(Runnable::run)
                .build();
        StreamException e = assertThrows(StreamException.class, () -> p.publishAndWait("maybe"));
        assertEquals(ErrorKind.INDETERMINATE, e.kind(), "not retried: a retry could store it twice");
        p.publishAndWait("next");
        assertEquals(List.of("null", "null"), c.idsSent, "plain appends, no idempotency id");
    }

    @Test
    void nonRetryableErrorsAreReportedAtOnce() {
        Flaky c = new Flaky(memory, 1, ErrorKind.NOT_FOUND, false, true);
        Publisher<String> p = publisher(c);
        CompletionException e =
                assertThrows(CompletionException.class, () -> p.publish("x").join());
        assertEquals(ErrorKind.NOT_FOUND, ((StreamException) e.getCause()).kind());
        assertEquals(1, c.idsSent.size());
    }

    @Test
    void attemptsAreBoundedByTheRetryPolicy() {
        Flaky c = new Flaky(memory, 100, ErrorKind.RETRYABLE, false, true);
        Publisher<String> p = Publisher.builder(c, stream, Codecs.utf8())
                .sleeper(time)
                .executor(Runnable::run)
                .retry(RetryPolicy.of(4, Backoff.exponential(Duration.ofMillis(10), Duration.ofMillis(40))))
                .build();
        StreamException e = assertThrows(StreamException.class, () -> p.publishAndWait("x"));
        assertEquals(ErrorKind.RETRYABLE, e.kind());
        assertEquals(4, c.idsSent.size());
        assertEquals(0, p.inFlight(), "the slot is given back after the final failure");
    }

    @Test
    void whenFullPublishFailsWithBackpressureAndRecoversWhenAppendsComplete() throws Exception {
        List<CompletableFuture<EventId>> pending = new CopyOnWriteArrayList<>();
        StreamClient stalled = new ForwardingStreamClient(memory) {
            @Override
            public CompletableFuture<EventId> appendAsync(StreamName s, StreamRecord r) {
                CompletableFuture<EventId> f = new CompletableFuture<>();
                pending.add(f);
                return f;
            }
        };
        // unordered: both appends are sent at once (ordered backpressure: PublisherOrderingTest)
        Publisher<String> p = Publisher.builder(stalled, stream, Codecs.utf8())
                .maxInFlight(2)
                .ordering(Ordering.NONE)
                .build();
        CompletableFuture<EventId> a = p.publish("a");
        p.publish("b", "key", Headers.of("h", "v"));
        StreamException e = assertThrows(StreamException.class, () -> p.publish("c"));
        assertEquals(ErrorKind.BACKPRESSURE, e.kind());
        assertEquals(2, p.inFlight());
        pending.get(0).complete(EventId.ofSequence(1));
        assertEquals(EventId.ofSequence(1), a.join());
        p.publish("c"); // room again
        assertEquals(2, p.inFlight());

        Publisher<String> waiting = Publisher.builder(stalled, stream, Codecs.utf8())
                .maxInFlight(1)
                .whenFull(Duration.ofMillis(50))
                .build();
        waiting.publish("x");
        long t0 = System.nanoTime();
        StreamException e2 = assertThrows(StreamException.class, () -> waiting.publish("y"));
        assertEquals(ErrorKind.BACKPRESSURE, e2.kind());
        assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(40).toNanos(), "it waited for room first");
        pending.forEach(f -> f.complete(EventId.ofSequence(9)));
        assertTrue(p.flush(Duration.ofSeconds(5)));
    }

    @Test
    void anUnencodableValueThrowsAndSendsNothing() {
        Flaky c = new Flaky(memory, 0, ErrorKind.RETRYABLE, false, true);
        Publisher<String> p = publisher(c);
        assertThrows(CodecException.class, () -> p.publish("bad \uD800 surrogate"));
        assertTrue(c.idsSent.isEmpty());
        assertEquals(0, p.inFlight());
    }

    @Test
    void publishAfterCloseFailsWithClosed() {
        Publisher<String> p = publisher(memory);
        p.publishAndWait("one");
        p.close();
        p.close();
        StreamException e = assertThrows(StreamException.class, () -> p.publish("two"));
        assertEquals(ErrorKind.CLOSED, e.kind());
    }
}
