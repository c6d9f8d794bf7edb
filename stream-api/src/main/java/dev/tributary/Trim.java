package dev.tributary;

import java.time.Duration;

/**
 * A retention request for {@link StreamClient#trim(StreamName, Trim)}. Each form is a capability:
 * {@link Capability#TRIM_BY_LENGTH}, {@link Capability#TRIM_BY_AGE}, {@link Capability#TRIM_BY_ID}.
 */
public sealed interface Trim permits Trim.ToLength, Trim.OlderThan, Trim.Below {

    /** Keep the newest {@code n} events (exactly, or at least n where the backend declares approximate trimming). */
    static Trim toLength(long n) {
        return new ToLength(n);
    }

    /** Remove events whose broker timestamp is older than {@code age}. */
    static Trim olderThan(Duration age) {
        return new OlderThan(age);
    }

    /** Remove every event whose id is lower than {@code id} (the event with that id is kept). */
    static Trim below(EventId id) {
        return new Below(id);
    }

    /** Keep the newest {@code maxLength} events; see {@link Trim#toLength(long)}. */
    record ToLength(long maxLength) implements Trim {
        public ToLength {
            if (maxLength < 0) {
                throw StreamException.invalid("trim length must be >= 0, got " + maxLength);
            }
        }
    }

    /** Remove events older than {@code age}; see {@link Trim#olderThan(Duration)}. */
    record OlderThan(Duration age) implements Trim {
        public OlderThan {
            if (age == null || age.isNegative()) {
                throw StreamException.invalid("trim age must be a non-negative duration, got " + age);
            }
        }
    }

    /** Remove events with an id lower than {@code id}; see {@link Trim#below(EventId)}. */
    record Below(EventId id) implements Trim {
        public Below {
            if (id == null) {
                throw StreamException.invalid("trim below needs an id, got null");
            }
        }
    }
}
