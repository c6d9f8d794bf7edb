package dev.tributary.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ClientConfig;
import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.GroupConsumer;
import dev.tributary.GroupOptions;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamClients;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamReader;
import dev.tributary.StreamRecord;
import dev.tributary.tck.BrokerControl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The close sequence of the NATS client against a real server: appends pending at close, blocked
 * polls, calls after close. The kit's rules (L8, F6) state these for every backend; here they are
 * pinned with NATS specifics (jnats hands a publish to its writer thread, a paused server).
 */
class NatsCloseIT {

    private static StreamClient open(Duration requestTimeout, Duration closeTimeout, int maxInFlight) {
        ClientConfig c = NatsFixture.shared().config().toBuilder()
                .requestTimeout(requestTimeout)
                .closeTimeout(closeTimeout)
                .maxInFlightAppends(maxInFlight)
                .build();
        return StreamClients.open(c);
    }

    private static StreamName fresh(StreamClient c, String what) {
        return NatsFixture.createFresh(c, what);
    }

    private static ErrorKind kindOf(CompletableFuture<?> f) throws Exception {
        try {
            f.get(10, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return ((StreamException) e.getCause()).kind();
        }
    }

    @Test
    void appendsPendingAtCloseWithThePausedServerEndIndeterminateAndUnsentOnesClosed() throws Exception {
        BrokerControl ctl = NatsFixture.shared().control().orElse(null);
        Assumptions.assumeTrue(ctl != null, "the fixture cannot pause its server");
        StreamClient c = open(Duration.ofSeconds(30), Duration.ofSeconds(2), 20);
        StreamName s = fresh(c, "close-paused");
        List<CompletableFuture<EventId>> sent = new ArrayList<>();
        CompletableFuture<CompletableFuture<EventId>> waiting;
        long closeMs;
        ctl.pause();
        try {
            for (int i = 0; i < 20; i++) {
                sent.add(c.appendAsync(s, StreamRecord.of("p" + i)));
            }
            // the window is full: this one waits for room and is never handed to jnats
            waiting = CompletableFuture.supplyAsync(() -> c.appendAsync(s, StreamRecord.of("unsent")));
            Thread.sleep(300);
            long start = System.nanoTime();
            c.close();
            closeMs = (System.nanoTime() - start) / 1_000_000;
        } finally {
            ctl.resume();
        }
        assertTrue(closeMs < 4000, "close took " + closeMs + " ms with closeTimeout 2s");
        for (CompletableFuture<EventId> f : sent) {
            assertEquals(ErrorKind.INDETERMINATE, kindOf(f), "an append handed to jnats before close");
        }
        assertEquals(ErrorKind.CLOSED, kindOf(waiting.get(10, TimeUnit.SECONDS)), "an append that never left");
        try (StreamClient check = StreamClients.open(NatsFixture.shared().config())) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            long stored;
            do {
                stored = check.info(s).length();
            } while (stored < 20 && System.nanoTime() < deadline);
            assertTrue(stored <= 20, "only the sent appends may be stored, found " + stored);
        }
    }

    @Test
    void everyCallAfterCloseFailsClosedParseIdIncluded() {
        StreamClient c = open(Duration.ofSeconds(5), Duration.ofSeconds(5), 100);
        StreamName s = fresh(c, "close-calls");
        c.close();
        assertEquals(
                ErrorKind.CLOSED,
                assertThrows(StreamException.class, () -> c.parseId("42")).kind());
        assertEquals(
                ErrorKind.CLOSED,
                assertThrows(StreamException.class, () -> c.appendAsync(s, StreamRecord.of("x")))
                        .kind());
        assertEquals(
                ErrorKind.CLOSED,
                assertThrows(StreamException.class, () -> c.groups(s)).kind());
        assertEquals("nats", c.backend());
    }

    @Test
    void closingTheClientEndsBlockedReaderAndMemberPollsWithClosed() throws Exception {
        StreamClient c = open(Duration.ofSeconds(5), Duration.ofSeconds(5), 100);
        StreamName s = fresh(c, "close-polls");
        c.createGroup(s, "g", GroupOptions.defaults());
        StreamReader r = c.openReader(s, Position.latest());
        GroupConsumer m = c.openGroupConsumer(s, "g", "m");
        CompletableFuture<Object> reader = CompletableFuture.supplyAsync(() -> r.poll(10, Duration.ofSeconds(30)));
        CompletableFuture<Object> member = CompletableFuture.supplyAsync(() -> m.poll(10, Duration.ofSeconds(30)));
        Thread.sleep(500);
        long start = System.nanoTime();
        c.close();
        assertEquals(ErrorKind.CLOSED, kindOf(reader));
        assertEquals(ErrorKind.CLOSED, kindOf(member));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3), "blocked polls woke within 3 s");
        assertEquals(
                ErrorKind.CLOSED,
                assertThrows(StreamException.class, () -> r.poll(1, Duration.ZERO))
                        .kind());
    }
}
