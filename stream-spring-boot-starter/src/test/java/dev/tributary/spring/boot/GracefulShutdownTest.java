package dev.tributary.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.EventId;
import dev.tributary.GroupConsumer;
import dev.tributary.GroupOptions;
import dev.tributary.StreamClient;
import dev.tributary.StreamClients;
import dev.tributary.StreamEvent;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import dev.tributary.core.GroupProcessor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Shutdown with events in flight, on a named memory store that outlives the context so the test can
 * read the group's state afterwards: a batch in flight is finished and acked; one that outlasts
 * the shutdown timeout is cut short, and every event not handled stays unacknowledged and is
 * delivered again.
 */
class GracefulShutdownTest {
    private static final StreamName ORDERS = StreamName.of("orders");

    /**
     * Runs a context over {@code uri} with {@code config} and the given shutdown timeout, and closes it
     * as soon as {@code inHandler} opens (a handler is busy).
     */
    private static void closeWhileHandling(
            String uri, String shutdownTimeout, Class<?> config, CountDownLatch inHandler) {
        Fixtures.runner()
                .withPropertyValues("tributary.uri=" + uri, "tributary.processors.shutdown-timeout=" + shutdownTimeout)
                .withUserConfiguration(config)
                .run(ctx -> {
                    assertThat(inHandler.await(10, TimeUnit.SECONDS)).isTrue();
                    ctx.close();
                });
    }

    @Test
    void aBatchInFlightIsFinishedAndAckedBeforeTheContextCloses() throws Exception {
        String uri = Fixtures.freshMemoryUri();
        append(uri, 5);
        Slow.handled.clear();
        Slow.entered = new CountDownLatch(1);
        closeWhileHandling(uri, "10s", Slow.class, Slow.entered);
        assertThat(Slow.handled).hasSize(5); // the whole batch of 5, although the close came during the first event
        try (StreamClient client = StreamClients.open(uri)) {
            assertThat(client.groupInfo(ORDERS, "slow").pending()).isZero();
            assertThat(client.groupInfo(ORDERS, "slow").lag()).isZero();
        }
    }

    @Test
    void pastTheShutdownTimeoutOnlyHandledEventsAreAcked() throws Exception {
        String uri = Fixtures.freshMemoryUri();
        append(uri, 5);
        Stuck.handled.clear();
        Stuck.stuck = new CountDownLatch(1);
        closeWhileHandling(uri, "300ms", Stuck.class, Stuck.stuck);
        assertThat(Stuck.handled).hasSize(2);
        try (StreamClient client = StreamClients.open(uri)) {
            // The 3 unhandled events are pending; so may be the 2 handled ones, whose ack the cut-off can
            // prevent (the consumer is closed to wake the handler): at least once, never lost.
            long pending = client.groupInfo(ORDERS, "stuck").pending();
            assertThat(pending).isBetween(3L, 5L);
            // After the ack timeout the broker hands the pending events, the unhandled ones among them, to another
            // member.
            Thread.sleep(300);
            try (GroupConsumer next = client.openGroupConsumer(ORDERS, "stuck", "next")) {
                List<StreamEvent> again = next.poll(10, Duration.ofSeconds(2));
                assertThat(again).hasSize((int) pending);
                assertThat(again).extracting(StreamEvent::payloadAsString).endsWith("3", "4", "5");
            }
        }
    }

    private static void append(String uri, int n) {
        try (StreamClient client = StreamClients.open(uri)) {
            for (int i = 1; i <= n; i++) {
                client.append(
                        ORDERS,
                        StreamRecord.builder().payload(Integer.toString(i)).build());
            }
        }
    }

    /** A processor of {@code group} over the orders stream, in batches of 5, polling every 20 ms. */
    static GroupProcessor.Builder<String> ordersInBatchesOf5(TributaryProcessors processors, String group) {
        return processors
                .group("orders", group, dev.tributary.core.Codecs.utf8())
                .batchSize(5)
                .pollWait(Duration.ofMillis(20));
    }

    @Configuration(proxyBeanMethods = false)
    static class Slow {
        static final List<EventId> handled = new CopyOnWriteArrayList<>();
        static volatile CountDownLatch entered;

        @Bean
        GroupProcessor<String> slow(TributaryProcessors processors) {
            return ordersInBatchesOf5(processors, "slow")
                    .handler(m -> {
                        entered.countDown();
                        Thread.sleep(100);
                        handled.add(m.id());
                    })
                    .build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Stuck {
        static final List<EventId> handled = new CopyOnWriteArrayList<>();
        static volatile CountDownLatch stuck;

        @Bean
        GroupProcessor<String> stuck(TributaryProcessors processors) {
            return ordersInBatchesOf5(processors, "stuck")
                    .groupOptions(GroupOptions.defaults().withAckTimeout(Duration.ofMillis(200)))
                    .handler(m -> {
                        if (m.value().equals("3")) {
                            stuck.countDown();
                            new CountDownLatch(1).await(); // a handler that hangs until interrupted
                        }
                        handled.add(m.id());
                    })
                    .build();
        }
    }
}
