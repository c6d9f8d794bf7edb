package dev.tributary.tck.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.Capability;
import dev.tributary.ClientConfig;
import dev.tributary.EventId;
import dev.tributary.GroupConsumer;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.tck.BrokerControl;
import dev.tributary.tck.HistoryChecker;
import dev.tributary.tck.Tck;
import dev.tributary.tck.cluster.ClusterFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Rules R1–R3: replicated clusters. Each rule creates its own stream with the cluster's configuration
 * (replicated to every node), and restores every node it stopped, killed or paused whatever happens.
 * Recovery is judged against the failover bound: an append started after the fault is acknowledged,
 * and delivered to the group, within it.
 */
public final class ClusterRules {
    private final KitContext ctx;
    private final ClusterFixture cluster;
    private final Duration failover;
    private final Duration requestTimeout;

    public ClusterRules(KitContext ctx, ClusterFixture cluster, Duration failover, Duration requestTimeout) {
        this.ctx = ctx;
        this.cluster = cluster;
        this.failover = failover;
        this.requestTimeout = requestTimeout;
    }

    /** The cluster's configuration (every node, its durable settings) with the rules' shorter timeouts. */
    private ClientConfig config() {
        return cluster.config().toBuilder()
                .requestTimeout(requestTimeout)
                .connectTimeout(requestTimeout)
                .closeTimeout(requestTimeout)
                .maxInFlightAppends(1000)
                .build();
    }

    private StreamClient groupsClient() {
        StreamClient c = ctx.client(config());
        if (!c.supports(Capability.CONSUMER_GROUPS)) {
            Assumptions.abort(
                    "the R rules read through a consumer group; this backend does not declare CONSUMER_GROUPS");
        }
        return c;
    }

    private ClusterWorkload workload(String rule, StreamClient producers, StreamName s) {
        String g = Outage.shortAckGroup(producers, s);
        StreamClient consumer = ctx.client(config());
        return new ClusterWorkload(rule, producers, consumer, s, g, producers.supports(Capability.IDEMPOTENT_APPEND));
    }

    public void r1() {
        StreamClient c = groupsClient();
        StreamName s = ctx.created(c, "r1");
        int leader = cluster.leaderOf(s, failover);
        ClusterWorkload w =
                workload("R1 leader " + cluster.nodeName(leader) + " killed under 20 producers and a group", c, s);
        w.start(Tck.scaled(Duration.ofSeconds(150)));
        ClusterWorkload.Mark killed;
        int newLeader = -1;
        BrokerControl node = cluster.node(leader);
        try {
            w.awaitAcked(200, Tck.scaled(Duration.ofSeconds(30)));
            killed = w.mark();
            node.kill();
            w.awaitRecovered(killed, failover);
            newLeader = cluster.leaderOf(s, failover);
            Tck.sleep(Tck.scaled(Duration.ofSeconds(2))); // keep going under the new leader
        } catch (RuntimeException | Error e) {
            w.abort();
            throw e;
        } finally {
            node.start();
        }
        Tck.sleep(Tck.scaled(Duration.ofSeconds(2))); // and with the killed node back as a follower
        HistoryChecker.Report r = w.finish();
        System.out.println("R1: killed " + cluster.nodeName(leader) + ", new leader " + cluster.nodeName(newLeader)
                + "; first append started after the kill acknowledged after "
                + killed.ackAfter().map(Object::toString).orElse("never") + ", delivered after "
                + killed.deliveryAfter().map(Object::toString).orElse("never")
                + "; " + r.summary() + " " + w.retried() + " append attempts failed and were retried.");
        judge(w, r);
        assertNotEquals(leader, newLeader, "the killed node cannot lead the stream");
        assertRecovered(killed, "the stream's leader was killed");
    }

    public void r2() {
        StreamClient c = groupsClient();
        StreamName s = ctx.created(c, "r2");
        int leader = cluster.leaderOf(s, failover);
        int follower = (leader + 1) % cluster.size();
        ClusterWorkload w =
                workload("R2 follower " + cluster.nodeName(follower) + " paused under 20 producers and a group", c, s);
        w.start(Tck.scaled(Duration.ofSeconds(120)));
        // longer than the client's timeouts and the broker's failure detection
        Duration pause = max(requestTimeout.multipliedBy(4), Tck.scaled(Duration.ofSeconds(12)));
        ClusterWorkload.Mark paused;
        ClusterWorkload.Mark late;
        BrokerControl node = cluster.node(follower);
        try {
            w.awaitAcked(200, Tck.scaled(Duration.ofSeconds(30)));
            paused = w.mark();
            node.pause();
            Tck.sleep(pause.dividedBy(2));
            late = w.mark();
            Tck.sleep(pause.dividedBy(2));
        } catch (RuntimeException | Error e) {
            w.abort();
            throw e;
        } finally {
            node.resume();
        }
        boolean lateRecovered = late.recovered();
        Tck.sleep(Tck.scaled(Duration.ofSeconds(1)));
        HistoryChecker.Report r = w.finish();
        System.out.println(
                "R2: paused " + cluster.nodeName(follower) + " (leader " + cluster.nodeName(leader) + ") for "
                        + pause + "; append started after the pause acknowledged after "
                        + paused.ackAfter().map(Object::toString).orElse("never") + ", delivered after "
                        + paused.deliveryAfter().map(Object::toString).orElse("never")
                        + "; in the second half of the pause: "
                        + (lateRecovered
                                ? "appends acknowledged and delivered"
                                : "ack " + late.ackAfter().isPresent() + ", delivery "
                                        + late.deliveryAfter().isPresent())
                        + "; " + r.summary());
        judge(w, r);
        assertRecovered(paused, "a follower was paused");
        assertTrue(
                lateRecovered,
                "while the follower stayed paused (second half of " + pause + "), appends started then "
                        + "must be acknowledged and delivered before it resumed: ack "
                        + late.ackAfter().isPresent()
                        + ", delivery " + late.deliveryAfter().isPresent());
    }

