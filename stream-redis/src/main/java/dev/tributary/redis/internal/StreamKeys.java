package dev.tributary.redis.internal;

import dev.tributary.StreamException;
import dev.tributary.StreamName;

/**
 * The Redis keys of one partition of a stream: its stream key and the prefix of its auxiliary keys
 * (groups hash, dedup hash and sorted set), which share the stream key's hash tag so that a script
 * over them stays on one Cluster slot.
 *
 * <p>A one-partition stream ({@code partition == -1}) keeps the key names it always had: the stream
 * key is {@code <namespace:>stream}, its auxiliary keys {@code {<stream key>}:tributary:…}. Partition
 * {@code p} of a partitioned stream is the key {@code {<stream key>/p}}: the whole key is its own hash
 * tag, which differs per partition (so a Cluster spreads the partitions over its slots), and its
 * auxiliary keys are {@code {<stream key>/p}:tributary:…}, in that partition's slot. Stream names
 * cannot contain {@code /}, {@code {} or {@code }}, so no partition key is ever a one-partition
 * stream's key.
 *
 * @param stream     the stream
 * @param partition  the partition, or -1 for a one-partition stream
 * @param key        the Redis stream key
 * @param sidePrefix the prefix of the auxiliary keys; null when the key cannot have any (a braced
 *                   one-partition key, refused by {@link #side()})
 */
record StreamKeys(StreamName stream, int partition, String key, String sidePrefix) {

    /** The keys of a one-partition stream whose key is {@code key}. */
    static StreamKeys plain(StreamName stream, String key) {
        boolean braced = key.indexOf('{') >= 0 || key.indexOf('}') >= 0;
        return new StreamKeys(stream, -1, key, braced ? null : "{" + key + "}:tributary:");
    }

    /** The keys of partition {@code p} of the partitioned stream whose one-partition key would be {@code key}. */
    static StreamKeys partition(StreamName stream, String key, int p) {
        String k = "{" + key + "/" + p + "}";
        return new StreamKeys(stream, p, k, k + ":tributary:");
    }

    /** True for a partition of a partitioned stream. */
    boolean partitioned() {
        return partition >= 0;
    }

    /** The prefix of the auxiliary keys; INVALID_ARGUMENT for a key with a brace. */
    String side() {
        if (sidePrefix == null) {
            throw StreamException.invalid("stream key '" + key + "' contains a brace; its auxiliary "
                    + "keys could not share its Redis Cluster slot");
        }
        return sidePrefix;
    }

    /** The hash of the groups' ack timeouts and deletion markers. */
    String groupsKey() {
        return side() + "groups";
    }

    /** The hash of recent idempotency ids (see {@link RedisSettings#dedupIdsKey}). */
    String dedupIdsKey() {
        return side() + "dedup";
    }

    /** The sorted set of recent idempotency ids by time (see {@link RedisSettings#dedupTimesKey}). */
    String dedupTimesKey() {
        return side() + "dedup-times";
    }

    /** How messages name it: the key, and the partition when there is one. */
    String describe() {
        return partitioned() ? "partition " + partition + " of stream " + stream.value() + " (key " + key + ")" : key;
    }
}
