package dev.tributary.spring.boot;

import dev.tributary.StreamClient;
import dev.tributary.core.BatchHandler;
import dev.tributary.core.Handler;
import dev.tributary.opentelemetry.TributaryTracing;
import io.opentelemetry.api.OpenTelemetry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;

/**
 * OpenTelemetry tracing when the application has one {@link OpenTelemetry} bean (Spring Boot's
 * OpenTelemetry support, or the application's own) and {@code dev.tributary:stream-opentelemetry} is
 * on the class path: a {@link TributaryTracing}, a client decorator (send and receive spans, trace
 * context in record headers) and the handler decorator behind {@link TributaryProcessors#traced}.
 * Off with {@code tributary.tracing.enabled=false}.
 */
@AutoConfiguration(
        before = TributaryAutoConfiguration.class,
        afterName = "org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration")
@ConditionalOnClass({OpenTelemetry.class, TributaryTracing.class})
@ConditionalOnSingleCandidate(OpenTelemetry.class)
@ConditionalOnBooleanProperty(name = "tributary.tracing.enabled", matchIfMissing = true)
public class TributaryTracingAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    TributaryTracing tributaryTracing(OpenTelemetry openTelemetry, TributaryProperties properties) {
        return TributaryTracing.builder(openTelemetry)
                .propagateDroppedTraces(properties.getTracing().isPropagateDroppedTraces())
                .build();
    }

    @Bean
    @Order(StreamClientDecorator.TRACING_ORDER)
    StreamClientDecorator tributaryTracingClientDecorator(TributaryTracing tracing) {
        return tracing::instrument;
    }

    @Bean
    @ConditionalOnMissingBean
    ProcessorHandlerDecorator tributaryTracingHandlerDecorator(TributaryTracing tracing) {
        return new ProcessorHandlerDecorator() {
            @Override
            public <T> Handler<T> handler(StreamClient client, Handler<T> handler) {
                return tracing.handler(client, handler);
            }

            @Override
            public <T> BatchHandler<T> batchHandler(StreamClient client, BatchHandler<T> handler) {
                return tracing.batchHandler(client, handler);
            }
        };
    }
}
