package dev.tributary.micrometer.internal;

import dev.tributary.micrometer.TributaryMeters;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds the distinct values of one tag: the first {@code max} values seen keep their own tag, every
 * later one becomes {@link TributaryMeters#OTHER}. Admitted values are kept for the life of the
 * limiter (so a value never changes its tag); values beyond the cap are not stored, so memory stays
 * bounded by {@code max}. Thread-safe.
 */
public final class TagLimiter {
    private static final Logger LOG = LoggerFactory.getLogger(TagLimiter.class);

    private final String tag;
    private final int max;
    private final ConcurrentHashMap<String, Boolean> admitted = new ConcurrentHashMap<>();
    private final AtomicBoolean warned = new AtomicBoolean();

    public TagLimiter(String tag, int max) {
        this.tag = tag;
        this.max = max;
    }

    /** The tag value for {@code value}: itself while under the cap, else {@link TributaryMeters#OTHER}. */
    public String tag(String value) {
        if (value == null) {
            return TributaryMeters.OTHER;
        }
        if (admitted.containsKey(value)) {
            return value;
        }
        synchronized (this) {
            if (admitted.containsKey(value)) {
                return value;
            }
            if (admitted.size() < max) {
                admitted.put(value, Boolean.TRUE);
                return value;
            }
        }
        if (warned.compareAndSet(false, true)) {
            LOG.warn(
                    "more than {} distinct values of meter tag '{}'; '{}' and every further one are tagged '{}'. "
                            + "Raise the cap in TributaryMetrics.builder() if the names are bounded.",
                    max,
                    tag,
                    value,
                    TributaryMeters.OTHER);
        }
        return TributaryMeters.OTHER;
    }

    /** How many values have a tag of their own. */
    public int admitted() {
        return admitted.size();
    }
}
