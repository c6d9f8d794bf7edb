package dev.tributary.tck.cluster;

import dev.tributary.tck.BrokerControl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * The whole cluster as one broker, so that the contract kit's fault rules (F) and the processor
 * rules that restart "the broker" (C5, C7, C8) run on a cluster too: each method acts on every node
 * at once — in parallel, since a replicated node may not answer before a quorum of its peers runs —
 * and returns when it holds for all of them. {@link #start()} and {@link #resume()} (of running,
 * paused nodes) also wait until the cluster is healthy again ({@link ClusterFixture#awaitHealthy}), so
 * the next call finds its streams led and in sync. {@link #wipe()} is the cluster's own
 * {@link ClusterFixture#wipe()}: only the cluster knows the order in which its nodes may start empty.
 */
final class WholeCluster implements BrokerControl {
    private static final Duration HEALTHY = Duration.ofSeconds(90);

    private final ClusterFixture cluster;
    /** Stopped or killed through this control, and not started since: resume() then has nothing to wait for. */
    private volatile boolean down;

    WholeCluster(ClusterFixture cluster) {
        this.cluster = cluster;
    }

    @Override
    public void stop() {
        down = true;
        everyNode(BrokerControl::stop);
    }

    @Override
    public void start() {
        everyNode(BrokerControl::start);
        down = false;
        cluster.awaitHealthy(HEALTHY);
    }

    @Override
    public void kill() {
        down = true;
        everyNode(BrokerControl::kill);
    }

    @Override
    public void pause() {
        everyNode(BrokerControl::pause);
    }

    @Override
    public void resume() {
        everyNode(BrokerControl::resume);
        if (!down) {
            cluster.awaitHealthy(HEALTHY);
        }
    }

    /** The cluster's own {@link ClusterFixture#wipe()}, then a wait until it is healthy again. */
    @Override
    public void wipe() {
        cluster.wipe();
        down = false;
        cluster.awaitHealthy(HEALTHY);
    }

    private void everyNode(Consumer<BrokerControl> action) {
        ExecutorService pool = Executors.newFixedThreadPool(cluster.size(), r -> {
            Thread t = new Thread(r, "tributary-tck-whole-cluster");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < cluster.size(); i++) {
                BrokerControl node = cluster.node(i);
                all.add(pool.submit(() -> action.accept(node)));
            }
            for (Future<?> f : all) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while controlling " + cluster.describe(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "controlling every node of " + cluster.describe() + " failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "every node of " + cluster.describe();
    }
}
