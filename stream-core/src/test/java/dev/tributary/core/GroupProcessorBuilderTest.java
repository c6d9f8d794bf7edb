package dev.tributary.core;

import static dev.tributary.core.TailProcessorTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.GroupOptions;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import dev.tributary.core.testing.Events;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GroupProcessorBuilderTest {
    private final StreamClient client = Events.memory();
    private final StreamName stream = Events.fresh("grpb");

    @AfterEach
    void close() {
        client.close();
    }

    private GroupProcessor.Builder<String> builder() {
        return GroupProcessor.builder(client, stream, "workers", Codecs.utf8()).pollWait(Duration.ofMillis(20));
    }

    @Test
    void concurrencyMaxInFlightOptionsAndMemberAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> builder().concurrency(0));
        assertThrows(IllegalArgumentException.class, () -> builder().concurrency(257));
        assertThrows(IllegalArgumentException.class, () -> builder().maxInFlight(0));
        assertThrows(IllegalArgumentException.class, () -> builder().maxInFlight(100_001));
        assertThrows(NullPointerException.class, () -> builder().groupOptions(null));
        assertThrows(IllegalArgumentException.class, () -> builder().member("no spaces"));
        assertThrows(
                IllegalArgumentException.class,
                () -> GroupProcessor.builder(client, stream, "no spaces", Codecs.utf8()));
    }

    @Test
    void aNamedMemberReadsInAGroupTheApplicationCreated() throws Exception {
        client.createStream(stream);
        client.createGroup(stream, "workers", GroupOptions.defaults());
        client.append(stream, StreamRecord.of("a"));
        List<String> seen = new CopyOnWriteArrayList<>();
        GroupProcessor<String> p = builder()
                .member("m1")
                .createGroup(false)
                .handler(m -> seen.add(m.value()))
                .build();
        assertEquals("workers", p.group());
        assertEquals("m1", p.member());
        assertTrue(p.toString().contains("workers as m1"), p.toString());
        try {
            assertTrue(p.start());
            await("handled", () -> seen.size() == 1);
            await("acked", () -> client.groupInfo(stream, "workers").pending() == 0);
            assertTrue(client.groupInfo(stream, "workers").members().contains("m1"));
        } finally {
            p.stop(Duration.ofSeconds(10));
        }
    }

    @Test
    void theGroupIsCreatedWithTheGivenOptions() throws Exception {
        client.createStream(stream);
        client.append(stream, StreamRecord.of("before"));
        List<String> seen = new CopyOnWriteArrayList<>();
        GroupProcessor<String> p = builder()
                .groupOptions(GroupOptions.defaults().withStart(Position.latest()))
                .handler(m -> seen.add(m.value()))
                .build();
        assertTrue(p.member().startsWith("workers-"), "a generated member name: " + p.member());
        try {
            assertTrue(p.start());
            await(
                    "the group exists",
                    () -> client.groups(stream).stream().anyMatch(g -> g.group().equals("workers")));
            client.append(stream, StreamRecord.of("after"));
            await("handled", () -> seen.contains("after"));
            assertEquals(List.of("after"), seen, "the group started at the latest event");
        } finally {
            p.stop(Duration.ofSeconds(10));
        }
    }
}
