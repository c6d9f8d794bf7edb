package dev.tributary.kafka.internal;

import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.Header;
import dev.tributary.Headers;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The record layout: payload = Kafka value, key = Kafka key, headers = Kafka headers (UTF-8 values,
 * in order, repeated keys kept), so any Kafka client reads our records as ordinary records. An empty
 * payload is sent as a 0-byte value, never as null (a tombstone); a null key stays null and a 0-byte
 * key stays 0 bytes. Ids: the offset ({@link EventId#ofSequence}) for one partition, or
 * {@code partition-offset} ({@link EventId#of}) for a partitioned stream.
 */
public final class Records {
    private static final byte[] EMPTY = new byte[0];
    /**
     * The mark of a header carried in Base64 (as on NATS): a value that is not UTF-8 is read as the
     * marker plus Base64 of its bytes; a header whose key Tributary's grammar cannot hold is read as key
     * {@value} with value {@code base64url(key) + "." + base64url(value)}; a value of ours that starts
     * with the marker travels encoded, so that it round-trips.
     */
    static final String MARKER = "~b64~";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private Records() {
    }

    /** The producer record of a Tributary record; {@code partition} null lets the key choose. */
    public static ProducerRecord<byte[], byte[]> toProducer(String topic, Integer partition, StreamRecord r) {
        RecordHeaders headers = new RecordHeaders();
        for (Header h : r.headers()) {
            headers.add(new RecordHeader(h.key(), encodeValue(h.value())));
        }
        byte[] value = r.payload();
        if (value == null) {
            value = EMPTY; // never a tombstone
        }
        return new ProducerRecord<>(topic, partition, null, r.key(), value, headers);
    }

    /** The event of a consumed record. */
    public static StreamEvent toEvent(StreamName stream, ConsumerRecord<byte[], byte[]> rec, boolean partitioned,
            int deliveryCount) {
        java.util.Iterator<org.apache.kafka.common.header.Header> it = rec.headers().iterator();
        Headers headers = it.hasNext() ? headers(it) : Headers.empty();
        byte[] payload = rec.value() == null ? EMPTY : rec.value();
        long ts = Math.max(0, rec.timestamp());
        return new StreamEvent(stream, id(rec.partition(), rec.offset(), partitioned), Instant.ofEpochMilli(ts),
                rec.key(), headers, payload, deliveryCount);
    }

    private static Headers headers(java.util.Iterator<org.apache.kafka.common.header.Header> it) {
        Headers.Builder b = Headers.builder();
        while (it.hasNext()) {
            org.apache.kafka.common.header.Header h = it.next();
            byte[] raw = h.value() == null ? EMPTY : h.value();
            String value = decodeValue(raw);
            if (Headers.isValidKey(h.key()) && value != null) {
                b.add(h.key(), value);
            } else if (Headers.isValidKey(h.key())) {
                b.add(h.key(), MARKER + B64.encodeToString(raw)); // not UTF-8: carried marked, byte for byte
            } else { // a key our grammar cannot hold: key and value carried marked, in their place
                b.add(MARKER, B64.encodeToString(h.key().getBytes(StandardCharsets.UTF_8)) + "."
                        + B64.encodeToString(raw));
            }
        }
        return b.build();
    }

    /** A value as bytes: UTF-8, or marked Base64 of its UTF-8 when it starts with the marker itself. */
    static byte[] encodeValue(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        return value.startsWith(MARKER) ? (MARKER + B64.encodeToString(utf8)).getBytes(StandardCharsets.US_ASCII)
                : utf8;
    }

    /**
     * A value's text: its UTF-8, with a marked value decoded when it is Base64 of UTF-8 (what
     * {@link #encodeValue} writes); null when the bytes are not UTF-8 at all.
     */
    static String decodeValue(byte[] v) {
        String text = utf8(v);
        if (text != null && text.startsWith(MARKER)) {
            try {
                String inner = utf8(Base64.getUrlDecoder().decode(text.substring(MARKER.length())));
                return inner != null ? inner : text;
            } catch (IllegalArgumentException notBase64) {
                return text;
            }
        }
        return text;
    }

    private static String utf8(byte[] v) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(v)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** The id of a partition and offset. */
    public static EventId id(int partition, long offset, boolean partitioned) {
        return partitioned ? EventId.of(partition, offset) : EventId.ofSequence(offset);
    }

    /** The partition of an id. */
    public static int partition(EventId id, boolean partitioned) {
        if (partitioned != id.isPair()) {
            throw foreign(id.toString(), partitioned);
        }
        if (partitioned && id.major() > Integer.MAX_VALUE) {
            throw foreign(id.toString(), true);
        }
        return partitioned ? (int) id.major() : 0;
    }

    /** The offset of an id. */
    public static long offset(EventId id, boolean partitioned) {
        if (partitioned != id.isPair()) {
            throw foreign(id.toString(), partitioned);
        }
        return partitioned ? id.minor() : id.major();
    }

    /** Parses an id of this client's form. */
    public static EventId parse(String text, boolean partitioned) {
        EventId id = EventId.parse(text);
        if (id.isPair() != partitioned) {
            throw foreign(text, partitioned);
        }
        partition(id, partitioned);
        return id;
    }

    static StreamException foreign(String text, boolean partitioned) {
        String shown = text.length() > 64 ? text.substring(0, 64) + "..." : text;
        return new StreamException(ErrorKind.INVALID_ARGUMENT, "'" + shown + "' is not a Kafka event id of this client; expected "
                + (partitioned ? "partition-offset (e.g. 2-41) for a partitioned stream" : "an offset (e.g. 41)"));
    }
}
