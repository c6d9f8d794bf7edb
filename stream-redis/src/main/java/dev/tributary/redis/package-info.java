/**
 * The Redis Streams backend of Tributary, found through {@link java.util.ServiceLoader} for
 * {@code redis://} and {@code rediss://} (TLS) URIs. {@link dev.tributary.redis.RedisStreamProvider}
 * is the only public type; the URI options, the entry layout and the recommended durability settings
 * are documented in the module's README.
 */
package dev.tributary.redis;
