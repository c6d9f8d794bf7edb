package dev.tributary.kafka;

import dev.tributary.tck.BrokerFixture;
import dev.tributary.tck.processor.ProcessorTck;

/** The processor rules (C family: stream-core's processors) against the real Kafka broker of {@link KafkaFixture}. */
class KafkaProcessorTckIT extends ProcessorTck {

    @Override
    protected BrokerFixture fixture() {
        return KafkaFixture.shared();
    }
}
