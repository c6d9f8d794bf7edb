package dev.tributary.examples.orders;

import dev.tributary.core.GroupProcessor;
import dev.tributary.core.Publisher;
import dev.tributary.spring.boot.TributaryProcessors;
import dev.tributary.spring.boot.TributaryPublishers;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The service's streams: one publisher and two consumer groups on {@code orders}. Each group sees
 * every event; the starter starts the processors once the context is ready and stops them
 * gracefully (current batch finished and acked) at shutdown.
 */
@Configuration(proxyBeanMethods = false)
public class OrderStreams {
    static final String STREAM = "orders";

    @Bean
    Publisher<OrderCreated> orderCreatedPublisher(TributaryPublishers publishers) {
        return publishers.json(STREAM, OrderCreated.class);
    }

    @Bean
    GroupProcessor<OrderCreated> projectionProcessor(TributaryProcessors processors, OrderProjection projection) {
        return processors
                .group(STREAM, "projection", OrderCreated.class)
                .handler(processors.traced(m -> projection.apply(m.value())))
                .build();
    }

    @Bean
    GroupProcessor<OrderCreated> notificationsProcessor(TributaryProcessors processors, Notifications notifications) {
        return processors
                .group(STREAM, "notifications", OrderCreated.class)
                .handler(processors.traced(m -> notifications.send(
                        m.value().customer(),
                        "order " + m.value().orderId() + " for " + m.value().quantity() + " x "
                                + m.value().item() + " received")))
                .build();
    }
}
