package dev.tributary.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ClientConfig;
import dev.tributary.EventId;
import dev.tributary.StreamClient;
import dev.tributary.StreamClients;
import dev.tributary.StreamName;
import dev.tributary.StreamOptions;
import dev.tributary.StreamRecord;
import dev.tributary.nats.internal.NatsNames;
import dev.tributary.nats.internal.NatsSettings;
import dev.tributary.tck.internal.KitContext;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A partitioned stream on the three-node cluster of {@link NatsClusterFixture}: each partition is a
 * replicated JetStream stream of its own, so the partitions' leaders are spread over the servers
 * rather than one server leading every write of the stream.
 */
class NatsClusterPartitionsIT {
    /**
     * Partitions of the stream: JetStream picks each stream's leader itself, so one server could lead
     * them all by chance — with 12 partitions and three servers about once in 180 000 runs.
     */
    private static final int PARTITIONS = 12;

    @Test
    void eachPartitionIsAReplicatedStreamAndTheLeadersAreSpreadOverTheServers() {
        NatsClusterFixture cluster = NatsClusterFixture.shared();
        cluster.awaitHealthy(Duration.ofSeconds(60));
        StreamName s = StreamName.of("spread-" + Long.toString(System.nanoTime(), 36));
        NatsNames names = new NatsNames(NatsSettings.DEFAULT_PREFIX);
        // the client's default request timeout, not the cluster kit's 5 s, and the creation asked again
        // while its answer is retryable, as the kit's setups do: on a loaded 2-core CI machine the
        // eighth of the 12 replicated streams got no answer within 5 s
        ClientConfig config = cluster.config().toBuilder()
                .requestTimeout(ClientConfig.DEFAULT_REQUEST_TIMEOUT)
                .build();
        try (StreamClient c = StreamClients.open(config)) {
            KitContext.createStream(c, s, StreamOptions.partitions(PARTITIONS));
            Set<Integer> partitionsWritten = new HashSet<>();
            for (int i = 0; partitionsWritten.size() < PARTITIONS && i < 10_000; i++) {
                EventId id = c.append(
                        s, StreamRecord.builder().payload("x").key("k" + i).build());
                partitionsWritten.add(id.partition());
            }
            assertEquals(PARTITIONS, partitionsWritten.size(), "every partition took appends");
            Set<Integer> leaders = new HashSet<>();
            for (int p = 0; p < PARTITIONS; p++) {
                leaders.add(cluster.leaderOfJetStream(names.partitionStreamName(s, p), Duration.ofSeconds(30)));
            }
            assertTrue(
                    leaders.size() >= 2,
                    "the " + PARTITIONS + " partitions' leaders are spread over the servers, got nodes " + leaders);
            assertEquals(PARTITIONS, c.info(s).partitionCount());
            c.deleteStream(s);
        }
    }
}
