package dev.tributary.core;

import static dev.tributary.core.testing.ScriptedBroker.Outcome.INDETERMINATE_LOST;
import static dev.tributary.core.testing.ScriptedBroker.Outcome.INDETERMINATE_STORED;
import static dev.tributary.core.testing.ScriptedBroker.Outcome.RETRYABLE;
import static dev.tributary.core.testing.ScriptedBroker.Outcome.STORED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.Headers;
import dev.tributary.StreamClient;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.core.testing.Events;
import dev.tributary.core.testing.FakeTime;
import dev.tributary.core.testing.ScriptedBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Order across retries: per key by default, keyless events as barriers, none on request. */
class PublisherOrderingTest {
    private final StreamClient memory = Events.memory();
    private final StreamName stream = Events.fresh("order");
    private final FakeTime time = new FakeTime();
    private final ScriptedBroker broker = new ScriptedBroker(memory);

    @AfterEach
    void tearDown() {
        memory.close();
    }

    private Publisher<String> publisher(Ordering ordering, int maxInFlight) {
        return Publisher.builder(broker, stream, Codecs.utf8())
                .ordering(ordering)
                .maxInFlight(maxInFlight)
                .deliveryTimeout(Duration.ofHours(24)) // these runs retry for a long fake time
                .clock(time)
                .sleeper(time)
                .random(new SplittableRandom(7))
                .executor(Runnable::run)
                .build();
    }

    /** Publishes one event per key (null: none), numbered 1, 2, 3… in that order. */
    private static void publishKeys(Publisher<String> p, String... keys) {
        for (int i = 0; i < keys.length; i++) {
            var unused = publish(p, keys[i], i + 1);
        }
    }

    /** Values look like "k3-17": key k3, the 17th event published; keyless ones "_-17". */
    private static CompletableFuture<EventId> publish(Publisher<String> p, String key, int seq) {
        return p.publish((key == null ? "_" : key) + "-" + seq, key, Headers.empty());
    }

    private static int seq(String value) {
        return Integer.parseInt(value.substring(value.indexOf('-') + 1));
    }

    private static String keyOf(String value) {
        String k = value.substring(0, value.indexOf('-'));
        return k.equals("_") ? null : k;
    }

    /** Events of one key stored out of publish order, as "earlier after later" pairs. */
    private static List<String> perKeyReorders(List<String> stored) {
        Map<String, Integer> last = new HashMap<>();
        List<String> reorders = new ArrayList<>();
        for (String v : stored) {
            String k = String.valueOf(keyOf(v));
            Integer before = last.put(k, seq(v));
            if (before != null && before > seq(v)) {
                reorders.add(v + " after " + k + "-" + before);
            }
        }
        return reorders;
    }

    @Test
    void laterEventsOfAKeyWaitWhileAnEarlierOneIsRetriedAndOtherKeysPipeline() {
        Publisher<String> p = publisher(Ordering.PER_KEY, 100);
        publishKeys(p, "a", "b", "a", "c");
        assertEquals(
                List.of("a-1", "b-2", "c-4"), broker.pendingPayloads(), "a-3 waits behind a-1; b and c go at once");
        broker.answer("a-1", RETRYABLE);
        assertEquals(List.of("b-2", "c-4", "a-1"), broker.pendingPayloads(), "a-1 is retried, a-3 still waits");
        broker.answer("c-4", STORED);
        broker.answer("a-1", STORED);
        assertEquals(List.of("b-2", "a-3"), broker.pendingPayloads(), "a-3 goes once a-1 is stored");
        broker.answer("a-3", STORED);
        broker.answer("b-2", STORED);
        assertEquals(List.of("c-4", "a-1", "a-3", "b-2"), broker.stored(stream));
        assertEquals(0, p.inFlight());
    }

    @Test
    void anIndeterminateEventIsRetriedWithItsIdBeforeTheNextOfItsKeyGoes() {
        Publisher<String> p = publisher(Ordering.PER_KEY, 100);
        CompletableFuture<EventId> first = publish(p, "a", 1);
        CompletableFuture<EventId> second = publish(p, "a", 2);
        broker.answer("a-1", INDETERMINATE_STORED);
        assertEquals(List.of("a-1"), broker.pendingPayloads(), "the retry of a-1, not a-2");
        broker.answer("a-1", STORED); // the broker deduplicates by idempotency id
        broker.answer("a-2", STORED);
        assertEquals(List.of("a-1", "a-1", "a-2"), broker.sent());
        assertEquals(List.of("a-1", "a-2"), broker.stored(stream), "stored once each, in order");
        assertTrue(first.isDone() && second.isDone());
    }

    @Test
    void aKeylessEventGoesAloneAfterEverythingBeforeItAndBeforeEverythingAfterIt() {
        Publisher<String> p = publisher(Ordering.PER_KEY, 100);
        publishKeys(p, "a", "b", null, "a", "c");
        assertEquals(List.of("a-1", "b-2"), broker.pendingPayloads());
        broker.answer("b-2", STORED);
        assertEquals(List.of("a-1"), broker.pendingPayloads(), "_-3 waits for a-1 too");
        broker.answer("a-1", RETRYABLE);
        broker.answer("a-1", STORED);
        assertEquals(List.of("_-3"), broker.pendingPayloads(), "the keyless event goes alone");
        broker.answer("_-3", RETRYABLE);
        assertEquals(List.of("_-3"), broker.pendingPayloads(), "and is retried alone");
        broker.answer("_-3", STORED);
        assertEquals(List.of("a-4", "c-5"), broker.pendingPayloads(), "then the keyed events behind it pipeline again");
        broker.answer("c-5", STORED);
        broker.answer("a-4", STORED);
        assertEquals(List.of("b-2", "a-1", "_-3", "c-5", "a-4"), broker.stored(stream));
        assertEquals(List.of(), broker.orderViolations());
    }

