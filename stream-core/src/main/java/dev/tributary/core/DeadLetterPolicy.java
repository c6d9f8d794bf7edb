package dev.tributary.core;

import dev.tributary.StreamName;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where an event goes when its handler failed every attempt, or its payload could not be decoded.
 *
 * <p>A dead-letter record carries the original payload, key and headers, followed by these headers
 * (string values): {@value #HEADER_STREAM} (the original stream), {@value #HEADER_ID} (the original
 * id), {@value #HEADER_ATTEMPTS} (handler calls made; 0 for an undecodable payload),
 * {@value #HEADER_ERROR} (the error's class and message, shortened to fit the backend's header
 * limit), {@value #HEADER_REASON} ({@code handler} or {@code decode}), {@value #HEADER_PROCESSOR}
 * and, for a group processor, {@value #HEADER_GROUP}.
 *
 * <p>The event counts as handled (checkpointed or acked) only once the dead-letter append
 * succeeded. A dead-letter append that keeps failing is retried while the processor runs; one that
 * fails with a non-retryable kind makes the processor {@code FAILED}. Nothing is ever dropped
 * silently.
 */
public final class DeadLetterPolicy {
    /** Header: the original stream. */
    public static final String HEADER_STREAM = "tributary.dlq.stream";
    /** Header: the original event id. */
    public static final String HEADER_ID = "tributary.dlq.id";
    /** Header: handler calls made (0 for an undecodable payload). */
    public static final String HEADER_ATTEMPTS = "tributary.dlq.attempts";
    /** Header: the error's class and message, shortened to fit the header limit. */
    public static final String HEADER_ERROR = "tributary.dlq.error";
    /** Header: the consumer group (group processors only). */
    public static final String HEADER_GROUP = "tributary.dlq.group";
    /** Header: {@code handler} or {@code decode}. */
    public static final String HEADER_REASON = "tributary.dlq.reason";
    /** Header: the processor that wrote the dead letter. */
    public static final String HEADER_PROCESSOR = "tributary.dlq.processor";
    /** Suffix of the default dead-letter stream name. */
    public static final String DEFAULT_SUFFIX = "-dlq";

    private final Function<StreamName, StreamName> target;

    private DeadLetterPolicy(Function<StreamName, StreamName> target) {
        this.target = target;
    }

    /** Dead letters of stream {@code s} go to {@code s-dlq} (the default). */
    public static DeadLetterPolicy defaultStream() {
        return new DeadLetterPolicy(DeadLetterPolicy::defaultName);
    }

    /** Dead letters go to {@code stream}. */
    public static DeadLetterPolicy toStream(StreamName stream) {
        Objects.requireNonNull(stream, "stream");
        return new DeadLetterPolicy(s -> stream);
    }

    /**
     * No dead-letter stream: an event whose handler failed every attempt (or that cannot be decoded)
     * makes the processor {@code FAILED}, with nothing checkpointed or acked past it.
     */
    public static DeadLetterPolicy failProcessor() {
        return new DeadLetterPolicy(null);
    }

    /** The dead-letter stream for events of {@code source}; empty for {@link #failProcessor()}. */
    public Optional<StreamName> streamFor(StreamName source) {
        return target == null ? Optional.empty() : Optional.of(target.apply(source));
    }

    /** {@code <stream>-dlq}, shortened at the front of the name if it would be too long. */
    public static StreamName defaultName(StreamName source) {
        String v = source.value();
        int room = StreamName.MAX_LENGTH - DEFAULT_SUFFIX.length();
        if (v.length() > room) {
            v = v.substring(0, room);
        }
        return StreamName.of(v + DEFAULT_SUFFIX);
    }

    @Override
    public String toString() {
        return target == null ? "DeadLetterPolicy[fail processor]" : "DeadLetterPolicy[stream]";
    }
}
