package dev.tributary.micrometer;

import static dev.tributary.micrometer.Testing.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.GroupConsumer;
import dev.tributary.GroupInfo;
import dev.tributary.GroupOptions;
import dev.tributary.StreamClient;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GroupLagMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final TributaryMetrics metrics = TributaryMetrics.builder(registry).build();
    private final StreamClient client = Testing.memory();
    private final StreamName stream = Testing.fresh("lag");

    @AfterEach
    void tearDown() {
        client.close();
    }

    private double gauge(String name, String group) {
        Gauge g = registry.find(name)
                .tags("stream", stream.value(), "group", group)
                .gauge();
        return g == null ? Double.NaN : g.value();
    }

    private void appendAndDeliver(String group, int appended, int delivered) {
        client.createStream(stream);
        client.createGroup(stream, group, GroupOptions.defaults());
        for (int i = 0; i < appended; i++) {
            client.append(stream, StreamRecord.of("e" + i));
        }
        try (GroupConsumer c = client.openGroupConsumer(stream, group, "m")) {
            assertEquals(delivered, c.poll(delivered, Duration.ZERO).size());
        }
    }

    @Test
    void lagAndPendingEqualGroupInfoAfterARefresh() {
        appendAndDeliver("billing", 10, 4);
        try (GroupLagMetrics lag = metrics.groupLag(client)
                .watch(stream, "billing")
                .interval(Duration.ZERO)
                .build()) {
            lag.bindTo(registry);
            assertTrue(Double.isNaN(gauge(TributaryMeters.GROUP_LAG, "billing")), "unknown before the first poll");
            lag.refresh();
            GroupInfo info = client.groupInfo(stream, "billing");
            assertEquals(4, info.pending());
            assertEquals(info.pending(), gauge(TributaryMeters.GROUP_PENDING, "billing"));
            assertEquals(info.lag(), gauge(TributaryMeters.GROUP_LAG, "billing"));
            assertEquals(6, gauge(TributaryMeters.GROUP_LAG, "billing"));

            client.append(stream, StreamRecord.of("one more"));
            lag.refresh();
            assertEquals(7, gauge(TributaryMeters.GROUP_LAG, "billing"));
        }
        assertNull(registry.find(TributaryMeters.GROUP_LAG).gauge(), "close removes the gauges");
    }

    @Test
    void watchingAStreamFindsEveryGroupAndTheSchedulePolls() throws Exception {
        appendAndDeliver("a", 5, 2);
        client.createGroup(stream, "b", GroupOptions.defaults());
        try (GroupLagMetrics lag = metrics.groupLag(client)
                .watchStream(stream)
                .interval(Duration.ofSeconds(1))
                .build()) {
            lag.bindTo(registry);
            await("first scheduled poll", () -> !Double.isNaN(gauge(TributaryMeters.GROUP_PENDING, "b")));
            assertEquals(client.groupInfo(stream, "a").pending(), gauge(TributaryMeters.GROUP_PENDING, "a"));
            assertEquals(client.groupInfo(stream, "b").lag(), gauge(TributaryMeters.GROUP_LAG, "b"));
        }
    }

    @Test
    void aFailedPollReadsNaNRatherThanAStaleValue() {
        appendAndDeliver("g", 3, 1);
        GroupLagMetrics lag = metrics.groupLag(client)
                .watch(stream, "g")
                .interval(Duration.ZERO)
                .build();
        lag.bindTo(registry);
        lag.refresh();
        assertEquals(1, gauge(TributaryMeters.GROUP_PENDING, "g"));
        client.deleteGroup(stream, "g");
        lag.refresh();
        assertTrue(Double.isNaN(gauge(TributaryMeters.GROUP_PENDING, "g")));
        lag.close();
    }

    @Test
    void watchedGroupsAreBounded() {
        client.createStream(stream);
        for (int i = 0; i < 5; i++) {
            client.createGroup(stream, "g" + i, GroupOptions.defaults());
        }
        try (GroupLagMetrics lag = metrics.groupLag(client)
                .watchStream(stream)
                .maxGroups(3)
                .interval(Duration.ZERO)
                .build()) {
            lag.bindTo(registry);
            lag.refresh();
            assertEquals(3, registry.find(TributaryMeters.GROUP_LAG).gauges().size());
        }
    }

    @Test
    void bindingToAnotherRegistryIsRefused() {
        GroupLagMetrics lag = metrics.groupLag(client).watch(stream, "g").build();
        assertThrows(IllegalArgumentException.class, () -> lag.bindTo(new SimpleMeterRegistry()));
        lag.close();
    }
}
