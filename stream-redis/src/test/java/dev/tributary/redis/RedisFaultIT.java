package dev.tributary.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.GroupConsumer;
import dev.tributary.GroupOptions;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamClients;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamReader;
import dev.tributary.StreamRecord;
import dev.tributary.tck.ProxyControl;
import dev.tributary.tck.fixture.FaultProxy;
import dev.tributary.tck.fixture.LocalProcessBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Faults against a redis-server of its own (so the shared fixture stays up): killed, restarted and
 * paused under a live client, which must fail with the documented kinds within its timeouts and
 * recover without being reopened.
 */
@TestMethodOrder(MethodOrderer.MethodName.class)
class RedisFaultIT {
    private static RedisFixture.Local broker;
    private static StreamClient client;

    @BeforeAll
    static void start() {
        RedisFixture.shared(); // skips or fails by the usual policy when no server can run
        broker =
                new RedisFixture.Local(LocalProcessBroker.onPath("redis-server").orElseThrow(), List.of());
        broker.start();
        client = StreamClients.open(RedisFixture.testConfig("redis://127.0.0.1:" + broker.port()));
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void a_killedServerFailsAppendsRetryableThenAcknowledgedDataSurvivesTheRestart() {
        StreamName s = StreamName.of("fault-kill");
        List<EventId> acked = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            acked.add(client.append(s, StreamRecord.of("before-" + i)));
        }
        broker.kill();
        long t0 = System.nanoTime();
        StreamException e = assertThrows(StreamException.class, () -> client.append(s, StreamRecord.of("down")));
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5), "fails within the request timeout");
        assertTrue(e.kind() == ErrorKind.RETRYABLE || e.kind() == ErrorKind.INDETERMINATE, e.toString());
        assertTrue(!client.health().up(), "health answers without throwing while the server is down");
        broker.start();
        EventId after = eventually(() -> client.append(s, StreamRecord.of("after")));
        List<StreamEvent> all = client.range(s, Position.earliest(), null, 1000);
        assertTrue(
                all.stream().map(StreamEvent::id).toList().containsAll(acked),
                "appendfsync always: every acknowledged append survived the kill");
        assertEquals(after, all.get(all.size() - 1).id());
    }

    @Test
    void b_pausedServerTimesOutAsIndeterminateForAppendsAndRetryableForReadsThenRecovers() {
        StreamName s = StreamName.of("fault-pause");
        client.append(s, StreamRecord.of("x"));
        broker.pause();
        try {
            long t0 = System.nanoTime();
            StreamException append = assertThrows(StreamException.class, () -> client.append(s, StreamRecord.of("y")));
            assertEquals(ErrorKind.INDETERMINATE, append.kind(), append.toString());
            StreamException read =
                    assertThrows(StreamException.class, () -> client.range(s, Position.earliest(), null, 10));
            assertEquals(ErrorKind.RETRYABLE, read.kind(), read.toString());
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(12), "bounded by the request timeout");
        } finally {
            broker.resume();
        }
        eventually(() -> client.append(s, StreamRecord.of("z")));
        List<String> got = client.range(s, Position.earliest(), null, 10).stream()
                .map(StreamEvent::payloadAsString)
                .toList();
        assertTrue(got.contains("x") && got.contains("z"), got.toString());
    }

    @Test
    void c_readersAndGroupMembersResumeAfterARestartWithoutHelp() {
        StreamName s = StreamName.of("fault-resume");
        client.createGroup(s, "g", GroupOptions.defaults());
        GroupConsumer member = client.openGroupConsumer(s, "g", "m");
        StreamReader reader = client.openReader(s, Position.earliest());
        client.append(s, StreamRecord.of("one"));
        assertEquals(1, member.poll(10, Duration.ofSeconds(2)).size());
        assertEquals(1, reader.poll(10, Duration.ofSeconds(2)).size());
        broker.stop();
        broker.start();
        eventually(() -> client.append(s, StreamRecord.of("two")));
        // after a reconnect a member first re-delivers its own unacked entries ("one"), then continues
        List<StreamEvent> m = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (m.stream().noneMatch(e -> e.payloadAsString().equals("two")) && System.nanoTime() < deadline) {
            try {
                m.addAll(member.poll(10, Duration.ofMillis(500)));
            } catch (StreamException e) {
                assertTrue(e.isRetryable(), e.toString());
            }
        }
        assertEquals("two", m.get(m.size() - 1).payloadAsString(), m.toString());
        m.stream()
                .filter(e -> e.payloadAsString().equals("one"))
                .forEach(e -> assertTrue(e.deliveryCount() >= 2, "a re-delivery counts: " + e));
        List<StreamEvent> r = eventually(() -> reader.poll(10, Duration.ofMillis(500)));
        assertEquals(
                List.of("two"),
                r.stream().map(StreamEvent::payloadAsString).toList(),
                "the reader neither " + "repeats nor skips");
    }

    @Test
    void d_closeIsBoundedWithTheServerPaused() {
        StreamClient other = StreamClients.open(RedisFixture.testConfig("redis://127.0.0.1:" + broker.port()));
        StreamName s = StreamName.of("fault-close");
        StreamReader r = other.openReader(s, Position.latest());
        broker.pause();
        try {
            Thread t = new Thread(() -> {
                try {
                    r.poll(1, Duration.ofSeconds(30));
                } catch (StreamException expected) {
                    // CLOSED or RETRYABLE
                }
            });
            t.start();
            sleep(200);
            long t0 = System.nanoTime();
            other.close();
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5), "close is bounded");
            t.join(2000);
            assertTrue(!t.isAlive(), "the blocked poll was woken");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            broker.resume();
        }
    }

    @Test
    void e_appendsWrittenBeforeCloseWithTheServerPausedEndIndeterminateNeverClosed() {
        StreamClient other =
                StreamClients.open(RedisFixture.testConfig("redis://127.0.0.1:" + broker.port()).toBuilder()
                        .requestTimeout(Duration.ofSeconds(30))
                        .build());
        StreamName s = StreamName.of("fault-close-pending");
        other.append(s, StreamRecord.of("warm"));
        List<CompletableFuture<EventId>> pending = new ArrayList<>();
        broker.pause();
        try {
            for (int i = 0; i < 20; i++) {
                pending.add(other.appendAsync(s, StreamRecord.of("p-" + i)));
            }
            sleep(200); // flushed to the socket; the paused server cannot answer
            other.close();
        } finally {
            broker.resume();
        }
        for (CompletableFuture<EventId> f : pending) {
            StreamException e = StreamException.unwrap(assertThrows(CompletionException.class, f::join));
            assertEquals(ErrorKind.INDETERMINATE, e.kind(), "written to the socket, so maybe stored: " + e);
        }
        assertEquals(
                ErrorKind.CLOSED,
                assertThrows(StreamException.class, () -> other.parseId("1-0")).kind(),
                "parseId after close fails CLOSED like every other call");
        List<StreamEvent> stored = eventually(() -> {
            List<StreamEvent> all = client.range(s, Position.earliest(), null, 100);
            return all.size() >= 21 ? all : List.of();
        });
        assertEquals(
                21,
                stored.size(),
                "the resumed server stored what it had received: INDETERMINATE was the " + "honest answer");
    }

    @Test
    void f_aFullWindowFailsTheFutureWithBackpressureInsteadOfThrowing() {
        StreamClient small =
                StreamClients.open(RedisFixture.testConfig("redis://127.0.0.1:" + broker.port()).toBuilder()
                        .maxInFlightAppends(2)
                        .requestTimeout(Duration.ofSeconds(1))
                        .build());
        StreamName s = StreamName.of("fault-window");
        small.append(s, StreamRecord.of("warm"));
        broker.pause();
        try {
            small.appendAsync(s, StreamRecord.of("a"));
            small.appendAsync(s, StreamRecord.of("b"));
            long t0 = System.nanoTime();
            CompletableFuture<EventId> third = small.appendAsync(s, StreamRecord.of("c")); // must not throw
            CompletionException e = assertThrows(CompletionException.class, third::join);
            assertEquals(ErrorKind.BACKPRESSURE, StreamException.unwrap(e).kind(), e.toString());
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5), "waits about the request timeout");
        } finally {
            broker.resume();
            small.close();
        }
    }

    /**
     * The server loses its data; a reader of the old stream polls while the key does not exist yet and
     * blocks in XREAD, which returns the entries of the stream written anew — the reader must report
     * DATA_LOSS instead of handing them out as the continuation of what it read.
     */
    @Test
    void g_aReadBlockedOnTheMissingKeyAfterAWipeReportsDataLossNotTheNewEntries() throws Exception {
        StreamName s = StreamName.of("fault-wipe-blocked");
        client.append(s, StreamRecord.of("old-1"));
        client.append(s, StreamRecord.of("old-2"));
        try (StreamReader reader = client.openReader(s, Position.earliest())) {
            assertEquals(2, reader.poll(10, Duration.ofSeconds(5)).size());
            broker.wipe();
            eventually(() -> client.info(StreamName.of("fault-wipe-probe"))); // the server answers again
            CompletableFuture<Object> blocked = CompletableFuture.supplyAsync(() -> {
                try {
                    return eventually(() -> reader.poll(10, Duration.ofSeconds(20)));
                } catch (StreamException e) {
                    return e;
                }
            });
            sleep(500); // the poll found no key and blocks in XREAD now
            client.append(s, StreamRecord.of("new-1"));
            Object outcome = blocked.get(30, TimeUnit.SECONDS);
            assertTrue(
                    outcome instanceof StreamException e && e.kind() == ErrorKind.DATA_LOSS,
                    "the reader reports DATA_LOSS, not the new stream's entries: " + outcome);
        }
    }

    /**
     * Appends the server ran whose replies a reset connection cut off end INDETERMINATE and are stored
     * once: the client does not send them again on its next connection. On one server Lettuce fails
     * them itself (the first with the reset, the others "Connection disconnected", as it rejects
     * commands while disconnected); on a Redis Cluster it re-sent them, which {@code RedisClusterIT}
     * checks.
     */
    @Test
    void h_appendsCutOffAfterTheServerRanThemEndIndeterminateAndAreStoredOnce() throws Exception {
        StreamName s = StreamName.of("fault-cut-off-appends");
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", broker.port());
                StreamClient proxied = StreamClients.open(
                        proxy.route(RedisFixture.testConfig("redis://127.0.0.1:" + broker.port())))) {
            proxied.append(s, StreamRecord.of("first"));
            proxy.latency(ProxyControl.Direction.TO_CLIENT, Duration.ofSeconds(3)); // the replies are late
            List<CompletableFuture<EventId>> cut = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                cut.add(proxied.appendAsync(s, StreamRecord.of("cut-off-" + i)));
            }
            eventually(() -> client.range(s, Position.earliest(), null, 10).size() == 6 ? List.of(1) : List.of());
            proxy.resetAll(); // the server has run the XADDs; their replies are still in the proxy
            proxy.latency(ProxyControl.Direction.TO_CLIENT, Duration.ZERO);
            for (CompletableFuture<EventId> f : cut) {
                StreamException e = StreamException.unwrap(assertThrows(CompletionException.class, f::join));
                assertEquals(ErrorKind.INDETERMINATE, e.kind(), e.toString());
            }
            eventually(() -> proxied.append(s, StreamRecord.of("after")));
            List<String> stored = client.range(s, Position.earliest(), null, 20).stream()
                    .map(StreamEvent::payloadAsString)
                    .toList();
            assertEquals(
                    List.of("first", "cut-off-0", "cut-off-1", "cut-off-2", "cut-off-3", "cut-off-4", "after"),
                    stored,
                    "each stored once, none sent again");
        }
    }

    /** Retries a call that fails retryable (or not-empty for lists) for up to 20 s. */
    static <T> T eventually(Supplier<T> call) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        StreamException last = null;
        while (System.nanoTime() < deadline) {
            try {
                T v = call.get();
                if (!(v instanceof List<?> l) || !l.isEmpty()) {
                    return v;
                }
            } catch (StreamException e) {
                if (!e.isRetryable() && e.kind() != ErrorKind.INDETERMINATE) {
                    throw e;
                }
                last = e;
            }
            sleep(100);
        }
        throw new AssertionError("did not recover within 20 s; last error: " + last);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
