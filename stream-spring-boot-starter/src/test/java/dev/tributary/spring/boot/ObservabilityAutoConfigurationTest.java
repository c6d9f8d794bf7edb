package dev.tributary.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import dev.tributary.core.DeadLetterPolicy;
import dev.tributary.core.GroupProcessor;
import dev.tributary.core.RetryPolicy;
import dev.tributary.micrometer.TributaryMetrics;
import dev.tributary.opentelemetry.TributaryTracing;
import dev.tributary.spring.boot.Fixtures.Order;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class ObservabilityAutoConfigurationTest {
    private final ApplicationContextRunner runner =
            Fixtures.runner().withPropertyValues("tributary.uri=" + Fixtures.freshMemoryUri());

    @Nested
    class Health_ {
        @Test
        void withActuatorTheIndicatorReportsTheBrokerAndEachProcessor() {
            runner.withUserConfiguration(Billing.class).run(ctx -> {
                HealthIndicator indicator = ctx.getBean("tributaryHealthIndicator", HealthIndicator.class);
                // the processor creates its group as it starts, on its own thread: until then the lag
                // reads "unknown" (which is the documented answer for a lag that cannot be read)
                long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                Health h = indicator.health();
                while (!(lagOf(h) instanceof Long) && System.nanoTime() < end) {
                    Thread.sleep(20);
                    h = indicator.health();
                }
                assertThat(h.getStatus()).isEqualTo(Status.UP);
                assertThat(h.getDetails()).containsEntry("backend", "memory").containsKey("processors");
                @SuppressWarnings("unchecked")
                Map<String, Map<String, Object>> processors =
                        (Map<String, Map<String, Object>>) h.getDetails().get("processors");
                assertThat(processors.get("billing"))
                        .containsEntry("state", "RUNNING")
                        .containsEntry("group", "billing")
                        .containsEntry("lag", 0L)
                        .containsEntry("pending", 0L);
            });
        }

        @SuppressWarnings("unchecked")
        private Object lagOf(Health h) {
            Object p = h.getDetails().get("processors");
            Map<String, Object> billing = p instanceof Map<?, ?> m ? (Map<String, Object>) m.get("billing") : null;
            return billing == null ? null : billing.get("lag");
        }

        @Test
        void aFailedProcessorMakesItDown() {
            runner.withUserConfiguration(Failing.class).run(ctx -> {
                ctx.getBean(StreamClient.class)
                        .append(
                                StreamName.of("orders"),
                                StreamRecord.builder().payload("{}").build());
                GroupProcessor<?> failing = ctx.getBean(GroupProcessor.class);
                assertThat(failing.awaitTermination(Duration.ofSeconds(10))).isTrue();
                Health h = ctx.getBean("tributaryHealthIndicator", HealthIndicator.class)
                        .health();
                assertThat(h.getStatus()).isEqualTo(Status.DOWN);
                assertThat(h.getDetails().get("processors").toString()).contains("FAILED");
            });
        }

        @Test
        void withoutActuatorThereIsNoIndicator() {
            runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
                    .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean("tributaryHealthIndicator"));
        }

        @Test
        void itCanBeSwitchedOff() {
            runner.withPropertyValues("management.health.tributary.enabled=false")
                    .run(ctx -> assertThat(ctx).doesNotHaveBean("tributaryHealthIndicator"));
        }
    }

    @Nested
    class Metrics {
        @Test
        void withARegistryTheClientAndProcessorsAreMetered() {
            runner.withUserConfiguration(Registry.class, Billing.class).run(ctx -> {
                assertThat(ctx).hasSingleBean(TributaryMetrics.class);
                ctx.getBean(StreamClient.class)
                        .append(
                                StreamName.of("orders"),
                                StreamRecord.builder()
                                        .payload("{\"id\":\"o-1\",\"quantity\":1}")
                                        .build());
                MeterRegistry registry = ctx.getBean(MeterRegistry.class);
                assertThat(registry.get("tributary.append").timer().count()).isEqualTo(1);
                long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                // the counter may be registered (at 0) before the processor's thread handled the event
                while (handled(registry) < 1 && System.nanoTime() < until) {
                    Thread.sleep(10);
                }
                assertThat(registry.get("tributary.processor.handled")
                                .tag("processor", "billing")
                                .counter()
                                .count())
                        .isEqualTo(1);
            });
        }

        private double handled(MeterRegistry registry) {
            var c = registry.find("tributary.processor.handled")
                    .tag("processor", "billing")
                    .counter();
            return c == null ? 0 : c.count();
        }

        @Test
        void withoutARegistryNothingIsMetered() {
            runner.run(ctx -> assertThat(ctx).doesNotHaveBean(TributaryMetrics.class));
        }

        @Test
        void withoutStreamMicrometerNothingIsMetered() {
            runner.withUserConfiguration(Registry.class)
                    .withClassLoader(new FilteredClassLoader(TributaryMetrics.class))
                    .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(TributaryMetrics.class));
        }

        @Test
        void itCanBeSwitchedOff() {
            runner.withUserConfiguration(Registry.class)
                    .withPropertyValues("tributary.metrics.enabled=false")
                    .run(ctx -> assertThat(ctx).doesNotHaveBean(TributaryMetrics.class));
        }
    }

    @Nested
    class Tracing {
        @Test
        void withOpenTelemetryAppendsCarryTraceContextAndRecordSpans() {
            runner.withUserConfiguration(Otel.class).run(ctx -> {
                assertThat(ctx).hasSingleBean(TributaryTracing.class);
                StreamClient client = ctx.getBean(StreamClient.class);
                client.append(
                        StreamName.of("orders"),
                        StreamRecord.builder().payload("x").build());
                StreamEvent e = client.range(StreamName.of("orders"), Position.earliest(), null, 1)
                        .get(0);
                assertThat(e.headers().first("traceparent")).isPresent();
                assertThat(ctx.getBean(InMemorySpanExporter.class).getFinishedSpanItems())
                        .extracting(SpanData::getName)
                        .contains("send orders");
            });
        }

        @Test
        @SuppressWarnings("try")
        void recordsOfDroppedTracesCarryNoTraceHeadersWhenSoConfigured() {
            io.opentelemetry.context.Context dropped = io.opentelemetry.context.Context.root()
                    .with(io.opentelemetry.api.trace.Span.wrap(
                            io.opentelemetry.api.trace.SpanContext.createFromRemoteParent(
                                    "0af7651916cd43dd8448eb211c80319c",
                                    "b7ad6b7169203331",
                                    io.opentelemetry.api.trace.TraceFlags.getDefault(),
                                    io.opentelemetry.api.trace.TraceState.getDefault())));
            for (boolean propagate : new boolean[] {true, false}) {
                runner.withUserConfiguration(Otel.class)
                        .withPropertyValues("tributary.tracing.propagate-dropped-traces=" + propagate)
                        .run(ctx -> {
                            StreamClient client = ctx.getBean(StreamClient.class);
                            StreamName s = StreamName.of("dropped-" + propagate); // the memory store outlives a context
                            try (io.opentelemetry.context.Scope ignored = dropped.makeCurrent()) {
                                client.append(
                                        s, StreamRecord.builder().payload("x").build());
                            }
                            StreamEvent e = client.range(s, Position.earliest(), null, 1)
                                    .get(0);
                            assertThat(e.headers().first("traceparent").isPresent())
                                    .isEqualTo(propagate);
                        });
            }
        }

        @Test
        void tracedHandlersRecordProcessSpans() {
            runner.withUserConfiguration(Otel.class).run(ctx -> {
                TributaryProcessors processors = ctx.getBean(TributaryProcessors.class);
                dev.tributary.core.Handler<Order> plain = m -> {};
                assertThat(processors.traced(plain)).isNotSameAs(plain);
            });
        }

        @Test
        void withoutStreamOpentelemetryNothingIsTraced() {
            runner.withUserConfiguration(Otel.class)
                    .withClassLoader(new FilteredClassLoader(TributaryTracing.class))
                    .run(ctx -> {
                        assertThat(ctx).hasNotFailed().doesNotHaveBean(TributaryTracing.class);
                        dev.tributary.core.Handler<Order> plain = m -> {};
                        assertThat(ctx.getBean(TributaryProcessors.class).traced(plain))
                                .isSameAs(plain);
                    });
        }

        @Test
        void withoutAnOpenTelemetryBeanNothingIsTraced() {
            runner.run(ctx -> assertThat(ctx).doesNotHaveBean(TributaryTracing.class));
        }
    }

    /** A processor of {@code group} over the orders stream that polls every 20 ms. */
    static GroupProcessor.Builder<Order> ordersGroup(TributaryProcessors processors, String group) {
        return processors.group("orders", group, Order.class).pollWait(Duration.ofMillis(20));
    }

    @Configuration(proxyBeanMethods = false)
    static class Billing {
        @Bean
        GroupProcessor<Order> billing(TributaryProcessors processors) {
            return ordersGroup(processors, "billing").handler(m -> {}).build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Failing {
        @Bean
        GroupProcessor<Order> failing(TributaryProcessors processors) {
            return ordersGroup(processors, "failing")
                    .retry(RetryPolicy.noRetry())
                    .deadLetters(DeadLetterPolicy.failProcessor())
                    .handler(m -> {
                        throw new IllegalStateException("boom");
                    })
                    .build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Registry {
        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Otel {
        @Bean
        InMemorySpanExporter spanExporter() {
            return InMemorySpanExporter.create();
        }

        @Bean(destroyMethod = "close")
        OpenTelemetrySdk openTelemetry(InMemorySpanExporter exporter) {
            return OpenTelemetrySdk.builder()
                    .setTracerProvider(SdkTracerProvider.builder()
                            .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                            .build())
                    .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                    .build();
        }
    }
}
