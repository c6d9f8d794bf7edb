package dev.tributary;

/**
 * How a stream is created ({@link StreamClient#createStream(StreamName, StreamOptions)}).
 *
 * <p>A stream of one partition (the default) has one total order. A stream of several partitions
 * (capability {@link Capability#PARTITIONED}) spreads its events over them by key with
 * {@link Partitioner}: order holds per key, each partition has its own ids
 * ({@link EventId#inPartition}), and a reader's place is a {@link Cursor} over every partition. The
 * count is fixed when the stream is created: creating an existing stream again keeps its count,
 * whatever the options say, and {@link StreamInfo#partitionCount()} tells what it is.
 *
 * @param partitions 1 to {@link #MAX_PARTITIONS}
 */
public record StreamOptions(int partitions) {
    /** The most partitions a stream may have: 1024. */
    public static final int MAX_PARTITIONS = 1024;

    public StreamOptions {
        if (partitions < 1 || partitions > MAX_PARTITIONS) {
            throw StreamException.invalid("a stream has 1 to " + MAX_PARTITIONS + " partitions, got " + partitions);
        }
    }

    /** One partition: one total order. */
    public static StreamOptions defaults() {
        return new StreamOptions(1);
    }

    /** {@code n} partitions. */
    public static StreamOptions partitions(int n) {
        return new StreamOptions(n);
    }
}
