package dev.tributary.redis;

import dev.tributary.tck.BrokerControl;
import dev.tributary.tck.FaultProxyFixture;
import dev.tributary.tck.cluster.ClusterFixture;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The fault proxy route of a Redis cluster fixture (rules F8–F10, and the network faults of F11): a
 * second cluster of the same layout, started on first use and closed at JVM exit, whose nodes announce
 * the ports of proxies in front of them. Redis hands out node addresses itself (a cluster's slot map and
 * {@code MOVED}, the primary a sentinel names) and a node announces one port only, so the fixture's own
 * cluster cannot serve both its direct clients and proxied ones: announcing the proxies there would send
 * every client of {@code config()} through them too.
 *
 * <p>Once the twin runs, the fixture's whole-cluster control acts on both clusters ({@link #follow}): a
 * rule that both controls the broker and reaches it through the proxy (F11 kills and pauses "the
 * broker" under a workload of the proxy route) must find the broker its clients use killed.
 *
 * @param <F> the fixture type of the twin
 */
final class ProxiedTwin<F extends ClusterFixture> {
    private final String name;
    private final Supplier<F> start;
    private final Function<F, FaultProxyFixture> route;
    /**
     * The twin's whole-cluster control, made once: it remembers that it stopped or killed the twin, and a
     * fresh one would wait for a healthy twin on {@code resume()} while the twin is down.
     */
    private volatile BrokerControl twin;

    private FaultProxyFixture proxy;

    /**
     * @param name  the cluster's name, for messages and the shutdown thread
     * @param start starts the twin (its nodes announcing their proxies) and registers its close at JVM exit
     * @param route the twin's configuration through its proxies, with the fixture's options and timeouts
     */
    ProxiedTwin(String name, Supplier<F> start, Function<F, FaultProxyFixture> route) {
        this.name = name;
        this.start = start;
        this.route = route;
    }

    /** The route through the twin's proxies; the twin is started (and healthy) on the first call. */
    synchronized FaultProxyFixture proxy() {
        if (proxy == null) {
            F t = start.get();
            proxy = route.apply(t);
            twin = t.control().orElseThrow();
        }
        return proxy;
    }

    /**
     * {@code main}, and once the twin runs the twin's own whole-cluster control too: each method acts on
     * both clusters at once and returns when it holds for both.
     */
    BrokerControl follow(BrokerControl main) {
        return new BrokerControl() {
            @Override
            public void stop() {
                both(BrokerControl::stop);
            }

            @Override
            public void start() {
                both(BrokerControl::start);
            }

            @Override
            public void kill() {
                both(BrokerControl::kill);
            }

            @Override
            public void pause() {
                both(BrokerControl::pause);
            }

            @Override
            public void resume() {
                both(BrokerControl::resume);
            }

            @Override
            public void wipe() {
                both(BrokerControl::wipe);
            }

            private void both(Consumer<BrokerControl> action) {
                BrokerControl other = twin;
                if (other == null) {
                    action.accept(main);
                    return;
                }
                CompletableFuture<Void> onTwin = CompletableFuture.runAsync(() -> action.accept(other));
                try {
                    action.accept(main);
                } finally {
                    onTwin.join();
                }
            }

            @Override
            public String toString() {
                return twin == null ? main.toString() : main + ", and the " + name + " behind the fault proxies";
            }
        };
    }
}
