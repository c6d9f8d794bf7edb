package dev.tributary.tck.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tributary.ClientConfig;
import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.tck.BrokerControl;
import dev.tributary.tck.Tck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Rules A11 and F6: the window of appends in flight when the broker stops answering. Both need a
 * fixture that can pause its broker (appends then stay in flight); without one they are skipped
 * with that reason. The broker is resumed whatever happens.
 */
public final class WindowRules {
    private final KitContext ctx;

    public WindowRules(KitContext ctx) {
        this.ctx = ctx;
    }

    private BrokerControl control(String rule) {
        return ctx.fixture().control().orElseThrow(() -> {
            Assumptions.abort(rule + " needs a fixture that can pause its broker (fixture().control() is empty), "
                    + "so that appends stay in flight");
            return new IllegalStateException();
        });
    }

    private ClientConfig config(int window, Duration request, Duration close) {
        return ctx.fixture().config().toBuilder()
                .maxInFlightAppends(window)
                .requestTimeout(request)
                .connectTimeout(Tck.scaled(Duration.ofSeconds(5)))
                .closeTimeout(close)
                .build();
    }

    /** The outcome of one append: its id, or the StreamException it failed (or was thrown) with. */
    private record Outcome(int index, EventId id, StreamException error) {
        ErrorKind kind() {
            return error == null ? null : error.kind();
        }
    }

    private static Outcome outcome(int i, CompletableFuture<EventId> f, Duration bound) {
        try {
            return new Outcome(i, f.get(bound.toMillis(), TimeUnit.MILLISECONDS), null);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("append #" + i + " was neither confirmed nor failed within " + bound);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            return new Outcome(i, null, Expect.asStreamException(e.getCause()));
        }
    }

    /**
     * A11: with the window full and the broker not answering, {@code appendAsync} does not throw: it
     * waits at most the request timeout and returns a future failed with BACKPRESSURE (one behaviour
     * on every backend) — also when room came free only because appends in flight expired.
     */
    public void a11() {
        BrokerControl ctl = control("A11");
        int window = 4;
        Duration request = Tck.scaled(Duration.ofSeconds(2));
        StreamClient c = ctx.client(config(window, request, Tck.scaled(Duration.ofSeconds(3))));
        StreamName s = ctx.created(c, "a11");
        c.append(s, Io.rec("a11/warm"));
        // Holds the appends that fill the window while the broker is paused; only their room matters here.
        @SuppressWarnings("ModifiedButNotUsed")
        List<CompletableFuture<EventId>> inFlight = new ArrayList<>();
        CompletableFuture<EventId> late;
        long t0;
        try {
            ctl.pause();
            for (int i = 0; i < window; i++) {
                inFlight.add(c.appendAsync(s, Io.rec("a11/" + i)));
            }
            t0 = System.nanoTime();
            try {
                late = c.appendAsync(s, Io.rec("a11/late"));
            } catch (StreamException e) {
                fail("with the window full, appendAsync threw " + e.kind() + " (" + e.getMessage() + "); it must "
                        + "return a future that fails with BACKPRESSURE, like every other I/O outcome");
                return;
            }
            Duration bound = request.plus(Tck.scaled(Duration.ofSeconds(10)));
            Outcome o = outcome(window, late, bound);
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertTrue(
                    took.compareTo(request.plus(Tck.scaled(Duration.ofSeconds(5)))) <= 0,
                    "the append beyond the" + " window took " + took
                            + " to fail; it must wait at most the request timeout (" + request + ")");
            assertEquals(
                    ErrorKind.BACKPRESSURE,
                    o.kind(),
                    "the append beyond a full window must fail with "
                            + "BACKPRESSURE (not sent), also when the room came free only because appends in flight expired "
                            + "unanswered; got "
                            + (o.error() == null
                                    ? "success"
                                    : o.kind() + ": " + o.error().getMessage()));
        } finally {
            ctl.resume();
        }
    }

