package dev.tributary.tck.internal;

import dev.tributary.ClientConfig;
import dev.tributary.GroupOptions;
import dev.tributary.StreamClient;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamOptions;
import dev.tributary.tck.BrokerFixture;
import dev.tributary.tck.Tck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What a rule body works with: the hooks, and the clients and streams it opened, which the kit
 * closes and deletes after each rule (best effort, bounded in time).
 */
public final class KitContext {
    private final KitHooks hooks;
    private final List<StreamClient> clients = Collections.synchronizedList(new ArrayList<>());
    private final List<StreamName> streams = Collections.synchronizedList(new ArrayList<>());
    /** The clients of the current rule opened with the default hook (the shared-store check's pairs). */
    private final List<StreamClient> defaultClients = new ArrayList<>();

    private volatile boolean sharedStoreChecked;

    public KitContext(KitHooks hooks) {
        this.hooks = hooks;
    }

    public KitHooks hooks() {
        return hooks;
    }

    public BrokerFixture fixture() {
        return hooks.fixture();
    }

    /** Opens a client with the kit's hook; closed after the rule. */
    public StreamClient client() {
        StreamClient c = hooks.openClient();
        if (c == null) {
            throw new AssertionError("openClient() returned null; it must return a connected client");
        }
        StreamClient first;
        synchronized (clients) {
            first = defaultClients.isEmpty() ? null : defaultClients.get(0);
            defaultClients.add(c);
            clients.add(c);
        }
        if (first != null && !sharedStoreChecked) {
            checkSharedStore(first, c);
        }
        return c;
    }

    /**
     * Opens a client with another configuration (fault rules: shorter timeouts; A10: another
     * namespace); closed after the rule. Not part of the shared-store check: its store may differ on purpose.
     */
    public StreamClient client(ClientConfig config) {
        StreamClient c = hooks.openClient(config);
        clients.add(c);
        return c;
    }

    /**
     * The kit's rules assume that every client of the fixture sees one store: a stream one client
     * creates exists for the next. Checked once, the first time a rule opens a second client; a
     * fixture that hands out private stores ({@code memory:} without a name) then fails here, loudly,
     * instead of failing group rules with {@code NOT_FOUND} hints that blame the backend.
     */
    private void checkSharedStore(StreamClient a, StreamClient b) {
        StreamName probe = stream("shared-store");
        try {
            a.createStream(probe);
            long deadline = System.nanoTime()
                    + Tck.scaled(java.time.Duration.ofSeconds(5)).toNanos();
            while (!b.info(probe).exists()) {
                if (System.nanoTime() > deadline) {
                    sharedStoreChecked = true;
                    throw new FixtureError("the fixture's clients do not share one store (memory: without a name "
                            + "gives each client a private store: use memory:NAME): stream " + probe
                            + " created by one "
                            + "client of fixture '" + fixture().config().safeUri() + "' does not exist for another. "
                            + "Every rule that uses two clients fails for that reason, not for the backend");
                }
                Tck.sleep(java.time.Duration.ofMillis(50));
            }
            sharedStoreChecked = true;
        } catch (dev.tributary.StreamException e) {
            // a closed client or a broker down (fault rules): no verdict, check again with the next pair
        }
    }

    /** A fresh stream name for this rule, deleted after the rule. */
    public StreamName stream(String rule) {
        StreamName s = Tck.streamName(rule.toLowerCase(java.util.Locale.ROOT));
        streams.add(s);
        return s;
    }

    /** Deletes {@code s} after the rule too: a stream the rule did not name itself (a dead-letter stream). */
    public StreamName deleteAfter(StreamName s) {
        streams.add(s);
        return s;
    }

    /** A fresh stream name, created with {@code client} ({@link #createStream}). */
    public StreamName created(StreamClient client, String rule) {
        StreamName s = stream(rule);
        createStream(client, s);
        return s;
    }

    /**
     * A rule's setup: creates {@code s}, asking again every 200 ms while the answer is retryable, for
     * up to a scaled 60 s; each retry is printed. A retryable failure means "ask again" by the contract,
     * and a replicated cluster can leave a creation unanswered for a while after the previous rule's
     * fault: on the NATS cluster, stream creations timed out for at least 20 s after the kit's
     * whole-cluster restart, though every server had passed the fixture's health wait. The rule itself
     * judges the fault it makes, not this.
     */
    public static void createStream(StreamClient client, StreamName s) {
        patiently("stream " + s, () -> client.createStream(s));
    }

    /** As {@link #createStream(StreamClient, StreamName)}, with options (a partitioned stream). */
    public static void createStream(StreamClient client, StreamName s, StreamOptions options) {
        patiently("stream " + s, () -> client.createStream(s, options));
    }

    /** A fault rule's setup: creates group {@code g} of {@code s} as {@link #createStream} creates a stream. */
    public static void createGroup(StreamClient client, StreamName s, String g, GroupOptions options) {
        patiently("group " + g + " of " + s, () -> client.createGroup(s, g, options));
    }

    private static void patiently(String what, Runnable create) {
        long deadline = System.nanoTime() + Tck.scaled(Duration.ofSeconds(60)).toNanos();
        while (true) {
            try {
                create.run();
                return;
            } catch (StreamException e) {
                if (!e.isRetryable() || System.nanoTime() > deadline) {
                    throw e;
                }
                System.out.println("[kit] creating " + what + " for a rule's setup failed " + e.kind()
                        + "; asking again: " + e.getMessage());
                Tck.sleep(Duration.ofMillis(200));
            }
        }
    }

    /**
     * Deletes the rule's streams and closes its clients. Bounded: runs on a helper thread and gives
     * up after a scaled 30 s, so a backend that hangs on close cannot hang the whole kit.
     */
    public void cleanup() {
        List<StreamClient> cs;
        List<StreamName> ss;
        synchronized (clients) {
            cs = new ArrayList<>(clients);
            clients.clear();
            defaultClients.clear();
        }
        synchronized (streams) {
            ss = new ArrayList<>(streams);
            streams.clear();
        }
        if (cs.isEmpty() && ss.isEmpty()) {
            return;
        }
        CountDownLatch done = new CountDownLatch(1);
        Thread t = new Thread(
                () -> {
                    try {
                        if (!ss.isEmpty()) {
                            StreamClient deleter = null;
                            try {
                                deleter = hooks.openClient();
                                for (StreamName s : ss) {
                                    try {
                                        deleter.deleteStream(s);
                                    } catch (RuntimeException ignored) {
                                        // best effort: the broker may be down after a fault rule
                                    }
                                }
                            } catch (RuntimeException ignored) {
                                // could not open a client to clean up; leave the streams
                            } finally {
                                closeQuietly(deleter);
                            }
                        }
                        for (StreamClient c : cs) {
                            closeQuietly(c);
                        }
                    } finally {
                        done.countDown();
                    }
                },
                "tributary-tck-cleanup");
        t.setDaemon(true);
        t.start();
        try {
            done.await(Tck.scaled(java.time.Duration.ofSeconds(30)).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // cleanup is best effort
        }
    }
}
