package dev.tributary.nats.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ClientConfig;
import io.nats.client.ConnectionListener.Events;
import io.nats.client.Options;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The connection options the connector gives jnats (no server needed). */
class NatsConnectorTest {

    private static Options options(String uri) {
        NatsSettings s = NatsSettings.from(ClientConfig.parse(uri));
        return NatsConnector.options(s, new NatsErrors(Set.of(), s.host())).build();
    }

    /** jnats 2.26+: the resolve mode's name and whether it replaces the host by an address; else null. */
    private static String resolveMode(Options o) throws Exception {
        try {
            Object mode = Options.class.getMethod("hostnameResolveMode").invoke(o);
            return mode + " resolve=" + mode.getClass().getField("resolve").get(mode);
        } catch (NoSuchMethodException e) {
            return null; // jnats 2.24: separate flags
        }
    }

    @Test
    void tlsKeepsTheHostNameOfTheUriForTheCertificateCheck() throws Exception {
        for (String uri : new String[] {"tls://localhost:4443", "tls://localhost:4443?tlsVerifyHostname=false"}) {
            Options o = options(uri);
            String mode = resolveMode(o);
            if (mode != null) {
                // 2.26's noResolveHostnames() alone resolves to the first address: the certificate would
                // then be checked against 127.0.0.1 instead of the name written in the URI
                assertEquals("HappyEyeballs resolve=false", mode, uri);
            } else {
                assertTrue(o.isNoResolveHostnames(), uri);
            }
        }
    }

    @Test
    void plainConnectionsNeitherBufferWhileReconnectingNorStopReconnecting() {
        Options o = options("nats://u:p@localhost:4222?pingInterval=2s");
        assertEquals(0, o.getReconnectBufferSize());
        assertEquals(-1, o.getMaxReconnect());
        assertEquals(2, o.getMaxPingsOut());
        assertEquals(Duration.ofSeconds(2), o.getPingInterval());
    }

    @Test
    @SuppressWarnings("deprecation") // connectionEvent(Connection, Events) is what jnats calls
    void anOutageIsOneWarningHoweverManyReconnectAttemptsFail() {
        NatsConnector.LoggingConnectionListener l = new NatsConnector.LoggingConnectionListener("nats://x:4222");
        for (int i = 0; i < 40; i++) { // 10 s of failed attempts at 250 ms
            l.connectionEvent(null, Events.DISCONNECTED);
        }
        assertTrue(l.down());
        assertEquals(1, l.warnings());
        l.connectionEvent(null, Events.RECONNECTED);
        assertFalse(l.down());
        l.connectionEvent(null, Events.DISCONNECTED);
        assertEquals(2, l.warnings(), "the next outage warns again");
    }
}