    /**
     * F6: appends pending when {@code close()} runs with the broker paused end INDETERMINATE if they
     * may have reached the broker and CLOSED only if they were never sent: once the broker resumes,
     * no append that failed CLOSED may be found in the stream.
     */
    public void f6() {
        BrokerControl ctl = control("F6");
        int n = 50;
        Duration close = Tck.scaled(Duration.ofSeconds(3));
        StreamClient c = ctx.client(config(1_000, Tck.scaled(Duration.ofSeconds(60)), close));
        StreamName s = ctx.created(c, "f6");
        c.append(s, Io.rec("f6/warm"));
        List<CompletableFuture<EventId>> pending = new ArrayList<>();
        List<Outcome> thrown = new ArrayList<>();
        List<Outcome> outcomes = new ArrayList<>();
        try {
            ctl.pause();
            // appended from a helper thread: a backend whose appendAsync blocks while the broker is
            // paused must not stop the rule from closing the client
            Thread appender = new Thread(
                    () -> {
                        for (int i = 0; i < n; i++) {
                            try {
                                CompletableFuture<EventId> f = c.appendAsync(s, Io.rec("f6/" + i));
                                synchronized (pending) {
                                    pending.add(f);
                                }
                            } catch (StreamException e) {
                                synchronized (pending) {
                                    thrown.add(new Outcome(i, null, e));
                                    pending.add(null);
                                }
                            }
                        }
                    },
                    "tributary-tck-f6-appender");
            appender.setDaemon(true);
            appender.start();
            Tck.sleep(Tck.scaledMillis(500));
            long t0 = System.nanoTime();
            c.close();
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertTrue(
                    took.compareTo(close.plus(Tck.scaled(Duration.ofSeconds(2)))) <= 0,
                    "close() with the broker " + "paused took " + took + "; it must return within closeTimeout "
                            + close);
            appender.join(Tck.scaled(Duration.ofSeconds(10)).toMillis());
            assertTrue(!appender.isAlive(), "appendAsync still blocked 10 s after close()");
            synchronized (pending) {
                for (int i = 0; i < pending.size(); i++) {
                    CompletableFuture<EventId> f = pending.get(i);
                    if (f != null) {
                        outcomes.add(outcome(i, f, Tck.scaled(Duration.ofSeconds(5))));
                    }
                }
                outcomes.addAll(thrown);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } finally {
            ctl.resume();
        }
        List<String> wrongKinds = new ArrayList<>();
        Set<String> toldClosed = new HashSet<>();
        for (Outcome o : outcomes) {
            if (o.error() == null) {
                continue; // confirmed before the pause took hold
            }
            if (o.kind() == ErrorKind.CLOSED) {
                toldClosed.add("f6/" + o.index());
            } else if (o.kind() != ErrorKind.INDETERMINATE) {
                wrongKinds.add(
                        "#" + o.index() + " " + o.kind() + ": " + o.error().getMessage());
            }
        }
        assertTrue(
                wrongKinds.isEmpty(),
                "appends pending at close() must end INDETERMINATE (may have reached the "
                        + "broker) or CLOSED (never sent); these ended otherwise:\n  "
                        + String.join("\n  ", wrongKinds));
        // the paused broker may still store what it had received: look once it has resumed
        StreamClient reader = ctx.client();
        Set<String> stored = new HashSet<>();
        Expect.eventually(Tck.scaled(Duration.ofSeconds(30)), () -> "the broker did not answer after resume", () -> {
            try {
                reader.info(s);
                return true;
            } catch (StreamException e) {
                return false;
            }
        });
        Tck.sleep(Tck.scaledMillis(1_000));
        for (StreamEvent e : Io.readAvailable(reader, s, Position.earliest())) {
            stored.add(Io.keyOf(e));
        }
        Set<String> closedButStored = new HashSet<>(toldClosed);
        closedButStored.retainAll(stored);
        assertEquals(
                Set.of(),
                closedButStored,
                "these appends failed CLOSED (\"not sent\") but are stored: a caller "
                        + "told CLOSED writes them again and duplicates them; report INDETERMINATE for appends that may have "
                        + "reached the broker");
    }
}
