package dev.tributary;

import java.time.Duration;

/**
 * How a consumer group is created.
 *
 * @param start      where a new group begins: {@link Position#earliest()} (the default, so nothing
 *                   appended before the first member attaches is missed), {@link Position#latest()}
 *                   (resolved at creation) or {@link Position#after(EventId)}
 * @param ackTimeout how long a delivered event may stay unacked before it is redelivered to a live
 *                   member with its delivery count raised (default 30 s; 10 ms to 24 h)
 */
public record GroupOptions(Position start, Duration ackTimeout) {
    /** How long a delivered event may stay unacked before redelivery when none is given: 30 s. */
    public static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofSeconds(30);

    public GroupOptions {
        if (start == null) {
            throw StreamException.invalid("group start position must not be null");
        }
        if (start instanceof Position.AtTime) {
            throw StreamException.invalid("a group starts at earliest, latest or after an id, not at a time");
        }
        if (ackTimeout == null
                || ackTimeout.compareTo(Duration.ofMillis(10)) < 0
                || ackTimeout.compareTo(Duration.ofHours(24)) > 0) {
            throw StreamException.invalid("ack timeout must be between 10 ms and 24 h, got " + ackTimeout);
        }
    }

    /** Start at the earliest event, ack timeout {@link #DEFAULT_ACK_TIMEOUT}. */
    public static GroupOptions defaults() {
        return new GroupOptions(Position.earliest(), DEFAULT_ACK_TIMEOUT);
    }

    /** These options with start position {@code p}. */
    public GroupOptions withStart(Position p) {
        return new GroupOptions(p, ackTimeout);
    }

    /** These options with ack timeout {@code d}. */
    public GroupOptions withAckTimeout(Duration d) {
        return new GroupOptions(start, d);
    }
}
