package dev.tributary.kafka;

import dev.tributary.tck.BrokerFixture;
import dev.tributary.tck.processor.ProcessorTck;

/**
 * The processor rules (C family: stream-core's processors, and the randomized fault run F11) against the
 * real Kafka broker of {@link KafkaFixture}, whose fault proxy F11 uses for the network faults.
 */
class KafkaProcessorTckIT extends ProcessorTck {

    @Override
    protected BrokerFixture fixture() {
        return KafkaFixture.shared();
    }

    /** The test broker flushes every message ({@code log.flush.interval.messages=1}): a kill loses nothing acknowledged. */
    @Override
    protected boolean faultsKillBroker() {
        return true;
    }
}
