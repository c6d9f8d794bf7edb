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

    public StreamEvent(StreamName stream, EventId id, Instant timestamp, byte[] key, Headers headers, byte[] payload,
            int deliveryCount) {
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
    }

    public StreamName stream() {
        return stream;
    }

    public EventId id() {
        return id;
    }

    /** The broker's timestamp of the append. */
    public Instant timestamp() {
        return timestamp;
    }

    /** The key, or {@code null} when the record had none. */
    public byte[] key() {
        return key;
    }

    public Headers headers() {
        return headers;
    }

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

    /** A copy with another delivery count (for backends). */
    public StreamEvent withDeliveryCount(int count) {
        return new StreamEvent(stream, id, timestamp, key, headers, payload, count);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StreamEvent e && e.stream.equals(stream) && e.id.equals(id)
                && e.timestamp.equals(timestamp) && Arrays.equals(e.key, key) && e.headers.equals(headers)
                && Arrays.equals(e.payload, payload) && e.deliveryCount == deliveryCount;
    }

    @Override
    public int hashCode() {
        return Objects.hash(stream, id);
    }

    @Override
    public String toString() {
        return "StreamEvent[" + stream + " " + id + " @" + timestamp + ", payload=" + payload.length + " bytes, headers="
                + headers.size() + (deliveryCount > 1 ? ", deliveries=" + deliveryCount : "") + "]";
    }
}
