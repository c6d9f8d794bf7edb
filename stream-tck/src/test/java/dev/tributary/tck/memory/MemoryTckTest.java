package dev.tributary.tck.memory;

import dev.tributary.tck.BrokerFixture;
import dev.tributary.tck.StreamClientTck;
import dev.tributary.tck.Tck;

/**
 * The kit against the reference backend: a named in-JVM store shared by every client of the run
 * (like clients of one broker). No broker control, so the F rules are skipped with that reason.
 */
public class MemoryTckTest extends StreamClientTck {
    public static final BrokerFixture FIXTURE = new MemoryStoreFixture("tck-" + Tck.runId());

    @Override
    protected BrokerFixture fixture() {
        return FIXTURE;
    }
}
