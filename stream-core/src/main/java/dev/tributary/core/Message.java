package dev.tributary.core;

import dev.tributary.EventId;
import dev.tributary.Headers;
import dev.tributary.StreamEvent;
import java.util.Objects;

/**
 * One event as a handler sees it: the decoded value, the raw event, and the processor that delivered
 * it (so that a handler can call {@link Processor#stop()}).
 *
 * @param <T> the decoded value type
 */
public final class Message<T> {
    private final StreamEvent event;
    private final T value;
    private final Processor processor;

    /** A message of {@code event} decoded to {@code value}, delivered by {@code processor}. */
    public Message(StreamEvent event, T value, Processor processor) {
        this.event = Objects.requireNonNull(event, "event");
        this.value = value;
        this.processor = Objects.requireNonNull(processor, "processor");
    }

    /** The decoded payload. */
    public T value() {
        return value;
    }

    /** The event as read. */
    public StreamEvent event() {
        return event;
    }

    /** The event's id. */
    public EventId id() {
        return event.id();
    }

    /** The key as UTF-8 text, or null. */
    public String key() {
        return event.keyAsString();
    }

    /** The event's headers. */
    public Headers headers() {
        return event.headers();
    }

    /** 1 on first delivery; higher on redelivery in a consumer group. */
    public int deliveryCount() {
        return event.deliveryCount();
    }

    /** The processor that delivered this message. */
    public Processor processor() {
        return processor;
    }

    @Override
    public String toString() {
        return "Message[" + event + "]";
    }
}
