package dev.tributary.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ClientConfig;
import dev.tributary.ErrorKind;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamClients;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import dev.tributary.tck.fixture.LocalProcessBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TLS and ACL users against a local redis-server of its own: right credentials connect, wrong ones
 * fail fatally with AUTHENTICATION, and the password never shows in messages, toString() or logs.
 */
class RedisSecurityIT {
    private static final String PASSWORD = "Pw-" + Long.toHexString(System.nanoTime()) + "-secret";
    private static RedisFixture.Local acl;
    private static RedisFixture.Local tls;
    private static Path certDir;

    @BeforeAll
    static void start() throws Exception {
        RedisFixture.shared(); // the usual skip/fail policy when no server can run
        Path bin = LocalProcessBroker.onPath("redis-server").orElseThrow();
        acl = new RedisFixture.Local(bin, List.of("--user", "alice", "on", ">" + PASSWORD, "~*", "&*", "+@all",
                "--user", "bob", "on", ">" + PASSWORD, "~*", "+ping", "+hello", "+auth", "+client"));
        acl.start();
        certDir = Files.createTempDirectory("tributary-redis-tls-");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                certDir.resolve("key.pem").toString(), "-out", certDir.resolve("cert.pem").toString(), "-days", "1",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost")
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        Assumptions.assumeTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0,
                "openssl could not create a test certificate");
        tls = new RedisFixture.Local(bin, List.of("--tls-cert-file", certDir.resolve("cert.pem").toString(),
                "--tls-key-file", certDir.resolve("key.pem").toString(), "--tls-ca-cert-file",
                certDir.resolve("cert.pem").toString(), "--tls-auth-clients", "no", "--user", "alice", "on",
                ">" + PASSWORD, "~*", "&*", "+@all"), true);
        tls.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (acl != null) {
            acl.close();
        }
        if (tls != null) {
            tls.close();
        }
        if (certDir != null) {
            for (String f : List.of("key.pem", "cert.pem")) {
                Files.deleteIfExists(certDir.resolve(f));
            }
            Files.deleteIfExists(certDir);
        }
    }

    @Test
    void aclUserWithTheRightPasswordConnects() {
        try (StreamClient c = StreamClients.open(RedisFixture.testConfig("redis://alice:" + PASSWORD + "@127.0.0.1:"
                + acl.port()))) {
            StreamName s = StreamName.of("sec-acl");
            c.append(s, StreamRecord.of("x"));
            assertEquals(1, c.range(s, Position.earliest(), null, 10).size());
            assertFalse(c.toString().contains(PASSWORD), c.toString());
        }
    }

    @Test
    void wrongPasswordFailsFatallyAndThePasswordShowsNowhere() {
        String wrong = "Wrong-" + PASSWORD;
        ClientConfig config = RedisFixture.testConfig("redis://alice:" + wrong + "@127.0.0.1:" + acl.port());
        assertFalse(config.toString().contains(wrong), config.toString());
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        StreamException e;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            e = assertThrows(StreamException.class, () -> StreamClients.open(config).close());
        } finally {
            System.setErr(err);
        }
        assertEquals(ErrorKind.AUTHENTICATION, e.kind(), e.toString());
        assertTrue(e.isFatal() && !e.isRetryable());
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains(wrong), "message of " + t.getClass());
            assertFalse(t.toString().contains(wrong), "toString of " + t.getClass());
        }
        assertFalse(captured.toString(StandardCharsets.UTF_8).contains(wrong), "logs");
    }

    @Test
    void aUserWithoutPermissionFailsWithAuthentication() {
        StreamException e = assertThrows(StreamException.class, () -> StreamClients.open(RedisFixture.testConfig(
                "redis://bob:" + PASSWORD + "@127.0.0.1:" + acl.port())).close());
        assertEquals(ErrorKind.AUTHENTICATION, e.kind(), e.toString());
        assertTrue(e.getMessage().contains("NOPERM") || e.getMessage().contains("permission"), e.getMessage());
    }

    @Test
    void tlsWithTheServerCertificateTrustedConnects() {
        String uri = "rediss://alice:" + PASSWORD + "@127.0.0.1:" + tls.port() + "?tlsCaCert="
                + certDir.resolve("cert.pem");
        try (StreamClient c = StreamClients.open(RedisFixture.testConfig(uri))) {
            assertTrue(c.health().up(), c.health().toString());
            StreamName s = StreamName.of("sec-tls");
            c.append(s, StreamRecord.of("over tls"));
            assertEquals("over tls", c.range(s, Position.earliest(), null, 1).get(0).payloadAsString());
        }
    }

    @Test
    void tlsWithAnUntrustedCertificateIsAConfigurationError() {
        StreamException e = assertThrows(StreamException.class, () -> StreamClients.open(RedisFixture.testConfig(
                "rediss://alice:" + PASSWORD + "@127.0.0.1:" + tls.port())).close());
        assertEquals(ErrorKind.CONFIGURATION, e.kind(), e.toString());
        assertFalse(e.getMessage().contains(PASSWORD));
    }
}
