package dev.tributary.tck.processor;

import dev.tributary.ClientConfig;
import dev.tributary.tck.BrokerFixture;
import dev.tributary.tck.Tck;

/**
 * The processor rules against the reference backend: a named in-JVM store shared by every client of
 * the run. No broker control, so C5 is skipped with that reason.
 */
class MemoryProcessorTckTest extends ProcessorTck {
    static final BrokerFixture FIXTURE = new BrokerFixture() {
        private final ClientConfig config = ClientConfig.parse("memory:tck-proc-" + Tck.runId());

        @Override
        public ClientConfig config() {
            return config;
        }

        @Override
        public String describe() {
            return "in-JVM memory store " + config.safeUri();
        }
    };

    @Override
    protected BrokerFixture fixture() {
        return FIXTURE;
    }
}
