package dev.tributary.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tributary.EventId;
import dev.tributary.GroupConsumer;
import dev.tributary.GroupInfo;
import dev.tributary.GroupOptions;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamClients;
import dev.tributary.StreamName;
import dev.tributary.StreamReader;
import dev.tributary.StreamRecord;
import dev.tributary.tck.fixture.ItBroker;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * On real brokers (redis-server, nats-server and a KRaft Kafka; see {@link ItBroker}): an instrumented
 * client counts and times every confirmed append, counts the events its reader and group consumer
 * return, and the group lag and pending gauges show what the broker's {@code groupInfo} reports.
 */
class BrokerMetricsIT {
    private static final int APPENDS = 1000;
    private static final int DELIVERED = 300;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final TributaryMetrics metrics = TributaryMetrics.builder(registry).build();
    private final StreamName stream =
            StreamName.of("mm-it-" + UUID.randomUUID().toString().substring(0, 8));

    private double readEvents(String backend, String group) {
        return registry.get(TributaryMeters.READ_EVENTS)
                .tags("backend", backend, "stream", stream.value(), "group", group)
                .counter()
                .count();
    }

    private double gauge(String name, String group) {
        Gauge g = registry.find(name)
                .tags("stream", stream.value(), "group", group)
                .gauge();
        return g == null ? Double.NaN : g.value();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"redis", "nats", "kafka"})
    void appendsReadsAndGroupFiguresAreMeteredOnARealBroker(String backend) {
        try (ItBroker broker = ItBroker.start(backend);
                StreamClient client = metrics.instrument(StreamClients.open(broker.uri()))) {
            assertEquals(backend, client.backend());
            client.createStream(stream);
            client.createGroup(stream, "billing", GroupOptions.defaults());

            List<CompletableFuture<EventId>> futures = new ArrayList<>(APPENDS);
            for (int i = 0; i < APPENDS; i++) {
                futures.add(client.appendAsync(stream, StreamRecord.of("r" + i)));
            }
            futures.forEach(CompletableFuture::join);
            String s = stream.value();
            assertEquals(
                    APPENDS,
                    registry.get(TributaryMeters.APPEND_RECORDS)
                            .tags("backend", backend, "stream", s)
                            .counter()
                            .count());
            Timer t = registry.get(TributaryMeters.APPEND)
                    .tags("backend", backend, "stream", s, "outcome", "success")
                    .timer();
            assertEquals(APPENDS, t.count());
            assertNull(registry.find(TributaryMeters.APPEND_FAILURES).counter());
            assertEquals(
                    0,
                    registry.get(TributaryMeters.APPEND_IN_FLIGHT)
                            .tags("backend", backend)
                            .gauge()
                            .value());

            // a tail reader from the start: every event counted under group "(none)"
            int read = 0;
            try (StreamReader r = client.openReader(stream, Position.earliest())) {
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (read < APPENDS && System.nanoTime() < deadline) {
                    read += r.poll(Math.min(200, APPENDS - read), Duration.ofMillis(500))
                            .size();
                }
            }
            assertEquals(APPENDS, read);
            assertEquals(APPENDS, readEvents(backend, TributaryMeters.NONE));

            // a group member takes some and acks none: pending = delivered, lag = the rest
            int delivered = 0;
            try (GroupConsumer c = client.openGroupConsumer(stream, "billing", "m1")) {
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (delivered < DELIVERED && System.nanoTime() < deadline) {
                    delivered += c.poll(DELIVERED - delivered, Duration.ofMillis(500))
                            .size();
                }
            }
            assertEquals(DELIVERED, delivered);
            assertEquals(DELIVERED, readEvents(backend, "billing"));

            try (GroupLagMetrics lag = metrics.groupLag(client)
                    .watch(stream, "billing")
                    .interval(Duration.ZERO)
                    .build()) {
                lag.bindTo(registry);
                lag.refresh();
                GroupInfo info = client.groupInfo(stream, "billing");
                assertEquals(DELIVERED, info.pending(), () -> "groupInfo " + info);
                assertEquals(APPENDS - DELIVERED, info.lag(), () -> "groupInfo " + info);
                assertEquals(info.pending(), gauge(TributaryMeters.GROUP_PENDING, "billing"));
                assertEquals(info.lag(), gauge(TributaryMeters.GROUP_LAG, "billing"));

                for (int i = 0; i < 5; i++) {
                    client.append(stream, StreamRecord.of("more" + i));
                }
                lag.refresh();
                GroupInfo after = client.groupInfo(stream, "billing");
                assertEquals(APPENDS - DELIVERED + 5, after.lag(), () -> "groupInfo " + after);
                assertEquals(after.lag(), gauge(TributaryMeters.GROUP_LAG, "billing"));
                assertEquals(after.pending(), gauge(TributaryMeters.GROUP_PENDING, "billing"));
            }
        }
    }
}
