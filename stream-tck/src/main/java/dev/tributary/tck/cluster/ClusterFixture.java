package dev.tributary.tck.cluster;

import dev.tributary.ClientConfig;
import dev.tributary.StreamName;
import dev.tributary.tck.BrokerControl;
import dev.tributary.tck.BrokerFixture;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * A replicated cluster for the R rules: a configuration that names every node, control of each
 * node on its own, and where a stream's leader is. One fixture serves every rule of a run (rules use
 * fresh stream names), so a fixture starts its cluster once per JVM and the kit never closes it.
 *
 * <p>{@link #config()} must name every node (e.g. {@code nats://h:p1,h:p2,h:p3} or
 * {@code kafka://h:p1,h:p2,h:p3}) and carry the backend's documented durable settings, so that
 * the rules judge the configuration users are told to run. Streams the client creates with it must
 * be replicated to every node.
 *
 * <p>Node controls follow {@link BrokerControl}: each method returns once its effect holds, and
 * {@link BrokerControl#start()} brings the node back at the same address with the same data.
 */
public interface ClusterFixture extends BrokerFixture {

    /** The configuration every client of the cluster kit is opened with; it names every node. */
    @Override
    ClientConfig config();

    /** The number of nodes (at least 3). */
    int size();

    /** Control of node {@code index} (0-based) alone; the other nodes keep running. */
    BrokerControl node(int index);

    /** A short name of node {@code index} for messages, e.g. {@code "n2 (127.0.0.1:40123)"}. */
    default String nodeName(int index) {
        return "node " + index;
    }

    /**
     * The index of the node that leads {@code stream} now (for a partitioned stream: its first
     * partition), waiting up to {@code bound} while no leader is elected.
     *
     * @throws AssertionError when no node leads the stream within {@code bound}
     */
    int leaderOf(StreamName stream, Duration bound);

    /**
     * Waits until every node runs, answers and has caught up (every replica of every stream in sync,
     * the cluster's own metadata led), so the next rule starts on a whole cluster.
     *
     * @throws AssertionError when the cluster is not healthy within {@code bound}
     */
    void awaitHealthy(Duration bound);

    /**
     * The whole cluster loses every piece of data it had (rule F7 and the processor kit's data-loss
     * rule): every node killed, its store deleted, and the cluster started again empty at the same
     * addresses, returning once it answers (the kit then waits for {@link #awaitHealthy}). Data must not
     * survive on any node, so no node may start before every node's store is gone. Optional: the default
     * throws {@link UnsupportedOperationException} at once, and those rules are reported as skipped.
     */
    default void wipe() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot wipe its cluster's data");
    }

    /**
     * The whole cluster as one broker: every method acts on all nodes at once, so the contract kit's
     * fault rules and the processor kit's restart rules run on the cluster as they run on one broker.
     */
    @Override
    default Optional<BrokerControl> control() {
        return Optional.of(new WholeCluster(this));
    }

    /**
     * A helper for {@link #leaderOf}: asks {@code lookup} every 200 ms until it names a node (an index
     * of 0 or more) or {@code bound} passes. An exception or a negative index means "not yet" (no
     * leader elected, an admin connection moving).
     *
     * @throws AssertionError naming {@code what} and the last error when no node is named in time
     */
    static int awaitNode(Duration bound, String what, Callable<Integer> lookup) {
        long deadline = System.nanoTime() + bound.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                int i = lookup.call();
                if (i >= 0) {
                    return i;
                }
            } catch (Exception e) {
                last = e;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
        throw new AssertionError("no node " + what + " within " + bound + "; last error: " + last);
    }
}
