package dev.tributary.memory;

import static dev.tributary.memory.Fixtures.client;
import static dev.tributary.memory.Fixtures.fails;
import static dev.tributary.memory.Fixtures.fresh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tributary.Capability;
import dev.tributary.ClientConfig;
import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.GroupOptions;
import dev.tributary.Health;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamClients;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamReader;
import dev.tributary.StreamRecord;
import dev.tributary.Trim;
import dev.tributary.spi.StreamProvider;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DiscoveryAndLifecycleTest {

    @Test
    void providerIsFoundByServiceLoaderUnderItsNameAndScheme() {
        List<StreamProvider> providers = StreamClients.registry().providers();
        StreamProvider p = providers.stream()
                .filter(x -> x.name().equals("memory"))
                .findFirst()
                .orElseThrow();
        assertInstanceOf(MemoryStreamProvider.class, p);
        assertEquals(Set.of("memory"), p.schemes());
        assertEquals(Set.copyOf(EnumSet.allOf(Capability.class)), p.capabilities());
        assertEquals("dev.tributary:stream-memory", p.artifact());
    }

    @Test
    void bareMemoryUriOpensAPrivateStore() {
        boolean parses;
        try {
            ClientConfig.parse("memory:");
            parses = true;
        } catch (StreamException e) {
            parses = false;
        }
        assumeTrue(
                parses,
                "stream-api gap: ClientConfig.parse(\"memory:\") is rejected by java.net.URI "
                        + "(empty scheme-specific part); this test runs once the API accepts it");
        try (StreamClient a = StreamClients.open("memory:");
                StreamClient b = StreamClients.open("memory:")) {
            StreamName s = fresh("private");
            a.append(s, StreamRecord.of("only in a"));
            assertFalse(b.info(s).exists());
        }
    }

    @Test
    void memoryUriWithOnlyAQueryOpensAPrivateStoreEach() {
        try (StreamClient a = StreamClients.open("memory:?maxPayloadBytes=10");
                StreamClient b = StreamClients.open("memory:?")) {
            assertEquals("memory", a.backend());
            assertEquals(10, a.limits().maxPayloadBytes());
            StreamName s = fresh("private");
            a.append(s, StreamRecord.of("only in a"));
            assertTrue(a.info(s).exists());
            assertFalse(b.info(s).exists(), "private stores are not shared");
        }
    }

    @Test
    void namedStoreIsSharedBetweenClientsAndOutlivesThem() {
        String uri = "memory:shared-" + fresh("n").value();
        StreamName s = fresh("shared");
        try (StreamClient a = StreamClients.open(uri);
                StreamClient b = StreamClients.open(uri)) {
            EventId id = a.append(s, StreamRecord.of("from a"));
            assertEquals(id, b.info(s).lastId().orElseThrow());
            b.createGroup(s, "g", GroupOptions.defaults());
            assertEquals(1, a.groups(s).size());
        }
        try (StreamClient c = StreamClients.open(uri)) {
            assertEquals(1, c.info(s).length(), "closing clients does not discard a named store");
            assertEquals(
                    "from a", c.range(s, Position.earliest(), null, 1).get(0).payloadAsString());
        }
    }

    @Test
    void namespaceSeparatesClientsOfOneStore() {
        String uri = "memory:ns-" + fresh("n").value();
        StreamName s = fresh("ns");
        try (StreamClient a = StreamClients.open(uri + "?namespace=a");
                StreamClient b = StreamClients.open(uri + "?namespace=b");
                StreamClient a2 = StreamClients.open(uri + "?namespace=a")) {
            a.append(s, StreamRecord.of("x"));
            assertFalse(b.info(s).exists());
            assertTrue(a2.info(s).exists());
        }
    }

    @Test
    void storeOptionsAreFixedByTheFirstClientOfANamedStore() {
        String uri = "memory:opts-" + fresh("n").value();
        try (StreamClient first = StreamClients.open(uri + "?maxStreamBytes=1000")) {
            assertTrue(first.health().up());
            StreamException e = fails(ErrorKind.CONFIGURATION, () -> StreamClients.open(uri + "?maxStreamBytes=2000"));
            assertTrue(e.getMessage().contains("maxStreamBytes=1000"), e.getMessage());
            try (StreamClient same = StreamClients.open(uri + "?maxStreamBytes=1000");
                    StreamClient silent = StreamClients.open(uri)) {
                StreamName s = fresh("cap");
                silent.append(s, StreamRecord.of(new byte[1000]));
                fails(ErrorKind.BACKPRESSURE, () -> same.append(s, StreamRecord.of(new byte[1])));
            }
        }
    }

    @Test
    void badUrisAndOptionsFailWithConfiguration() {
        fails(ErrorKind.CONFIGURATION, () -> StreamClients.open("memory://host"));
        fails(ErrorKind.CONFIGURATION, () -> StreamClients.open("memory:bad.name"));
        fails(ErrorKind.CONFIGURATION, () -> StreamClients.open("memory:?maxStreamByte=10"));
        fails(ErrorKind.CONFIGURATION, () -> StreamClients.open("memory:?maxPayloadBytes=0"));
        fails(ErrorKind.CONFIGURATION, () -> StreamClients.open("memory:?maxPayloadBytes=big"));
        fails(ErrorKind.CONFIGURATION, () -> StreamClients.open("memory:?dedupWindow=soon"));
        fails(ErrorKind.CONFIGURATION, () -> StreamClients.open("memory:?dedupMaxEntries=-1"));
    }

    @Test
    void healthAnswersUpWithTheStoreName() {
        try (StreamClient c = StreamClients.open("memory:health-check")) {
            Health h = c.health();
            assertTrue(h.up());
            assertNotNull(h.latency());
            assertEquals("memory store health-check", h.detail());
        }
    }

    @Test
    void closeIsIdempotentAndEveryCallAfterItFailsClosed() {
        StreamClient c = client("");
        StreamName s = fresh("closed");
        c.append(s, StreamRecord.of("x"));
        c.createGroup(s, "g", GroupOptions.defaults());
        StreamReader r = c.openReader(s, Position.earliest());
        var m = c.openGroupConsumer(s, "g", "m");
        c.close();
        c.close();
        fails(ErrorKind.CLOSED, () -> c.append(s, StreamRecord.of("x")));
        fails(ErrorKind.CLOSED, () -> c.appendAsync(s, StreamRecord.of("x")));
        fails(ErrorKind.CLOSED, () -> c.appendBatch(s, List.of(StreamRecord.of("x"))));
        fails(ErrorKind.CLOSED, () -> c.openReader(s, Position.earliest()));
        fails(ErrorKind.CLOSED, () -> c.range(s, Position.earliest(), null, 1));
        fails(ErrorKind.CLOSED, () -> c.info(s));
        fails(ErrorKind.CLOSED, () -> c.trim(s, Trim.toLength(0)));
        fails(ErrorKind.CLOSED, () -> c.createStream(s));
        fails(ErrorKind.CLOSED, () -> c.deleteStream(s));
        fails(ErrorKind.CLOSED, () -> c.createGroup(s, "g2", GroupOptions.defaults()));
        fails(ErrorKind.CLOSED, () -> c.openGroupConsumer(s, "g", "m2"));
        fails(ErrorKind.CLOSED, () -> c.groupInfo(s, "g"));
        fails(ErrorKind.CLOSED, () -> c.groups(s));
        fails(ErrorKind.CLOSED, () -> c.deleteGroup(s, "g"));
        fails(ErrorKind.CLOSED, c::health);
        fails(ErrorKind.CLOSED, () -> c.parseId("1"));
        fails(ErrorKind.CLOSED, () -> r.poll(1, Duration.ZERO));
        fails(ErrorKind.CLOSED, () -> m.poll(1, Duration.ZERO));
        fails(ErrorKind.CLOSED, () -> m.ack(EventId.ofSequence(1)));
        fails(ErrorKind.CLOSED, () -> m.nack(List.of(EventId.ofSequence(1))));
        r.close();
        m.close();
        assertEquals("memory", c.backend());
    }

    @Test
    void readerValidatesCountAndWait() {
        try (StreamClient c = client("")) {
            StreamName s = fresh("validate");
            try (StreamReader r = c.openReader(s, Position.earliest())) {
                fails(ErrorKind.INVALID_ARGUMENT, () -> r.poll(0, Duration.ZERO));
                fails(ErrorKind.INVALID_ARGUMENT, () -> r.poll(10_001, Duration.ZERO));
                fails(ErrorKind.INVALID_ARGUMENT, () -> r.poll(1, null));
                fails(ErrorKind.INVALID_ARGUMENT, () -> r.poll(1, Duration.ofSeconds(-1)));
                fails(ErrorKind.INVALID_ARGUMENT, () -> r.poll(1, Duration.ofMinutes(61)));
                assertEquals(s, r.stream());
                assertTrue(r.poll(10_000, Duration.ZERO).isEmpty(), "a missing stream reads as empty");
            }
            fails(ErrorKind.INVALID_ARGUMENT, () -> c.info(null));
            fails(ErrorKind.INVALID_ARGUMENT, () -> c.createStream(null));
        }
    }
}
