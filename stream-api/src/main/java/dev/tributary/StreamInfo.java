package dev.tributary;

import java.time.Instant;
import java.util.Optional;

/**
 * What a stream holds now. A missing stream answers {@code exists=false, length=0}; an empty one
 * answers {@code exists=true, length=0}; neither throws. First/last ids and their broker timestamps
 * are present exactly when {@code length > 0}.
 */
public record StreamInfo(
        StreamName stream,
        boolean exists,
        long length,
        Optional<EventId> firstId,
        Optional<EventId> lastId,
        Optional<Instant> firstTimestamp,
        Optional<Instant> lastTimestamp) {

    public StreamInfo {
        if (stream == null || firstId == null || lastId == null || firstTimestamp == null || lastTimestamp == null) {
            throw new IllegalArgumentException("StreamInfo components must not be null (use Optional.empty())");
        }
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0: " + length);
        }
    }

    /** The answer for a stream that does not exist. */
    public static StreamInfo missing(StreamName stream) {
        return new StreamInfo(stream, false, 0, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The answer for a stream that exists but holds nothing. */
    public static StreamInfo empty(StreamName stream) {
        return new StreamInfo(stream, true, 0, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The answer for a stream holding {@code length} events. */
    public static StreamInfo of(
            StreamName stream, long length, EventId first, Instant firstTime, EventId last, Instant lastTime) {
        return new StreamInfo(
                stream,
                true,
                length,
                Optional.of(first),
                Optional.of(last),
                Optional.of(firstTime),
                Optional.of(lastTime));
    }
}
