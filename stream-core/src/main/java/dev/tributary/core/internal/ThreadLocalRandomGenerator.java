package dev.tributary.core.internal;

import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Delegates to the calling thread's {@link ThreadLocalRandom}: the default jitter source of the
 * processors and the publisher, safe to share across threads.
 */
public final class ThreadLocalRandomGenerator implements RandomGenerator {
    @Override
    public long nextLong() {
        return ThreadLocalRandom.current().nextLong();
    }

    @Override
    public long nextLong(long bound) {
        return ThreadLocalRandom.current().nextLong(bound);
    }
}
