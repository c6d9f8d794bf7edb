package dev.tributary;

/**
 * Optional features a backend declares at run time ({@link StreamClient#capabilities()}). A declared
 * capability must pass its TCK rules; using an undeclared one fails fast with
 * {@link ErrorKind#UNSUPPORTED}, never a silent no-op.
 */
public enum Capability {
    /** Consumer groups: create, read, ack, nack, pending/lag, delete; ack-timeout redelivery. */
    CONSUMER_GROUPS,
    /** Appends carrying the same idempotency id inside the dedup window store one event and return its id. */
    IDEMPOTENT_APPEND,
    /** {@link Position#at(java.time.Instant)} is supported. */
    TIME_POSITION,
    /** {@link Trim#toLength(long)}. */
    TRIM_BY_LENGTH,
    /** {@link Trim#toLength(long)} keeps exactly n events (without it: at least n). */
    EXACT_TRIM,
    /** {@link Trim#olderThan(java.time.Duration)}. */
    TRIM_BY_AGE,
    /** {@link Trim#below(EventId)}. */
    TRIM_BY_ID,
    /**
     * Streams of several partitions ({@link StreamOptions#partitions(int)}), chosen by key with
     * {@link Partitioner}: order holds per key, not across the stream; readers, ranges and groups
     * cover every partition, and a reader's place is a {@link Cursor}. A stream of one partition
     * keeps one total order. Without it every stream has one partition.
     */
    PARTITIONED
}
