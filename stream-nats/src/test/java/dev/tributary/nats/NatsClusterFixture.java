package dev.tributary.nats;

import dev.tributary.ClientConfig;
import dev.tributary.StreamName;
import dev.tributary.nats.internal.NatsErrors;
import dev.tributary.nats.internal.NatsNames;
import dev.tributary.nats.internal.NatsSettings;
import dev.tributary.tck.FaultProxyFixture;
import dev.tributary.tck.cluster.ClusterFixture;
import dev.tributary.tck.fixture.LocalClusterFixture;
import dev.tributary.tck.fixture.NatsServerCluster;
import dev.tributary.tck.fixture.Polling;
import dev.tributary.tck.fixture.StartedOnce;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.ClusterInfo;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * A three-node NATS JetStream cluster of local {@code nats-server} processes ({@link NatsServerCluster}),
 * shared by every test class of one JVM and started on first use. Clients name all three servers
 * ({@code nats://127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3}) with the durable settings the README documents
 * for clusters: {@code replicas=3} on file storage, and client pings every second so that a frozen server
 * is left within about 3 s. The leader of a stream comes from {@code $JS.API.STREAM.INFO} (its cluster
 * info), read through jnats' {@link JetStreamManagement} on a connection of its own. Without
 * {@code nats-server} on the PATH the tests are skipped loudly, or fail where brokers are required.
 *
 * <p>For F8–F10, {@link #proxy()} names the fault proxies in front of every node's client port; the
 * nodes advertise no client URLs ({@code no_advertise}), so a proxied client only knows the proxies. For
 * F7, {@link #wipe()} kills every node, deletes every JetStream store and starts them all again; the kit
 * then waits in {@link #awaitHealthy} until the new cluster places a stream on all three nodes.
 */
public final class NatsClusterFixture extends LocalClusterFixture {
    static final int SIZE = 3;
    private static final StartedOnce<NatsClusterFixture> SHARED = new StartedOnce<>(
            "nats",
            "NATS cluster of " + SIZE,
            () -> NatsServerCluster.available()
                    ? null
                    : "nats-server is not on the PATH; the cluster rules start three of them",
            () -> {
                String password = NatsFixture.randomSecret();
                NatsClusterFixture f =
                        new NatsClusterFixture(NatsServerCluster.start(SIZE, NatsFixture.USER, password), password);
                // every node knows the meta leader once started, but placing a stream on all three can
                // take longer: a run's first rules once met "no suitable peers for placement" for 15 s
                f.awaitHealthy(Duration.ofSeconds(90));
                return f;
            });

    private final NatsServerCluster cluster;
    private final NatsNames names = new NatsNames(NatsSettings.DEFAULT_PREFIX);
    private Connection admin;
    /** Placement probes that may still exist: a create or delete that got no answer in time. */
    private final Set<String> leftoverProbes = ConcurrentHashMap.newKeySet();

    private final AtomicLong probes = new AtomicLong();
    /** One connection to each node alone, for {@link #placesThrough}. */
    private final java.util.Map<String, Connection> perNode = new java.util.HashMap<>();
    /**
     * The servers whose last probe ({@link #placesThrough}) went unanswered, so that a restart decision
     * and the failure message use what the health loop found instead of probing again.
     */
    private final Set<String> unansweredThrough = ConcurrentHashMap.newKeySet();
    /** What the last placement probe met, for the message of a cluster that never became healthy. */
    private volatile String lastProbe = "none ran";

    private final String password;

    /** How long a node may stay "not current" or silent to JetStream requests before {@link #awaitHealthy} restarts it. */
    static final Duration RESTART_STUCK_AFTER = Duration.ofSeconds(30);

    /**
     * How long a running node may stay outside the JetStream meta group before {@link #awaitHealthy}
     * restarts it: a leader adds a node it hears of within a second or two.
     */
    static final Duration JOIN_META_GROUP_WITHIN = Duration.ofSeconds(10);

    private NatsClusterFixture(NatsServerCluster cluster, String password) {
        super(cluster.nodes());
        this.cluster = cluster;
        this.password = password;
    }

    /** The cluster of this JVM, started on first use. */
    public static NatsClusterFixture shared() {
        return SHARED.get();
    }

    @Override
    public ClientConfig config() {
        return clientConfig(uri(password)).build();
    }

    /**
     * {@link #config()} through the fault proxies in front of every node's client port, all controlled as
     * one. The servers advertise no client URLs, so jnats reconnects only to the proxies it was given.
     *
     * <p>One setting differs from {@link #config()}: the request timeout is the client's default
     * ({@link ClientConfig#DEFAULT_REQUEST_TIMEOUT}), not the cluster kit's 5 s. Of the rules that use this
     * configuration, F8, F9 and F11 set short timeouts of their own, and F10 judges 200 ms of latency
     * "with the default timeouts", as it does on a single server. Through that latency, 200 pipelined
     * appends to a stream with three replicas were not all acknowledged within 5 s of being called (3 runs
     * of 3 on a loaded 2-core machine; all passed with 10 s), though none was lost.
     */
    @Override
    public Optional<FaultProxyFixture> proxy() {
        return Optional.of(cluster.proxies()
                .fixture(config().toBuilder()
                        .requestTimeout(ClientConfig.DEFAULT_REQUEST_TIMEOUT)
                        .build()));
    }

    /**
     * Every node killed, its JetStream store deleted, all started again at once. The connections of
     * this fixture reconnect by themselves; placement probes it may have left behind went with the stores.
     */
    @Override
    public void wipe() {
        cluster.wipe();
        leftoverProbes.clear();
    }

    private String uri(String pass) {
        return "nats://" + NatsFixture.USER + ":" + pass + "@" + cluster.addresses()
                + "?replicas=3&storage=file&pingInterval=1s";
    }

    /** The cluster with a wrong password, for rule E5. */
    public Optional<ClientConfig> wrongCredentials() {
        return Optional.of(clientConfig(uri("wrong-" + password)).build());
    }

    @Override
    public int leaderOf(StreamName stream, Duration bound) {
        return leaderOfJetStream(names.streamName(stream), bound);
    }

    /** The node that leads JetStream stream {@code jsName} (a partition's, for example). */
    public int leaderOfJetStream(String jsName, Duration bound) {
        return ClusterFixture.awaitNode(bound, "leads JetStream stream " + jsName, () -> {
            ClusterInfo ci = jsm().getStreamInfo(jsName).getClusterInfo();
            return ci == null || ci.getLeader() == null ? -1 : cluster.indexOf(ci.getLeader());
        });
    }

    /**
     * Waits until every node runs and is current and, through each node, the cluster places a stream on
     * all three and a consumer on it ({@link #placesThrough}). A node that stays "not current" or
     * silent for {@link #RESTART_STUCK_AFTER} is restarted, as an operator would:
     * after the kit stopped and started the whole cluster, nats-server 2.10 left one node behind the
     * meta leader for more than 90 s, with stream creation unanswered meanwhile (the class of
     * nats-server issue 5976, "Falling behind in health check" after each cluster restart). A running
     * node the JetStream meta group leaves outside for {@link #JOIN_META_GROUP_WITHIN} is restarted too
     * ({@link NatsServerCluster#outsideMetaGroup()}): after the nodes start at once without a store (a
     * wipe), two of them can form the meta group alone and keep the third out for good. Each restart is
     * printed.
     */
    @Override
    public void awaitHealthy(Duration bound) {
        long started = System.nanoTime();
        long deadline = started + bound.toNanos();
        long nextRestart = started + RESTART_STUCK_AFTER.toNanos();
        long outsideSince = -1;
        while (System.nanoTime() < deadline) {
            deleteLeftoverProbes(); // a node reports a stream it has not caught up on as not current
            if (cluster.nodes().stream().allMatch(n -> n.process().isPresent() && n.healthy())
                    && cluster.nodes().stream().allMatch(this::placesThrough)) {
                return;
            }
            List<NatsServerCluster.Node> outside = cluster.outsideMetaGroup();
            if (outside.isEmpty()) {
                outsideSince = -1;
            } else if (outsideSince < 0) {
                outsideSince = System.nanoTime();
            } else if (System.nanoTime() - outsideSince >= JOIN_META_GROUP_WITHIN.toNanos()) {
                for (NatsServerCluster.Node n : outside) {
                    System.out.println("NATS cluster fixture: " + n + " stayed outside the JetStream meta group for "
                            + JOIN_META_GROUP_WITHIN.toSeconds() + " s; restarting it (last placement probe: "
                            + lastProbe + ")");
                    n.stop();
                    n.start();
                }
                outsideSince = -1;
            }
            if (System.nanoTime() >= nextRestart) {
                restartStuckNodes();
                nextRestart = System.nanoTime() + RESTART_STUCK_AFTER.toNanos();
            }
            Polling.sleep(200);
        }
        throw new AssertionError("the NATS cluster is not healthy within " + bound + ": "
                + cluster.nodes().stream()
                        .map(n -> n
                                + (n.process().isEmpty() ? " down" : n.healthy() ? " ok" : " not current")
                                + (n.process().isPresent() && unansweredThrough.contains(n.serverName())
                                        ? " (creations through it unanswered)"
                                        : ""))
                        .collect(Collectors.joining(", "))
                + "; outside the JetStream meta group: " + cluster.outsideMetaGroup()
                + "; the last placement probe (a stream with " + SIZE + " replicas): " + lastProbe);
    }

    private void restartStuckNodes() {
        for (NatsServerCluster.Node n : cluster.nodes()) {
            if (n.process().isEmpty()) {
                continue;
            }
            String stuck = !n.healthy()
                    ? "not current"
                    : unansweredThrough.contains(n.serverName())
                            ? "leaves stream or consumer creations unanswered"
                            : null;
            if (stuck != null) {
                System.out.println("NATS cluster fixture: " + n + " " + stuck
                        + " for " + RESTART_STUCK_AFTER.toSeconds() + " s; restarting it (last placement probe: "
                        + lastProbe + ")");
                n.stop();
                n.start();
            }
        }
    }

    private synchronized Connection nodeConnection(NatsServerCluster.Node n) throws Exception {
        Connection c = perNode.get(n.serverName());
        if (c == null) {
            c = Nats.connect(new Options.Builder()
                    .server("nats://127.0.0.1:" + n.port())
                    .ignoreDiscoveredServers()
                    .noRandomize()
                    .maxReconnects(-1)
                    .reconnectWait(Duration.ofMillis(250))
                    .connectionTimeout(Duration.ofSeconds(2))
                    .userInfo(NatsFixture.USER, password)
                    .build());
            perNode.put(n.serverName(), c);
        }
        return c;
    }

    /**
     * True when a client connected to {@code n} alone creates a stream with three replicas and a durable
     * consumer on it, each answered within 2 s; the probe is deleted at once. Both requests travel from
     * {@code n} to the node that decides (the meta leader, then the stream's leader), as a client's
     * creations do.
     *
     * <p>Why each node and not one: after a whole-cluster restart, nats-server 2.10 had every node report
     * healthy, a probe through one node placed, and each node answer a JetStream request it answers
     * alone ({@code $JS.API.INFO}), while clients of one node had their stream and group creations go
     * unanswered for more than a minute (kit rules F3 and F8 failed on it). Right after the servers start
     * (and after a node comes back) the meta leader can also answer "no suitable peers for placement"
     * for a while, until it has heard from each peer.
     *
     * <p>Each probe has a name of its own. One that may have outlived its attempt (its create or delete
     * got no answer in time) is remembered and deleted before the next health check: a probe left behind
     * kept one node "not current" in {@code /healthz} for 90 s after the kit restarted the cluster, and
     * with one shared name every later probe met it.
     */
    private boolean placesThrough(NatsServerCluster.Node n) {
        String probe = "tributary_placement_probe_" + probes.incrementAndGet();
        leftoverProbes.add(probe);
        try {
            JetStreamManagement through = nodeConnection(n)
                    .jetStreamManagement(JetStreamOptions.builder()
                            .requestTimeout(Duration.ofSeconds(2))
                            .build());
            through.addStream(StreamConfiguration.builder()
                    .name(probe)
                    .subjects("tributary_fixture_probe." + probe)
                    .storageType(StorageType.Memory)
                    .replicas(SIZE)
                    .build());
            through.addOrUpdateConsumer(
                    probe, ConsumerConfiguration.builder().durable("probe").build());
        } catch (Exception notYet) {
            lastProbe = "through " + n + " failed: " + notYet;
            unansweredThrough.add(n.serverName());
            return false;
        }
        lastProbe = "placed through " + n;
        unansweredThrough.remove(n.serverName());
        deleteLeftoverProbes();
        return true;
    }

    private void deleteLeftoverProbes() {
        for (String probe : leftoverProbes) {
            try {
                jsm().deleteStream(probe);
                leftoverProbes.remove(probe);
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() == NatsErrors.STREAM_NOT_FOUND) { // never created, or gone
                    leftoverProbes.remove(probe);
                }
            } catch (Exception notNow) {
                // no answer in time: asked again before the next check
            }
        }
    }

    private synchronized JetStreamManagement jsm() throws Exception {
        if (admin == null) {
            Options o = new Options.Builder()
                    .servers(cluster.nodes().stream()
                            .map(n -> "nats://127.0.0.1:" + n.port())
                            .toArray(String[]::new))
                    .maxReconnects(-1)
                    .reconnectWait(Duration.ofMillis(250))
                    .pingInterval(Duration.ofSeconds(1))
                    .connectionTimeout(Duration.ofSeconds(2))
                    .userInfo(NatsFixture.USER, password)
                    .build();
            admin = Nats.connect(o);
        }
        return admin.jetStreamManagement(
                JetStreamOptions.builder().requestTimeout(Duration.ofSeconds(2)).build());
    }

    @Override
    public String describe() {
        return SIZE + " nats-server -js in cluster 'tributary' on " + cluster.addresses();
    }
}
