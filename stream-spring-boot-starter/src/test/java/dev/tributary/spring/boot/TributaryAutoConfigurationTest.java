package dev.tributary.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.ErrorKind;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamClients;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import dev.tributary.core.GroupProcessor;
import dev.tributary.core.ProcessorState;
import dev.tributary.core.Publisher;
import dev.tributary.spring.boot.Fixtures.Order;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class TributaryAutoConfigurationTest {

    @Test
    void clientIsOpenedFromTheUriAndClosedWithTheContext() {
        StreamClient[] seen = new StreamClient[1];
        Fixtures.runner()
                .withPropertyValues("tributary.uri=" + Fixtures.freshMemoryUri())
                .run(ctx -> {
                    assertThat(ctx)
                            .hasSingleBean(StreamClient.class)
                            .hasSingleBean(TributaryPublishers.class)
                            .hasSingleBean(TributaryProcessors.class)
                            .hasSingleBean(ProcessorLifecycle.class);
                    seen[0] = ctx.getBean(StreamClient.class);
                    assertThat(seen[0].backend()).isEqualTo("memory");
                    assertThat(seen[0].health().up()).isTrue();
                });
        assertThatThrownBy(() -> seen[0].health())
                .isInstanceOfSatisfying(
                        StreamException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CLOSED));
    }

    @Test
    void withoutAUriTheContextFailsNamingTheProperty() {
        Fixtures.runner()
                .run(ctx -> assertThat(ctx)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .isInstanceOf(StreamException.class)
                        .hasMessageContaining("tributary.uri is not set"));
    }

    @Test
    void aClientTheApplicationDefinesWinsAndNeedsNoUri() {
        Fixtures.runner().withUserConfiguration(OwnClient.class).run(ctx -> {
            assertThat(ctx).hasNotFailed().hasSingleBean(StreamClient.class);
            assertThat(ctx.getBean(StreamClient.class)).isSameAs(ctx.getBean("ownClient"));
        });
    }

    @Test
    void commonSettingsAndBackendOptionsReachTheClient() {
        String uri = Fixtures.freshMemoryUri();
        Fixtures.runner()
                .withPropertyValues(
                        "tributary.uri=" + uri,
                        "tributary.namespace=shop",
                        "tributary.request-timeout=2s",
                        "tributary.options.[maxPayloadBytes]=8")
                .run(ctx -> {
                    StreamClient client = ctx.getBean(StreamClient.class);
                    StreamName s = StreamName.of("small");
                    client.append(s, StreamRecord.builder().payload("12345678").build());
                    assertThatThrownBy(() -> client.append(
                                    s,
                                    StreamRecord.builder().payload("123456789").build()))
                            .isInstanceOfSatisfying(
                                    StreamException.class,
                                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.TOO_LARGE));
                    // The namespace keeps the stream apart from a client of the same store without it.
                    try (StreamClient plain = StreamClients.open(uri)) {
                        assertThat(plain.info(s).exists()).isFalse();
                    }
                });
    }

    @Test
    void anUnknownBackendOptionFailsTheStart() {
        Fixtures.runner()
                .withPropertyValues("tributary.uri=" + Fixtures.freshMemoryUri(), "tributary.options.bogus=1")
                .run(ctx -> assertThat(ctx).hasFailed().getFailure().rootCause().hasMessageContaining("bogus"));
    }

    @Test
    void publisherBeansWriteJsonThroughTheClient() {
        Fixtures.runner()
                .withPropertyValues("tributary.uri=" + Fixtures.freshMemoryUri())
                .withUserConfiguration(OrderPublisher.class)
                .run(ctx -> {
                    @SuppressWarnings("unchecked")
                    Publisher<Order> pub = ctx.getBean(Publisher.class);
                    pub.publish(new Order("o-1", 2)).join();
                    List<StreamEvent> events = ctx.getBean(StreamClient.class)
                            .range(StreamName.of("orders"), Position.earliest(), null, 10);
                    assertThat(events)
                            .singleElement()
                            .satisfies(
                                    e -> assertThat(e.payloadAsString()).isEqualTo("{\"id\":\"o-1\",\"quantity\":2}"));
                });
    }

    @Test
    void processorBeansStartWithTheContextAndStopWithIt() {
        Fixtures.runner()
                .withPropertyValues("tributary.uri=" + Fixtures.freshMemoryUri())
                .withUserConfiguration(OrderPublisher.class, Billing.class)
                .run(ctx -> {
                    GroupProcessor<?> billing = ctx.getBean(GroupProcessor.class);
                    assertThat(billing.state()).isEqualTo(ProcessorState.RUNNING);
                    @SuppressWarnings("unchecked")
                    Publisher<Order> pub = ctx.getBean(Publisher.class);
                    pub.publish(new Order("o-7", 1)).join();
                    Billing b = ctx.getBean(Billing.class);
                    long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                    while (b.billed.isEmpty() && System.nanoTime() < until) {
                        Thread.sleep(10);
                    }
                    assertThat(b.billed).containsExactly(new Order("o-7", 1));
                    ctx.close();
                    assertThat(billing.state()).isEqualTo(ProcessorState.STOPPED);
                });
    }

    @Test
    void autoStartupOffLeavesProcessorsToTheApplication() {
        Fixtures.runner()
                .withPropertyValues(
                        "tributary.uri=" + Fixtures.freshMemoryUri(), "tributary.processors.auto-startup=false")
                .withUserConfiguration(Billing.class)
                .run(ctx ->
                        assertThat(ctx.getBean(GroupProcessor.class).state()).isEqualTo(ProcessorState.NEW));
    }

    @Test
    void propertiesWithoutUriExplainWhatToSet() {
        assertThatThrownBy(() -> new TributaryProperties().toClientConfig())
                .hasMessageContaining("tributary.uri=redis://localhost:6379")
                .hasMessageContaining("memory:NAME");
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnClient {
        @Bean
        StreamClient ownClient() {
            return StreamClients.open(Fixtures.freshMemoryUri());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OrderPublisher {
        @Bean
        Publisher<Order> orderPublisher(TributaryPublishers publishers) {
            return publishers.json("orders", Order.class);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Billing {
        final List<Order> billed = new CopyOnWriteArrayList<>();

        @Bean
        GroupProcessor<Order> billing(TributaryProcessors processors) {
            return processors
                    .group("orders", "billing", Order.class)
                    .pollWait(Duration.ofMillis(20))
                    .handler(m -> billed.add(m.value()))
                    .build();
        }
    }
}
