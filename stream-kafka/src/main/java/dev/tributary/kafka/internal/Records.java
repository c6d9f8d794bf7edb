package dev.tributary.kafka.internal;

import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.Header;
import dev.tributary.Headers;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import dev.tributary.spi.MarkedHeaders;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The record layout: payload = Kafka value, key = Kafka key, headers = Kafka headers (UTF-8 values,
 * in order, repeated keys kept; what other producers wrote that the header grammar cannot hold reads in
 * the marked form of {@link MarkedHeaders}), so any Kafka client reads our records as ordinary records. An empty
 * payload is sent as a 0-byte value, never as null (a tombstone); a null key stays null and a 0-byte
 * key stays 0 bytes. Ids: the offset ({@link EventId#ofSequence}) for one partition, or
 * {@code partition-offset} ({@link EventId#of}) for a partitioned stream.
 */
public final class Records {
    private static final byte[] EMPTY = new byte[0];

    private Records() {}

    /** The producer record of a Tributary record; {@code partition} null lets the key choose. */
    public static ProducerRecord<byte[], byte[]> toProducer(String topic, Integer partition, StreamRecord r) {
        RecordHeaders headers = new RecordHeaders();
        for (Header h : r.headers()) {
            headers.add(new RecordHeader(h.key(), MarkedHeaders.encodeValue(h.value())));
        }
        byte[] value = r.payload();
        if (value == null) {
            value = EMPTY; // never a tombstone
        }
        return new ProducerRecord<>(topic, partition, null, r.key(), value, headers);
    }

    /**
     * The event of a consumed record. Headers the grammar cannot hold (a key outside it, a value that is
     * not UTF-8) are carried in the marked form of {@link MarkedHeaders}, in their place, and counted.
     */
    public static StreamEvent toEvent(
            StreamName stream, ConsumerRecord<byte[], byte[]> rec, boolean partitioned, int deliveryCount) {
        Headers headers = Headers.empty();
        int marked = 0;
        java.util.Iterator<org.apache.kafka.common.header.Header> it =
                rec.headers().iterator();
        if (it.hasNext()) {
            MarkedHeaders.Builder b = MarkedHeaders.builder();
            while (it.hasNext()) {
                org.apache.kafka.common.header.Header h = it.next();
                b.add(h.key(), h.value() == null ? EMPTY : h.value());
            }
            headers = b.build();
            marked = b.marked();
        }
        byte[] payload = rec.value() == null ? EMPTY : rec.value();
        long ts = Math.max(0, rec.timestamp());
        return new StreamEvent(
                stream,
                id(rec.partition(), rec.offset(), partitioned),
                Instant.ofEpochMilli(ts),
                rec.key(),
                headers,
                payload,
                deliveryCount,
                marked);
    }

    /** The id of a partition and offset: {@code partition/offset} on a partitioned stream, the offset otherwise. */
    public static EventId id(int partition, long offset, boolean partitioned) {
        EventId local = EventId.ofSequence(offset);
        return partitioned ? EventId.inPartition(partition, local) : local;
    }

    /** Whether {@code id} has this client's form (partitioned {@code P/offset}, or a plain offset). */
    public static boolean fits(EventId id, boolean partitioned) {
        return !id.isPair() && id.isPartitioned() == partitioned;
    }

    /** The partition of an id. */
    public static int partition(EventId id, boolean partitioned) {
        if (!fits(id, partitioned)) {
            throw foreign(id.toString(), partitioned);
        }
        return id.partition();
    }

    /** The offset of an id. */
    public static long offset(EventId id, boolean partitioned) {
        if (!fits(id, partitioned)) {
            throw foreign(id.toString(), partitioned);
        }
        return id.local().sequence();
    }

    /** Parses an id of this client's form. */
    public static EventId parse(String text, boolean partitioned) {
        EventId id = EventId.parse(text);
        if (!fits(id, partitioned)) {
            throw foreign(text, partitioned);
        }
        return id;
    }

    static StreamException foreign(String text, boolean partitioned) {
        String shown = text.length() > 64 ? text.substring(0, 64) + "..." : text;
        return new StreamException(
                ErrorKind.INVALID_ARGUMENT,
                "'" + shown + "' is not a Kafka event id of this client; expected "
                        + (partitioned
                                ? "partition/offset (e.g. 2/41) for a partitioned stream"
                                : "an offset (e.g. 41)"));
    }
}
