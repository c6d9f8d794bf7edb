package dev.tributary.nats.internal;

import dev.tributary.EventId;
import java.util.List;

/**
 * Where a Tributary stream lives in JetStream: the stream, the subject filter its reads use and the
 * subject its appends go to.
 *
 * <ul>
 *   <li>Tributary's own stream {@code orders}: stream {@code <prefix>_orders}, filter and append
 *       subject {@code <prefix>.orders}; Tributary creates, trims and deletes it.</li>
 *   <li>An <em>adopted</em> stream (option {@code jetstream.orders=ORDERS:orders.>:orders.new}): a
 *       JetStream stream another application owns. Tributary never creates, changes, trims or deletes
 *       it. {@code filter} null = the whole stream (consumers without a filter); {@code append} null =
 *       appends are refused (the filter is a wildcard and no append subject was given).</li>
 * </ul>
 *
 * @param stream  the JetStream stream name
 * @param filter  the subject filter of every consumer, or null for the whole stream
 * @param append  the subject appends are published to, or null when appends are refused
 * @param adopted whether another application owns the stream
 * @param option  the option that adopted it ({@code jetstream.orders}), or null
 * @param partition the partition this JetStream stream holds of a partitioned Tributary stream, or
 *                  -1 for a stream of one partition (its events have plain ids)
 */
record NatsTarget(String stream, String filter, String append, boolean adopted, String option, int partition) {

    /** A target of a one-partition stream. */
    NatsTarget(String stream, String filter, String append, boolean adopted, String option) {
        this(stream, filter, append, adopted, option, -1);
    }

    /** Tributary's own stream on one literal subject. */
    static NatsTarget own(String stream, String subject) {
        return new NatsTarget(stream, subject, subject, false, null);
    }

    /** Partition {@code partition} of Tributary's own partitioned stream: one JetStream stream on one subject. */
    static NatsTarget partition(String stream, String subject, int partition) {
        return new NatsTarget(stream, subject, subject, false, null, partition);
    }

    /** The id of the event stored under {@code sequence}: partitioned when this target is a partition. */
    EventId eventId(long sequence) {
        EventId local = EventId.ofSequence(sequence);
        return partition < 0 ? local : EventId.inPartition(partition, local);
    }

    /**
     * True when every message of the stream passes the filter, so that sequences read are dense and a
     * jump means lost messages. Otherwise (the stream captures more than the filter) sequences of
     * other subjects are skipped legitimately, and only a cursor below the stream's first sequence is
     * a gap.
     */
    boolean dense(List<String> streamSubjects) {
        return filter == null
                || (streamSubjects.size() == 1 && streamSubjects.get(0).equals(filter));
    }

    /** True when events read carry their subject in a header: the filter is not one literal subject. */
    boolean surfacesSubject() {
        return adopted && (filter == null || !Subjects.isLiteral(filter));
    }

    /** For messages: {@code JetStream stream ORDERS (filter orders.>, adopted through jetstream.orders)}. */
    String describe() {
        if (!adopted) {
            return "JetStream stream " + stream + (partition < 0 ? "" : " (partition " + partition + ")");
        }
        return "JetStream stream " + stream + " (" + (filter == null ? "no filter" : "filter " + filter)
                + ", adopted through option " + option + ")";
    }
}
