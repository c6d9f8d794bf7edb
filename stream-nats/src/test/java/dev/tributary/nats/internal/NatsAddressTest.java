package dev.tributary.nats.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ClientConfig;
import dev.tributary.ErrorKind;
import dev.tributary.StreamException;
import io.nats.client.Options;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Several servers in one URI (the nodes of a cluster), through NatsSettings and the jnats options. */
class NatsAddressTest {

    @Test
    void aClusterUriNamesEveryServerWithDefaultPorts() {
        NatsSettings s = NatsSettings.from(ClientConfig.parse("nats://127.0.0.1:4001,127.0.0.1:4002,node3?replicas=3"));
        assertEquals(List.of("nats://127.0.0.1:4001", "nats://127.0.0.1:4002", "nats://node3:4222"), s.serverUrls());
        assertEquals("nats://127.0.0.1:4001,nats://127.0.0.1:4002,nats://node3:4222", s.servers());
        assertEquals("127.0.0.1", s.host());
        assertEquals(3, s.replicas());
    }

    @Test
    void credentialsApplyToEveryServerAndNeverShow() {
        NatsSettings s = NatsSettings.from(ClientConfig.parse("nats://bob:pa%40ss@h1:4222,h2:4223"));
        assertEquals("bob", s.user().orElseThrow());
        assertEquals("pa@ss", new String(s.password()));
        assertEquals(List.of("nats://h1:4222", "nats://h2:4223"), s.serverUrls());
        assertFalse(s.toString().contains("pa@ss") || s.toString().contains("pa%40ss"), s.toString());
        assertFalse(s.safeUri().contains("pa%40ss"), s.safeUri());
        NatsSettings t = NatsSettings.from(ClientConfig.parse("tls://tok3n@h1,h2?tlsInsecure=true"));
        assertEquals("tok3n", new String(t.token()));
        assertEquals(List.of("tls://h1:4222", "tls://h2:4222"), t.serverUrls());
    }

    @Test
    void anIpv6AddressInBrackets() {
        // java.net.URI accepts brackets only in a single-server authority: a cluster of IPv6 nodes uses names
        NatsSettings s = NatsSettings.from(ClientConfig.parse("nats://[::1]:4001"));
        assertEquals(List.of("nats://[::1]:4001"), s.serverUrls());
        assertEquals("[::1]", s.host());
        assertEquals(
                List.of("nats://[::1]:4222"),
                NatsSettings.from(ClientConfig.parse("nats://[::1]")).serverUrls());
    }

    @Test
    void aSingleServerIsUnchanged() {
        NatsSettings s = NatsSettings.from(ClientConfig.parse("nats://u:p@h:4333"));
        assertEquals(List.of("nats://h:4333"), s.serverUrls());
        assertEquals("h", s.host());
    }

    @Test
    void jnatsGetsEveryServer() {
        NatsSettings s = NatsSettings.from(ClientConfig.parse("nats://127.0.0.1:4001,127.0.0.1:4002,127.0.0.1:4003"));
        Options o = NatsConnector.options(s, new NatsErrors(Set.of(), s.host())).build();
        List<String> servers = o.getServers().stream().map(Object::toString).toList();
        assertEquals(3, servers.size(), servers.toString());
        for (String port : List.of("4001", "4002", "4003")) {
            assertTrue(servers.stream().anyMatch(u -> u.endsWith(":" + port)), servers + " lacks " + port);
        }
    }

    @Test
    void badAddressesFailAsConfigurationNamingTheAddress() {
        for (String[] c : new String[][] {
            {"nats://h1:4222,", "''"},
            {"nats://h1:4222,:4223", "':4223'"},
            {"nats://h1:4222,h2:x", "'h2:x'"},
            {"nats://h1:0", "'h1:0'"},
            {"nats://h1,h2:70000", "'h2:70000'"}
        }) {
            StreamException e =
                    assertThrows(StreamException.class, () -> NatsSettings.from(ClientConfig.parse(c[0])), c[0]);
            assertEquals(ErrorKind.CONFIGURATION, e.kind(), c[0]);
            assertTrue(e.getMessage().contains(c[1]), c[0] + ": " + e.getMessage());
        }
    }
}