    public void r3() {
        StreamClient c = groupsClient();
        StreamName s = ctx.created(c, "r3");
        String g = Outage.shortAckGroup(c, s);
        int leader = cluster.leaderOf(s, failover);
        List<Integer> down = new ArrayList<>();
        for (int i = 1; down.size() < (cluster.size() - 1) / 2; i++) {
            down.add((leader + i) % cluster.size());
        }
        HistoryChecker history = new HistoryChecker("R3 " + down.size() + " of " + cluster.size() + " nodes down");
        List<String> names = down.stream().map(cluster::nodeName).toList();
        try {
            for (int i : down) {
                cluster.node(i).stop();
            }
            // the client may have been connected to a stopped node: one append to settle, then no failure
            append(history, c, s, "r3/settle", failover);
            for (int i = 0; i < 100; i++) {
                append(history, c, s, "r3/" + i, Duration.ZERO);
            }
            StreamClient fresh =
                    Expect.within(failover, "opening a client with " + names + " down", () -> ctx.client(config()));
            append(history, fresh, s, "r3new/settle", failover);
            for (int i = 0; i < 20; i++) {
                append(history, fresh, s, "r3new/" + i, Duration.ZERO);
            }
            try (GroupConsumer m = fresh.openGroupConsumer(s, g, "m1")) {
                long deadline = System.nanoTime() + failover.toNanos();
                while (!history.report().lost().isEmpty() && System.nanoTime() < deadline) {
                    List<StreamEvent> got = m.poll(100, Duration.ofMillis(200));
                    for (StreamEvent e : got) {
                        history.delivered("m1", Io.keyOf(e), e.id(), e.deliveryCount());
                    }
                    if (!got.isEmpty()) {
                        m.ack(Io.ids(got));
                    }
                }
            }
        } finally {
            for (int i : down) {
                cluster.node(i).start();
            }
        }
        HistoryChecker.Report r = history.report();
        System.out.println("R3: " + names + " stopped (leader " + cluster.nodeName(leader) + "); " + r.summary());
        assertTrue(
                r.clean(),
                "with a minority down every append succeeds and the group reads each once, in order: " + r.summary());
    }

    /**
     * Appends one record; with a zero {@code retryFor} it must succeed at once, else retryable failures
     * are retried until {@code retryFor} passes.
     */
    private static void append(HistoryChecker h, StreamClient c, StreamName s, String key, Duration retryFor) {
        long deadline = System.nanoTime() + retryFor.toNanos();
        while (true) {
            h.invoked(key);
            try {
                EventId id = c.append(s, Io.rec(key));
                h.ok(key, id);
                return;
            } catch (StreamException e) {
                if (!FaultRules.APPEND_DOWN.contains(e.kind()) || System.nanoTime() > deadline) {
                    throw new AssertionError(
                            "with a minority of nodes down, append of " + key + " failed with "
                                    + e.kind() + (retryFor.isZero() ? "" : " after retrying for " + retryFor) + ": "
                                    + e.getMessage(),
                            e);
                }
                Outage.failedAttempt(h, key, e);
                Tck.sleep(Duration.ofMillis(100));
            }
        }
    }

    private static void judge(ClusterWorkload w, HistoryChecker.Report r) {
        Outage.assertHistoryHeld(w.error(), r);
        assertEquals(List.of(), r.mismatched(), "an event is read under the id its append returned: " + r.summary());
        Outage.assertDuplicatesBounded(r, "a failover");
    }

    private void assertRecovered(ClusterWorkload.Mark m, String what) {
        assertTrue(
                m.ackAfter().filter(d -> d.compareTo(failover) <= 0).isPresent(),
                what + ": an append started "
                        + "afterwards must be acknowledged within the failover bound " + failover
                        + " without help; took "
                        + m.ackAfter().map(Object::toString).orElse("forever"));
        assertTrue(
                m.deliveryAfter().filter(d -> d.compareTo(failover) <= 0).isPresent(),
                what + ": an append "
                        + "started afterwards must reach the group within the failover bound " + failover + "; took "
                        + m.deliveryAfter().map(Object::toString).orElse("forever"));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
