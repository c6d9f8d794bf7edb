package dev.tributary.tck.processor;

import dev.tributary.tck.BrokerFixture;
import dev.tributary.tck.Tck;
import dev.tributary.tck.memory.MemoryStoreFixture;

/**
 * The processor rules against the reference backend: a named in-JVM store shared by every client of
 * the run. No broker control, so C5 is skipped with that reason.
 */
class MemoryProcessorTckTest extends ProcessorTck {
    static final BrokerFixture FIXTURE = new MemoryStoreFixture("tck-proc-" + Tck.runId());

    @Override
    protected BrokerFixture fixture() {
        return FIXTURE;
    }
}
