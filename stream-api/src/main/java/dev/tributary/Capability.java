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
     * The stream is split into partitions chosen by key: order holds per key, not across the stream.
     * Without it a stream has one total order.
     */
    PARTITIONED
}
