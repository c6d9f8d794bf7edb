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
import dev.tributary.tck.fixture.SecurityChecks;
import dev.tributary.tck.fixture.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TLS and ACL users against local redis-servers of their own: right credentials connect, wrong ones
 * fail fatally with AUTHENTICATION, and the password never shows in messages, toString() or logs.
 *
 * <p>The TLS matrix (certificates from the kit's {@link TestPki}, one TLS-only server per certificate):
 * the right host's certificate of the trusted CA works; a certificate for another host, an expired one
 * and one of another CA each fail the connect at once with one CONFIGURATION error that names the
 * problem and the option to look at. The host name is checked by default ({@code tlsVerify=full});
 * {@code tlsVerify=ca} is the documented opt-out that keeps the CA and validity checks;
 * {@code tlsVerify=none} checks nothing.
 */
class RedisSecurityIT {
    private static final String PASSWORD = "Pw-" + Long.toHexString(System.nanoTime()) + "-secret";
    private static final List<RedisFixture.Local> SERVERS = new ArrayList<>();
    private static RedisFixture.Local acl;
    private static TestPki pki;
    private static TestPki.Matrix certs;
    private static RedisFixture.Local rightHost;
    private static RedisFixture.Local wrongHost;
    private static RedisFixture.Local expired;
    private static RedisFixture.Local foreign;
    private static Path bin;

    @BeforeAll
    static void start() throws Exception {
        RedisFixture.shared(); // the usual skip/fail policy when no server can run
        bin = LocalProcessBroker.onPath("redis-server").orElseThrow();
        List<String> users = new ArrayList<>(alice());
        users.addAll(user("bob", "~*", "+ping", "+hello", "+auth", "+client"));
        acl = started(new RedisFixture.Local(bin, users));
        pki = TestPki.create();
        certs = pki.matrix();
        rightHost = tlsServer(certs.rightHost());
        wrongHost = tlsServer(certs.wrongHost());
        expired = tlsServer(certs.expired());
        foreign = tlsServer(certs.foreign());
    }

    /** The arguments of an ACL user {@code name} with {@link #PASSWORD}, enabled, with {@code rules}. */
    private static List<String> user(String name, String... rules) {
        List<String> args = new ArrayList<>(List.of("--user", name, "on", ">" + PASSWORD));
        args.addAll(List.of(rules));
        return args;
    }

    /** User alice: every key, every channel, every command. */
    private static List<String> alice() {
        return user("alice", "~*", "&*", "+@all");
    }

    /** A TLS-only redis-server presenting {@code cert}, with user alice. */
    private static RedisFixture.Local tlsServer(TestPki.Pair cert) {
        List<String> args = new ArrayList<>(List.of(
                "--tls-cert-file",
                cert.cert().toString(),
                "--tls-key-file",
                cert.key().toString(),
                "--tls-ca-cert-file",
                certs.ca().cert().toString(),
                "--tls-auth-clients",
                "no"));
        args.addAll(alice());
        return started(new RedisFixture.Local(bin, args, true));
    }

    private static RedisFixture.Local started(RedisFixture.Local server) {
        SERVERS.add(server);
        server.start();
        return server;
    }

    @AfterAll
    static void stop() throws Exception {
        for (RedisFixture.Local s : SERVERS) {
            s.close();
        }
        if (pki != null) {
            pki.close();
        }
    }

    @Test
    void aclUserWithTheRightPasswordConnects() {
        try (StreamClient c =
                StreamClients.open(RedisFixture.testConfig("redis://alice:" + PASSWORD + "@127.0.0.1:" + acl.port()))) {
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
            e = assertThrows(
                    StreamException.class, () -> StreamClients.open(config).close());
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
        StreamException e = assertThrows(
                StreamException.class,
                () -> StreamClients.open(
                                RedisFixture.testConfig("redis://bob:" + PASSWORD + "@127.0.0.1:" + acl.port()))
                        .close());
        assertEquals(ErrorKind.AUTHENTICATION, e.kind(), e.toString());
        assertTrue(e.getMessage().contains("NOPERM") || e.getMessage().contains("permission"), e.getMessage());
    }

    /** {@code rediss://alice:PASSWORD@host:port?tlsCaCert=<the test CA>&…}. */
    private static String tlsUri(String host, RedisFixture.Local server, String options) {
        return "rediss://alice:" + PASSWORD + "@" + host + ":" + server.port() + "?tlsCaCert="
                + certs.ca().cert() + (options.isEmpty() ? "" : "&" + options);
    }

    /** Opens {@code uri} (test timeouts), appends a record and reads it back over TLS. */
    private static void assertRoundTrip(String uri) {
        try (StreamClient c = StreamClients.open(RedisFixture.testConfig(uri))) {
            assertTrue(c.health().up(), c.health().toString());
            StreamName s = StreamName.of("sec-tls-" + System.nanoTime());
            c.append(s, StreamRecord.of("over tls"));
            assertEquals(
                    "over tls", c.range(s, Position.earliest(), null, 1).get(0).payloadAsString());
            assertFalse(c.toString().contains(PASSWORD), c.toString());
        }
    }

    /**
     * Opening {@code uri} with a long connect timeout fails with one CONFIGURATION error, well before that
     * timeout, whose message contains every one of {@code phrases} and no password; the failed connect
     * leaves no threads behind.
     */
    private static StreamException assertTlsRejected(String uri, String... phrases) {
        ClientConfig config = ClientConfig.builder(uri)
                .connectTimeout(Duration.ofSeconds(30))
                .requestTimeout(Duration.ofSeconds(30))
                .closeTimeout(Duration.ofSeconds(3))
                .build();
        return SecurityChecks.assertFailsFastAsConfiguration(
                () -> StreamClients.open(config).close(), PASSWORD, phrases);
    }

    @Test
    void theRightHostsCertificateOfTheTrustedCaConnectsByAddressAndByName() {
        assertRoundTrip(tlsUri("127.0.0.1", rightHost, ""));
        assertRoundTrip(tlsUri("localhost", rightHost, ""));
        assertRoundTrip(tlsUri("127.0.0.1", rightHost, "tlsVerify=full"));
        assertRoundTrip(tlsUri("127.0.0.1", rightHost, "tlsVerify=ca"));
        assertRoundTrip(tlsUri("127.0.0.1", rightHost, "tlsVerify=none"));
    }

    @Test
    void withoutTheCaTrustedTheCertificateIsAConfigurationErrorNamingTheTrustOption() {
        String uri = "rediss://alice:" + PASSWORD + "@127.0.0.1:" + rightHost.port();
        assertTlsRejected(uri, "not trusted", "tlsCaCert");
    }

    @Test
    void aCertificateForAnotherHostIsRejectedByDefaultAndAcceptedWithTlsVerifyCa() {
        // the host-name check is on without any option, and says how to turn it off
        assertTlsRejected(
                tlsUri("127.0.0.1", wrongHost, ""),
                "@127.0.0.1:",
                "not valid for the host of the URI",
                "matching IP address 127.0.0.1",
                "tlsVerify=ca");
        assertTlsRejected(
                tlsUri("localhost", wrongHost, ""),
                "@localhost:",
                "not valid for the host of the URI",
                "matching localhost",
                "tlsVerify=ca");
        assertTlsRejected(tlsUri("127.0.0.1", wrongHost, "tlsVerify=full"), "not valid for the host of the URI");
        // the documented opt-out: the CA is still checked, the host name is not
        assertRoundTrip(tlsUri("127.0.0.1", wrongHost, "tlsVerify=ca"));
        assertRoundTrip(tlsUri("127.0.0.1", wrongHost, "tlsVerify=none"));
    }

    @Test
    void anExpiredCertificateIsRejectedAsExpiredEvenWithoutTheHostCheck() {
        assertTlsRejected(tlsUri("127.0.0.1", expired, ""), "expired");
        assertTlsRejected(tlsUri("127.0.0.1", expired, "tlsVerify=ca"), "expired");
        // tlsVerify=none trusts anything, expired certificates included (tests only)
        assertRoundTrip(tlsUri("127.0.0.1", expired, "tlsVerify=none"));
    }

    @Test
    void aCertificateOfAnotherCaIsRejectedAsUntrustedEvenWithoutTheHostCheck() {
        assertTlsRejected(tlsUri("127.0.0.1", foreign, ""), "not trusted", "tlsCaCert");
        assertTlsRejected(tlsUri("127.0.0.1", foreign, "tlsVerify=ca"), "not trusted");
        assertRoundTrip(tlsUri("127.0.0.1", foreign, "tlsVerify=none"));
    }

    @Test
    void aWrongPasswordOverTlsIsStillAuthentication() {
        String uri = tlsUri("127.0.0.1", rightHost, "").replace(":" + PASSWORD + "@", ":Wrong-" + PASSWORD + "@");
        StreamException e = assertThrows(
                StreamException.class,
                () -> StreamClients.open(RedisFixture.testConfig(uri)).close());
        assertEquals(ErrorKind.AUTHENTICATION, e.kind(), e.toString());
        assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
    }
}
