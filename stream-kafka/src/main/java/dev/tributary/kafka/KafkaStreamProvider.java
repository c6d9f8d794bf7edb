package dev.tributary.kafka;

import com.google.auto.service.AutoService;
import dev.tributary.Capability;
import dev.tributary.StreamClient;
import dev.tributary.kafka.internal.KafkaStreamClient;
import dev.tributary.spi.ProviderContext;
import dev.tributary.spi.StreamProvider;
import java.util.EnumSet;
import java.util.Set;

/**
 * The Kafka backend, named {@code kafka}, serving {@code kafka://host:port[,host:port…]} (PLAINTEXT,
 * or SASL_PLAINTEXT with {@code user:password@}) and {@code kafka+ssl://…} (SSL, or SASL_SSL with
 * credentials). Options are documented in the module README.
 *
 * <p>A client with the default one partition per stream declares consumer groups, time positions
 * and exact trimming by length, age and id. A client opened with {@code partitions=N} (N &gt; 1)
 * declares {@link Capability#PARTITIONED} as well: order then holds per key, ids are
 * {@code partition/offset}, and readers, ranges, trims and groups cover every partition. Idempotent append is not declared: Kafka's idempotent producer
 * deduplicates the retries of one producer session only, not repeated appends across producer
 * restarts, so it cannot keep the contract of an idempotency id.
 */
@AutoService(StreamProvider.class)
public final class KafkaStreamProvider implements StreamProvider {
    /** Creates the provider; does no I/O. */
    public KafkaStreamProvider() {}

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public Set<String> schemes() {
        return Set.of("kafka", "kafka+ssl");
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(
                Capability.CONSUMER_GROUPS,
                Capability.TIME_POSITION,
                Capability.TRIM_BY_LENGTH,
                Capability.EXACT_TRIM,
                Capability.TRIM_BY_AGE,
                Capability.TRIM_BY_ID,
                Capability.PARTITIONED);
    }

    @Override
    public StreamClient create(ProviderContext context) {
        return new KafkaStreamClient(context.config(), context.clock());
    }
}
