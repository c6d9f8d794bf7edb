package dev.tributary;

/**
 * The one hash that chooses a keyed record's partition, the same on every backend: Kafka's default
 * partitioner ({@code murmur2} of the key bytes, made positive, modulo the partition count). A key
 * therefore lands in the same partition whichever backend stores it, and Tributary agrees with any
 * other Kafka producer that uses the default partitioner. Records without a key are spread over the
 * partitions by the backend (round robin per client on memory; Kafka's sticky partitioner on Kafka).
 */
public final class Partitioner {
    private Partitioner() {}

    /**
     * The partition of {@code key} among {@code partitions}.
     *
     * @throws StreamException {@link ErrorKind#INVALID_ARGUMENT} for a null key or a count outside
     *                         1 to {@link StreamOptions#MAX_PARTITIONS}
     */
    public static int partition(byte[] key, int partitions) {
        if (key == null) {
            throw StreamException.invalid("a record without a key has no partition of its own");
        }
        if (partitions < 1 || partitions > StreamOptions.MAX_PARTITIONS) {
            throw StreamException.invalid(
                    "partition count must be 1 to " + StreamOptions.MAX_PARTITIONS + ", got " + partitions);
        }
        return (murmur2(key) & 0x7fffffff) % partitions;
    }

    /** Kafka's {@code Utils.murmur2}: 32-bit MurmurHash2 with seed {@code 0x9747b28c}. */
    static int murmur2(byte[] data) {
        int length = data.length;
        int seed = 0x9747b28c;
        final int m = 0x5bd1e995;
        final int r = 24;
        int h = seed ^ length;
        int length4 = length / 4;
        for (int i = 0; i < length4; i++) {
            final int i4 = i * 4;
            int k = (data[i4] & 0xff)
                    + ((data[i4 + 1] & 0xff) << 8)
                    + ((data[i4 + 2] & 0xff) << 16)
                    + ((data[i4 + 3] & 0xff) << 24);
            k *= m;
            k ^= k >>> r;
            k *= m;
            h *= m;
            h ^= k;
        }
        int index = length4 * 4;
        switch (length % 4) {
            case 3:
                h ^= (data[index + 2] & 0xff) << 16;
            // fall through
            case 2:
                h ^= (data[index + 1] & 0xff) << 8;
            // fall through
            case 1:
                h ^= data[index] & 0xff;
                h *= m;
                break;
            default:
                break;
        }
        h ^= h >>> 13;
        h *= m;
        h ^= h >>> 15;
        return h;
    }
}
