package dev.tributary.redis;

import com.google.auto.service.AutoService;
import dev.tributary.Capability;
import dev.tributary.StreamClient;
import dev.tributary.redis.internal.RedisSettings;
import dev.tributary.redis.internal.RedisStreamClient;
import dev.tributary.spi.ProviderContext;
import dev.tributary.spi.StreamProvider;
import java.util.EnumSet;
import java.util.Set;

/**
 * The Redis Streams provider: name {@code redis}, URI schemes {@code redis} and {@code rediss} (TLS) —
 * one server, or the seed nodes of a Redis Cluster with {@code ?cluster=true} — and
 * {@code redis-sentinel} / {@code rediss-sentinel} (a primary found through Redis Sentinel).
 * A cheap factory: the constructor does no I/O; {@link #create(ProviderContext)} connects, checks the
 * credentials and the server version (Redis 7.0 or newer), and fails with
 * {@link dev.tributary.ErrorKind#CONFIGURATION}, {@link dev.tributary.ErrorKind#AUTHENTICATION} or
 * {@link dev.tributary.ErrorKind#RETRYABLE} (server unreachable within the connect timeout).
 */
@AutoService(StreamProvider.class)
public final class RedisStreamProvider implements StreamProvider {
    /** What every client of this provider declares. */
    public static final Set<Capability> CAPABILITIES = Set.copyOf(EnumSet.of(
            Capability.CONSUMER_GROUPS,
            Capability.IDEMPOTENT_APPEND,
            Capability.PARTITIONED,
            Capability.TIME_POSITION,
            Capability.TRIM_BY_LENGTH,
            Capability.EXACT_TRIM,
            Capability.TRIM_BY_ID,
            Capability.TRIM_BY_AGE));

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public Set<String> schemes() {
        return Set.of("redis", "rediss", "redis-sentinel", "rediss-sentinel");
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public StreamClient create(ProviderContext context) {
        RedisSettings settings = RedisSettings.from(context.config());
        return RedisStreamClient.connect(settings, CAPABILITIES);
    }
}