    @Test
    void unorderedModeSendsEverythingAtOnceAndMayReorderAKey() {
        Publisher<String> p = publisher(Ordering.NONE, 100);
        publishKeys(p, "a", "a", null);
        assertEquals(List.of("a-1", "a-2", "_-3"), broker.pendingPayloads());
        broker.answer("a-1", RETRYABLE);
        broker.answer("a-2", STORED);
        broker.answer("_-3", STORED);
        broker.answer("a-1", STORED);
        assertEquals(List.of("a-2", "_-3", "a-1"), broker.stored(stream), "a retried event lands after later ones");
    }

    @Test
    void waitingEventsCountAgainstMaxInFlight() {
        Publisher<String> p = publisher(Ordering.PER_KEY, 3);
        publishKeys(p, "a", "a", "a");
        assertEquals(1, broker.pendingCount(), "one of the key is sent");
        assertEquals(3, p.inFlight(), "the two waiting count too");
        StreamException full = assertThrows(StreamException.class, () -> publish(p, "b", 4));
        assertEquals(ErrorKind.BACKPRESSURE, full.kind());
        broker.answer("a-1", STORED);
        publish(p, "b", 4);
        assertEquals(List.of("a-2", "b-4"), broker.pendingPayloads());
    }

    @Test
    void aKeyWhoseEventFailedForGoodGoesOnWithItsNextEvent() {
        Publisher<String> p = Publisher.builder(broker, stream, Codecs.utf8())
                .clock(time)
                .sleeper(time)
                .executor(Runnable::run)
                .retry(RetryPolicy.of(2, Backoff.exponential(Duration.ofMillis(10), Duration.ofMillis(10))))
                .build();
        CompletableFuture<EventId> first = publish(p, "a", 1);
        CompletableFuture<EventId> second = publish(p, "a", 2);
        broker.answer("a-1", RETRYABLE);
        broker.answer("a-1", RETRYABLE);
        assertTrue(first.isCompletedExceptionally(), "two attempts, the cap");
        assertFalse(second.isDone());
        broker.answer("a-2", STORED);
        assertEquals(List.of("a-2"), broker.stored(stream));
    }

    /**
     * A run like the measurement: thousands of keyed (and some keyless) events, appends answered in
     * random order, an outage in the middle where appends fail RETRYABLE or INDETERMINATE (stored or
     * not), and flaky answers around it.
     */
    private List<String> chaosRun(Ordering ordering, double keylessShare, long seed) {
        Publisher<String> p = publisher(ordering, 200);
        Random rnd = new Random(seed);
        List<CompletableFuture<EventId>> results = new ArrayList<>();
        int events = 3000;
        int published = 0;
        while (published < events || broker.pendingCount() > 0) {
            boolean canPublish = published < events && p.inFlight() < 200;
            if (canPublish && (broker.pendingCount() == 0 || rnd.nextInt(3) > 0)) {
                String key = rnd.nextDouble() < keylessShare ? null : "k" + rnd.nextInt(25);
                results.add(publish(p, key, published++));
                continue;
            }
            int n = broker.answered();
            boolean down = n >= 1500 && n < 4000;
            ScriptedBroker.Outcome o;
            if (down) {
                int r = rnd.nextInt(10);
                o = r < 6 ? RETRYABLE : r < 8 ? INDETERMINATE_STORED : INDETERMINATE_LOST;
            } else {
                o = rnd.nextInt(20) == 0 ? RETRYABLE : STORED;
            }
            broker.answer(rnd.nextInt(broker.pendingCount()), o);
        }
        assertTrue(results.stream().allMatch(f -> f.isDone() && !f.isCompletedExceptionally()), "every event stored");
        assertEquals(0, p.inFlight());
        List<String> stored = broker.stored(stream);
        assertEquals(events, stored.size(), "each event stored exactly once (retries deduplicated by id)");
        return stored;
    }

    @Test
    void perKeyOrderHoldsAcrossRetriesIndeterminateOutcomesAndOutOfOrderAnswers() {
        List<String> stored = chaosRun(Ordering.PER_KEY, 0.0, 11);
        assertEquals(List.of(), perKeyReorders(stored));
        assertEquals(List.of(), broker.orderViolations(), "never two unanswered appends of one key");
        assertTrue(broker.maxPending() >= 10, "different keys pipelined: up to " + broker.maxPending() + " at once");
        assertTrue(
                broker.sent().size() > 3500,
                "the run had retries: " + broker.sent().size() + " sends");
    }

    @Test
    void keylessEventsAreOrderedWithRespectToEveryEvent() {
        List<String> stored = chaosRun(Ordering.PER_KEY, 0.05, 12);
        assertEquals(List.of(), perKeyReorders(stored));
        for (int i = 0; i < stored.size(); i++) {
            if (keyOf(stored.get(i)) != null) {
                continue;
            }
            int s = seq(stored.get(i));
            for (int j = 0; j < stored.size(); j++) {
                int other = seq(stored.get(j));
                if (j < i && other > s || j > i && other < s) {
                    throw new AssertionError(stored.get(j) + " is on the wrong side of keyless " + stored.get(i));
                }
            }
        }
        assertEquals(List.of(), broker.orderViolations());
    }

    @Test
    void unorderedModeReordersUnderTheSameRun() {
        List<String> stored = chaosRun(Ordering.NONE, 0.0, 11);
        assertFalse(perKeyReorders(stored).isEmpty(), "without ordering, retries go around later events");
        assertTrue(broker.maxPending() > 150, "everything in flight at once: " + broker.maxPending());
    }
}
