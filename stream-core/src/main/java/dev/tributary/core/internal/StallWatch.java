package dev.tributary.core.internal;

import dev.tributary.StreamName;
import java.util.Objects;

/**
 * Tells a stalled source from an idle one across a processor's lag checks: two checks in a row that
 * find events waiting (lag above 0), with no progress between them, mean the broker holds events and
 * delivers none — a consumer it stopped serving, a partition nobody fetches — which would otherwise
 * look like an idle stream. Progress is whatever the loop passes, compared with {@code equals}: a
 * tail's count of received events, a group's last delivered event (whichever member it went to).
 * Used by one thread at a time.
 */
final class StallWatch {
    private final String processor;
    private final StreamName stream;
    private long previousLag = -1;
    private Object previousProgress;
    private long previousAtMs;

    StallWatch(String processor, StreamName stream) {
        this.processor = processor;
        this.stream = stream;
    }

    /** One lag check's figures at {@code nowMs}; the warning to log, or null. */
    String check(long lag, Object progress, long nowMs) {
        String warning = lag > 0 && previousLag > 0 && Objects.equals(progress, previousProgress)
                ? "processor '" + processor + "': " + lag + " events wait on '" + stream
                        + "' and none was delivered in the last "
                        + (nowMs - previousAtMs) + " ms (the lag was " + previousLag
                        + " then): the broker is not delivering them"
                : null;
        previousLag = lag;
        previousProgress = progress;
        previousAtMs = nowMs;
        return warning;
    }
}
