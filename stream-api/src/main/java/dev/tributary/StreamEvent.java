package dev.tributary;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * An event as read back: the broker-assigned id and timestamp, key, headers, payload and — for
 * consumer-group deliveries — how many times it has been delivered (1 on the first delivery; 1 for
 * tail and range reads).
 *
 * <p>{@link #markedHeaders()} counts the headers in which the backend carried, in the one marked form
 * of {@link dev.tributary.spi.MarkedHeaders}, something another application wrote that Tributary's
 * header grammar cannot hold; it is 0 for every record Tributary wrote.
 *
 * <p>Arrays are not copied; treat them as read-only.
 */
public final class StreamEvent {
    private final StreamName stream;
    private final EventId id;
    private final Instant timestamp;
    private final byte[] key;
    private final Headers headers;
    private final byte[] payload;
    private final int deliveryCount;
    private final int markedHeaders;

    /** An event none of whose headers is marked. */
    public StreamEvent(
            StreamName stream,
            EventId id,
            Instant timestamp,
            byte[] key,
            Headers headers,
            byte[] payload,
            int deliveryCount) {
        this(stream, id, timestamp, key, headers, payload, deliveryCount, 0);
    }

    /**
     * An event of which {@code markedHeaders} headers carry, marked, what the broker held and the header
     * grammar cannot (0 to {@code headers.size()}).
     */
    public StreamEvent(
            StreamName stream,
            EventId id,
            Instant timestamp,
            byte[] key,
            Headers headers,
            byte[] payload,
            int deliveryCount,
            int markedHeaders) {
        this.stream = Objects.requireNonNull(stream, "stream");
        this.id = Objects.requireNonNull(id, "id");
        this.timestamp = Objects.requireNonNull(timestamp, "timestamp");
        this.key = key;
        this.headers = Objects.requireNonNull(headers, "headers");
        this.payload = Objects.requireNonNull(payload, "payload");
        if (deliveryCount < 1) {
            throw new IllegalArgumentException("deliveryCount must be >= 1: " + deliveryCount);
        }
        this.deliveryCount = deliveryCount;
        if (markedHeaders < 0 || markedHeaders > headers.size()) {
            throw new IllegalArgumentException("markedHeaders must be 0 to " + headers.size() + ": " + markedHeaders);
        }
        this.markedHeaders = markedHeaders;
    }

    /** The stream the event was read from. */
    public StreamName stream() {
        return stream;
    }

    /** The event's id, assigned by the broker. */
    public EventId id() {
        return id;
    }

    /** The partition the event is stored in: {@code id().partition()}, 0 on a one-partition stream. */
    public int partition() {
        return id.partition();
    }

    /** The broker's timestamp of the append. */
    public Instant timestamp() {
        return timestamp;
    }

    /** The key, or {@code null} when the record had none. */
    public byte[] key() {
        return key;
    }

    /** The event's headers; see {@link #markedHeaders()} for those the backend carried marked. */
    public Headers headers() {
        return headers;
    }

    /** The payload bytes as appended; the array is not copied, so do not modify it. */
    public byte[] payload() {
        return payload;
    }

    /** The payload decoded as UTF-8. */
    public String payloadAsString() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** The key decoded as UTF-8, or {@code null}. */
    public String keyAsString() {
        return key == null ? null : new String(key, StandardCharsets.UTF_8);
    }

    /** 1 on first delivery; higher on redelivery inside a consumer group. */
    public int deliveryCount() {
        return deliveryCount;
    }

    /**
     * How many of the headers carry, in the marked form of {@link dev.tributary.spi.MarkedHeaders}, a
     * field, name or value another application wrote that the header grammar cannot hold: 0 for every
     * record Tributary wrote, and whenever the broker's data mapped exactly.
     */
    public int markedHeaders() {
        return markedHeaders;
    }

    /** A copy with another delivery count (for backends). */
    public StreamEvent withDeliveryCount(int count) {
        return new StreamEvent(stream, id, timestamp, key, headers, payload, count, markedHeaders);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StreamEvent e
                && e.stream.equals(stream)
                && e.id.equals(id)
                && e.timestamp.equals(timestamp)
                && Arrays.equals(e.key, key)
                && e.headers.equals(headers)
                && Arrays.equals(e.payload, payload)
                && e.deliveryCount == deliveryCount
                && e.markedHeaders == markedHeaders;
    }

    @Override
    public int hashCode() {
        return Objects.hash(stream, id);
    }

    @Override
    public String toString() {
        return "StreamEvent[" + stream + " " + id + " @" + timestamp + ", payload=" + payload.length
                + " bytes, headers="
                + headers.size() + (markedHeaders > 0 ? " (" + markedHeaders + " marked)" : "")
                + (deliveryCount > 1 ? ", deliveries=" + deliveryCount : "") + "]";
    }
}
