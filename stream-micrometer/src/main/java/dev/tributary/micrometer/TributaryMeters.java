package dev.tributary.micrometer;

/**
 * The names, tag keys and fixed tag values of every meter this module registers. Names follow
 * Micrometer's conventions (dot-separated lower case; each registry renders them in its own style,
 * e.g. {@code tributary_append_seconds} in Prometheus). docs/observability.md lists each meter with
 * its tags.
 */
public final class TributaryMeters {
    private TributaryMeters() {}

    // ---- clients (TributaryMetrics.instrument) ----
    /** Timer: one sample per append call that reached the backend, until its future completed. Tags: backend, stream, outcome. */
    public static final String APPEND = "tributary.append";
    /** Counter (records): records the broker confirmed (a batch counts each record). Tags: backend, stream. */
    public static final String APPEND_RECORDS = "tributary.append.records";
    /** Counter (records): records whose append failed, pre-I/O rejections included. Tags: backend, stream, kind. */
    public static final String APPEND_FAILURES = "tributary.append.failures";
    /** Gauge (records): records handed to the backend and not yet confirmed or failed. Tags: backend. */
    public static final String APPEND_IN_FLIGHT = "tributary.append.in.flight";
    /** Counter (events): events returned by reader and group-consumer polls. Tags: backend, stream, group. */
    public static final String READ_EVENTS = "tributary.read.events";
    /** Counter: polls that failed. Tags: backend, stream, group, kind. */
    public static final String READ_FAILURES = "tributary.read.failures";
    /** Counter (events): ids acked that were pending. Tags: backend, stream, group. */
    public static final String ACKS = "tributary.acks";
    /** Counter (events): ids acked that were not pending (already acked, unknown). Tags: backend, stream, group. */
    public static final String ACKS_UNKNOWN = "tributary.acks.unknown";
    /** Counter (events): ids given back with nack. Tags: backend, stream, group. */
    public static final String NACKS = "tributary.nacks";

    // ---- processors (TributaryMetrics.processorListener) ----
    /** Counter (events): events the handler handled. Tags: processor, backend, stream, group. */
    public static final String PROCESSOR_HANDLED = "tributary.processor.handled";
    /** Counter (events): events the filter rejected. */
    public static final String PROCESSOR_FILTERED = "tributary.processor.filtered";
    /** Counter (events): events of handler calls that threw (each attempt counts). */
    public static final String PROCESSOR_FAILED = "tributary.processor.failed";
    /** Counter: retries, tagged by operation ({@code handler}, {@code poll}, {@code ack}, ...). */
    public static final String PROCESSOR_RETRIED = "tributary.processor.retried";
    /** Counter (events): events sent to the dead-letter stream, tagged by reason ({@code handler}, {@code decode}). */
    public static final String PROCESSOR_DEAD_LETTERED = "tributary.processor.dead.lettered";
    /** Timer: handler calls (every attempt), tagged by outcome. */
    public static final String PROCESSOR_HANDLER = "tributary.processor.handler";
    /** Counter: errors the processor met (source errors and failures), tagged by kind. */
    public static final String PROCESSOR_ERRORS = "tributary.processor.errors";
    /** Counter: gaps (events trimmed before they were read, or a lost group). */
    public static final String PROCESSOR_GAPS = "tributary.processor.gaps";
    /** Gauge: how many processors with these tags are in the state of the {@code state} tag. */
    public static final String PROCESSOR_STATE = "tributary.processor.state";
    /** Gauge (events): the lag the processor last reported; NaN when unknown. */
    public static final String PROCESSOR_LAG = "tributary.processor.lag";

    // ---- groups (GroupLagMetrics) ----
    /** Gauge (events): events not yet delivered to the group at the last poll; NaN when unknown. Tags: backend, stream, group. */
    public static final String GROUP_LAG = "tributary.group.lag";
    /** Gauge (events): events delivered and not acked at the last poll; NaN when unknown. Tags: backend, stream, group. */
    public static final String GROUP_PENDING = "tributary.group.pending";

    // ---- tag keys ----
    /** Tag key: the backend (provider name). */
    public static final String TAG_BACKEND = "backend";
    /** Tag key: the stream name. */
    public static final String TAG_STREAM = "stream";
    /** Tag key: the consumer group, or {@link #NONE}. */
    public static final String TAG_GROUP = "group";
    /** Tag key: the processor name. */
    public static final String TAG_PROCESSOR = "processor";
    /** Tag key: {@link #SUCCESS} or {@link #FAILURE}. */
    public static final String TAG_OUTCOME = "outcome";
    /** Tag key: the {@code ErrorKind} of a failure. */
    public static final String TAG_KIND = "kind";
    /** Tag key: the operation a processor retried. */
    public static final String TAG_OPERATION = "operation";
    /** Tag key: why an event was dead-lettered. */
    public static final String TAG_REASON = "reason";
    /** Tag key: a processor's state. */
    public static final String TAG_STATE = "state";

    // ---- fixed tag values ----
    /**
     * The stream or group tag of every name beyond the cardinality cap. It contains characters the
     * stream-name grammar excludes, so it never collides with a real stream or group.
     */
    public static final String OTHER = "(other)";
    /** The group tag of reads that belong to no group (tail readers, tail processors). */
    public static final String NONE = "(none)";
    /** The outcome tag of an operation that succeeded. */
    public static final String SUCCESS = "success";
    /** The outcome tag of an operation that failed. */
    public static final String FAILURE = "failure";
}
