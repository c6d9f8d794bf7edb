package dev.tributary.tck.cluster;

import dev.tributary.ClientConfig;
import dev.tributary.StreamClient;
import dev.tributary.StreamClients;
import dev.tributary.tck.RuleHint;
import dev.tributary.tck.Tck;
import dev.tributary.tck.internal.ClusterRules;
import dev.tributary.tck.internal.KitContext;
import dev.tributary.tck.internal.KitHooks;
import dev.tributary.tck.internal.RuleExtension;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The kit for replicated clusters: the R family of TCK-RULES.md, one test per rule. A backend's test
 * extends this class and supplies a {@link ClusterFixture} (a configuration naming every node, control
 * of single nodes, the leader of a stream):
 *
 * <pre>{@code
 * class AcmeClusterIT extends ClusterTck {
 *     protected ClusterFixture cluster() { return AcmeClusterFixture.shared(); }
 * }
 * }</pre>
 *
 * <p>The rules run a workload of 20 producers and a group consumer recorded by a
 * {@link dev.tributary.tck.HistoryChecker}, with the fixture's configuration (its durable settings)
 * and shorter request timeouts ({@link #requestTimeout()}). Every rule starts on a healthy cluster
 * ({@link ClusterFixture#awaitHealthy}), and leaves every node running, whatever happens. Test names
 * carry the rule id ({@code required_R1_…}); each failure message ends with a "if this fails, check …"
 * hint. All waits are scaled by {@value Tck#TIMEOUT_SCALE_PROPERTY}.
 *
 * <p>Hooks: {@link #cluster()} (required), {@link #openClient(ClientConfig)}, {@link #failoverBound()},
 * {@link #requestTimeout()}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(RuleExtension.class)
@Execution(ExecutionMode.SAME_THREAD) // rules stop and pause nodes of one shared cluster: never in parallel
public abstract class ClusterTck {
    private KitContext context;

    /** The cluster of this run; return one shared instance (started once per JVM). */
    protected abstract ClusterFixture cluster();

    /** Opens a client with {@code config} (the cluster's, with the rule's timeouts); the kit closes it. */
    protected StreamClient openClient(ClientConfig config) {
        return StreamClients.open(config);
    }

    /**
     * How long after a node is killed, paused or stopped the client must append and deliver again
     * without help (default 30 s, scaled): the rules R1–R3 fail when recovery takes longer.
     */
    protected Duration failoverBound() {
        return Tck.scaled(Duration.ofSeconds(30));
    }

    /**
     * Rules this backend is known to fail, by rule id, with the reason (default none). Each is
     * reported as skipped with "known defect: reason" — never as passed — so a defect that is
     * being worked on stays visible in every report instead of failing every build.
     */
    protected java.util.Map<String, String> knownDefects() {
        return java.util.Map.of();
    }

    private void unlessKnownDefect(String rule) {
        String why = knownDefects().get(rule);
        if (why != null) {
            org.junit.jupiter.api.Assumptions.abort("known defect, not run: " + why);
        }
    }

    /** The request timeout of the rules' clients (default 3 s, scaled), so failures are noticed quickly. */
    protected Duration requestTimeout() {
        return Tck.scaled(Duration.ofSeconds(3));
    }

    final KitContext kit() {
        if (context == null) {
            context = new KitContext(KitHooks.of(
                    this::cluster,
                    () -> openClient(cluster().config()),
                    this::openClient,
                    Optional::empty,
                    () -> Tck.scaled(Duration.ofSeconds(5)),
                    () -> true));
        }
        return context;
    }

    private ClusterRules rules() {
        return new ClusterRules(kit(), cluster(), failoverBound(), requestTimeout());
    }

    @BeforeEach
    void startOnAHealthyCluster() {
        cluster().awaitHealthy(Tck.scaled(Duration.ofSeconds(60)));
    }

    @AfterEach
    void closeClientsAndDeleteStreams() {
        kit().cleanup();
    }

    @Nested
    @DisplayName("R — replicated clusters")
    class Replicated {
        @Test
        @DisplayName(
                "R1 the stream's leader killed while 20 producers append and a group consumes: 0 acknowledged lost; "
                        + "the client follows the new leader without help within the failover bound")
        @RuleHint(
                value = "durable settings (replicas = nodes, acks from a quorum), errors during the election mapped "
                        + "RETRYABLE/INDETERMINATE (never NOT_FOUND), the client's list of every node, metadata refresh on "
                        + "'not leader'",
                budgetSeconds = 240)
        void required_R1_leaderKilledLosesNothingAndTheClientFollowsTheNewLeader() {
            unlessKnownDefect("R1");
            rules().r1();
        }

        @Test
        @DisplayName("R2 a follower paused longer than every timeout: appends and reads go on")
        @RuleHint(
                value = "a frozen node must not stall the client: pings or request timeouts end its connection and "
                        + "the client moves to another node; the broker drops the follower from the quorum",
                budgetSeconds = 180)
        void required_R2_aPausedFollowerDoesNotStopAppendsOrReads() {
            unlessKnownDefect("R2");
            rules().r2();
        }

        @Test
        @DisplayName("R3 a minority of nodes down: appends succeed, a new client opens, the group reads everything")
        @RuleHint(
                value = "the client bootstraps from any listed node, skipping one that is down; writes need a quorum, "
                        + "not every replica (min.insync.replicas below the replication factor)",
                budgetSeconds = 180)
        void required_R3_aMinorityOfNodesDownAppendsSucceed() {
            unlessKnownDefect("R3");
            rules().r3();
        }
    }
}
