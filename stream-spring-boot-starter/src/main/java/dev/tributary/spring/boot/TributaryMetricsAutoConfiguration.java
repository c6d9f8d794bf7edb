package dev.tributary.spring.boot;

import dev.tributary.core.ProcessorListener;
import dev.tributary.micrometer.TributaryMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;

/**
 * Micrometer meters when the application has one {@link MeterRegistry} (Actuator makes one) and
 * {@code dev.tributary:stream-micrometer} is on the class path: a {@link TributaryMetrics} on that
 * registry, a client decorator that meters appends, reads and acks, and a processor listener that
 * {@link TributaryProcessors} presets on every builder. Off with {@code tributary.metrics.enabled=false}.
 */
@AutoConfiguration(
        before = TributaryAutoConfiguration.class,
        afterName = {
            "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"
        })
@ConditionalOnClass({MeterRegistry.class, TributaryMetrics.class})
@ConditionalOnSingleCandidate(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = "tributary.metrics.enabled", matchIfMissing = true)
public class TributaryMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    TributaryMetrics tributaryMetrics(MeterRegistry registry) {
        return TributaryMetrics.builder(registry).build();
    }

    @Bean
    @Order(StreamClientDecorator.METRICS_ORDER)
    StreamClientDecorator tributaryMetricsClientDecorator(TributaryMetrics metrics) {
        return metrics::instrument;
    }

    @Bean
    @ConditionalOnMissingBean(name = "tributaryMetricsProcessorListener")
    ProcessorListener tributaryMetricsProcessorListener(TributaryMetrics metrics) {
        return metrics.processorListener();
    }
}
