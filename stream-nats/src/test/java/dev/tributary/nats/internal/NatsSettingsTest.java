package dev.tributary.nats.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ClientConfig;
import dev.tributary.ErrorKind;
import dev.tributary.Limits;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class NatsSettingsTest {

    @Test
    void defaults() {
        NatsSettings s = NatsSettings.from(ClientConfig.parse("nats://localhost"));
        assertEquals("nats://localhost:4222", s.servers());
        assertEquals("tributary", s.prefix());
        assertTrue(s.fileStorage());
        assertEquals(Duration.ofMinutes(2), s.duplicateWindow());
        assertEquals(Duration.ZERO, s.maxAge());
        assertTrue(s.autoMsgId());
    }

    @Test
    void limitsLeaveRoomForTheWorstCaseHeadersWithinTheServersMaxPayload() {
        NatsSettings s = NatsSettings.from(ClientConfig.parse("nats://localhost"));
        long reserve = HeaderCodec.worstCaseEncodedBytes(s.maxHeaderBytes()) + 512;
        Limits l = s.limits(1_048_576);
        assertEquals(1_048_576 - reserve, l.maxPayloadBytes());
        assertEquals(s.maxHeaderBytes(), l.maxHeaderBytes());
        assertEquals(NatsStreamClient.MAX_BATCH, l.maxBatchSize());
        assertEquals(NatsStreamClient.MAX_READ, l.maxReadCount());
        StreamException e = assertThrows(StreamException.class, () -> s.limits(reserve + 1_023));
        assertEquals(ErrorKind.CONFIGURATION, e.kind());
        assertTrue(e.getMessage().contains("raise max_payload or lower maxHeaderBytes"), e.getMessage());
    }

    @Test
    void optionsAndNamespace() {
        NatsSettings s = NatsSettings.from(ClientConfig.parse(
                "nats://h:4333?namespace=orders&storage=memory&maxAge=1h&duplicateWindow=30s&replicas=3"));
        assertEquals("nats://h:4333", s.servers());
        assertEquals("orders", s.prefix());
        assertFalse(s.fileStorage());
        assertEquals(Duration.ofHours(1), s.maxAge());
        assertEquals(Duration.ofSeconds(30), s.duplicateWindow());
        assertEquals(3, s.replicas());
    }

    @Test
    void credentialsNeverShow() {
        NatsSettings s = NatsSettings.from(ClientConfig.parse("tls://bob:hunter2%40x@h?tlsInsecure=true"));
        assertEquals("tls://h:4222", s.servers());
        assertEquals("bob", s.user().orElseThrow());
        assertEquals("hunter2@x", new String(s.password()));
        assertFalse(s.toString().contains("hunter2"), s.toString());
        assertFalse(s.safeUri().contains("hunter2"), s.safeUri());
        NatsSettings t = NatsSettings.from(ClientConfig.parse("nats://tok3n@h"));
        assertEquals("tok3n", new String(t.token()));
        assertFalse(t.toString().contains("tok3n"));
    }

    @Test
    void badOptionsFailAsConfiguration() {
        for (String uri : new String[] {
            "nats://h?storage=tape",
            "nats://h?bogus=1",
            "nats://h?replicas=0",
            "nats://h?duplicateWindow=0",
            "nats://h?tlsInsecure=true",
            "redis://h",
            "nats:opaque"
        }) {
            StreamException e =
                    assertThrows(StreamException.class, () -> NatsSettings.from(ClientConfig.parse(uri)), uri);
            assertEquals(ErrorKind.CONFIGURATION, e.kind(), uri);
        }
    }

    @Test
    void severalBadOptionsAreNamedInOneConfigurationError() {
        String uri = "nats://h?storage=tape&replicas=9&duplicateWindow=soon&bogus=1&tlsVerifyHostname=maybe"
                + "&maxHeaderBytes=10";
        StreamException e = assertThrows(StreamException.class, () -> NatsSettings.from(ClientConfig.parse(uri)));
        assertEquals(ErrorKind.CONFIGURATION, e.kind());
        String m = e.getMessage();
        for (String part : new String[] {
            "7 invalid NATS options",
            "storage=tape",
            "replicas=9",
            "duplicateWindow=soon",
            "unknown option 'bogus'",
            "tlsVerifyHostname=maybe",
            "maxHeaderBytes=10",
            "need a tls:// URI"
        }) {
            assertTrue(m.contains(part), "'" + part + "' missing from: " + m);
        }
    }

    @Test
    void aMissingCaFileAndAContradictionAreReportedTogether() {
        StreamException e = assertThrows(
                StreamException.class,
                () -> NatsSettings.from(ClientConfig.parse(
                        "tls://h?tlsCaFile=/no/such/ca.pem&tlsInsecure=true&tlsVerifyHostname=true")));
        assertEquals(ErrorKind.CONFIGURATION, e.kind());
        assertTrue(e.getMessage().contains("tlsCaFile=/no/such/ca.pem is not a readable file"), e.getMessage());
        assertTrue(e.getMessage().contains("contradicts tlsInsecure=true"), e.getMessage());
    }

    @Test
    void theHostNameCheckIsOnForTlsUnlessTurnedOffExplicitly() {
        NatsSettings plain = NatsSettings.from(ClientConfig.parse("tls://nats.example.com"));
        assertEquals("nats.example.com", plain.host());
        assertTrue(plain.tlsVerifyHostname());
        assertFalse(plain.tlsInsecure());
        assertFalse(NatsSettings.from(ClientConfig.parse("tls://h?tlsVerifyHostname=false"))
                .tlsVerifyHostname());
        assertTrue(NatsSettings.from(ClientConfig.parse("tls://h?tlsVerifyHostname=true"))
                .tlsVerifyHostname());
        // tlsInsecure checks nothing, the host name included
        NatsSettings insecure = NatsSettings.from(ClientConfig.parse("tls://h?tlsInsecure=true"));
        assertTrue(insecure.tlsInsecure());
        assertFalse(insecure.tlsVerifyHostname());
        assertFalse(NatsSettings.from(ClientConfig.parse("tls://h?tlsInsecure=true&tlsVerifyHostname=false"))
                .tlsVerifyHostname());
    }

    @Test
    void badTlsOptionsFailAsConfigurationNamingTheOption() {
        String[][] cases = {
            {"tls://h?tlsVerifyHostname=maybe", "tlsVerifyHostname=maybe must be true or false"},
            {"nats://h?tlsVerifyHostname=false", "need a tls:// URI"},
            {"nats://h?tlsVerifyHostname=true", "need a tls:// URI"},
            {"tls://h?tlsInsecure=true&tlsVerifyHostname=true", "contradicts tlsInsecure=true"},
            {"tls://h?tlsVerifyHostnames=false", "unknown option 'tlsVerifyHostnames'"},
        };
        for (String[] c : cases) {
            StreamException e =
                    assertThrows(StreamException.class, () -> NatsSettings.from(ClientConfig.parse(c[0])), c[0]);
            assertEquals(ErrorKind.CONFIGURATION, e.kind(), c[0]);
            assertTrue(e.getMessage().contains(c[1]), c[0] + ": " + e.getMessage());
        }
        StreamException unknown =
                assertThrows(StreamException.class, () -> NatsSettings.from(ClientConfig.parse("tls://h?bogus=1")));
        assertTrue(
                unknown.getMessage().contains("tlsVerifyHostname"),
                "the known options list the new one: " + unknown.getMessage());
    }

    @Test
    void namesMapToValidJetStreamObjects() {
        NatsNames n = new NatsNames("tributary");
        assertEquals("tributary.orders", n.subject(StreamName.of("orders")));
        assertEquals("tributary_orders", n.streamName(StreamName.of("orders")));
        String longName = "x".repeat(200);
        String js = n.streamName(StreamName.of(longName));
        assertTrue(js.length() <= NatsNames.MAX_STREAM_NAME, js);
        assertFalse(js.equals(n.streamName(StreamName.of("x".repeat(199) + "y"))));
        assertTrue(js.matches("[A-Za-z0-9_-]+"), js);
    }

    @Test
    void errorsNeverCarrySecrets() {
        NatsErrors errors = new NatsErrors(java.util.Set.of("hunter2"));
        StreamException e =
                errors.map(new java.io.IOException("cannot connect nats://bob:hunter2@h"), "connect", false);
        assertEquals(ErrorKind.RETRYABLE, e.kind());
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains("hunter2"), t.toString());
            assertFalse(t.toString().contains("hunter2"), t.toString());
        }
        assertEquals(
                ErrorKind.AUTHENTICATION,
                errors.map(new io.nats.client.AuthenticationException("Authorization Violation"), "c", false)
                        .kind());
        assertEquals(
                ErrorKind.INDETERMINATE,
                errors.map(new java.util.concurrent.TimeoutException("t"), "append", true)
                        .kind());
        assertEquals(
                ErrorKind.RETRYABLE,
                errors.map(new java.util.concurrent.TimeoutException("t"), "read", false)
                        .kind());
        assertEquals(
                ErrorKind.TOO_LARGE,
                errors.map(
                                new IllegalArgumentException(
                                        "Message payload size exceed server configuration 2000 vs 1000"),
                                "append",
                                false)
                        .kind());
        assertEquals(
                ErrorKind.RETRYABLE,
                errors.map(new IllegalStateException("Connection is Closed"), "append", false)
                        .kind());
        assertEquals(
                ErrorKind.CONFIGURATION,
                errors.map(new javax.net.ssl.SSLHandshakeException("PKIX path"), "c", false)
                        .kind());
    }
}
