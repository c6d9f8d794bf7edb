package dev.tributary.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.StreamClient;
import dev.tributary.StreamClients;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import dev.tributary.core.Codecs;
import dev.tributary.core.GroupProcessor;
import dev.tributary.tck.fixture.ThrowawayBroker;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * End to end on a real broker: an application context configured by nothing but
 * {@code tributary.uri=redis://…} gets a Redis client (the backend chosen by the jar on the class
 * path), its processor bean handles what the client appends, and a graceful shutdown leaves nothing
 * pending. The redis-server is a local process from the kit's fixtures; CI requires it.
 */
class RedisApplicationIT {
    private static final StreamName ORDERS = StreamName.of("boot-orders");

    @Test
    void anApplicationOnRedisHandlesWhatItAppendsAndShutsDownWithNothingPending() throws Exception {
        try (ThrowawayBroker redis = ThrowawayBroker.start("redis")) {
            String uri = redis.uri();
            App.handled.clear();
            Fixtures.runner()
                    .withPropertyValues("tributary.uri=" + uri)
                    .withUserConfiguration(App.class)
                    .run(ctx -> {
                        StreamClient client = ctx.getBean(StreamClient.class);
                        assertThat(client.backend()).isEqualTo("redis");
                        for (int i = 0; i < 50; i++) {
                            client.append(
                                    ORDERS,
                                    StreamRecord.builder().payload("order-" + i).build());
                        }
                        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                        while (App.handled.size() < 50 && System.nanoTime() < end) {
                            Thread.sleep(20);
                        }
                        assertThat(App.handled).hasSize(50);
                    });
            try (StreamClient client = StreamClients.open(uri)) {
                assertThat(client.groupInfo(ORDERS, "billing").pending()).isZero();
                assertThat(client.groupInfo(ORDERS, "billing").lag()).isZero();
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class App {
        static final Set<String> handled = ConcurrentHashMap.newKeySet();

        @Bean
        GroupProcessor<String> billing(TributaryProcessors processors) {
            return processors
                    .group(ORDERS.value(), "billing", Codecs.utf8())
                    .pollWait(Duration.ofMillis(50))
                    .handler(m -> handled.add(m.value()))
                    .build();
        }
    }
}
