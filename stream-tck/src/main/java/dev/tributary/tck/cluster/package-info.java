/**
 * The kit for replicated clusters: {@link dev.tributary.tck.cluster.ClusterTck} holds the R rules of
 * TCK-RULES.md (a stream's leader killed, a follower paused, a minority of nodes down) and a backend
 * supplies a {@link dev.tributary.tck.cluster.ClusterFixture}: a configuration naming every node,
 * control of single nodes and where a stream's leader is. Local clusters of real brokers for it:
 * {@link dev.tributary.tck.fixture.NatsServerCluster} and {@link dev.tributary.tck.fixture.KafkaKraftCluster}.
 */
package dev.tributary.tck.cluster;
