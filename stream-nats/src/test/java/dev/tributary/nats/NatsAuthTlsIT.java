package dev.tributary.nats;

import static dev.tributary.tck.fixture.SecurityChecks.assertNoSecret;
import static dev.tributary.tck.fixture.SecurityChecks.assertThreadsSettle;
import static dev.tributary.tck.fixture.SecurityChecks.captured;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tributary.ClientConfig;
import dev.tributary.ErrorKind;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamClients;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import dev.tributary.tck.fixture.Brokers;
import dev.tributary.tck.fixture.LocalProcessBroker;
import dev.tributary.tck.fixture.SecurityChecks;
import dev.tributary.tck.fixture.TestPki;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * User/password authentication and TLS against local servers: right credentials connect, wrong ones
 * fail fatally, and the secret never shows in logs, {@code toString()} or exception messages. A TLS
 * server certificate must chain to a trusted CA, be in its validity period and name the host of the URI
 * (unless {@code tlsVerifyHostname=false} or {@code tlsInsecure=true} say otherwise).
 */
class NatsAuthTlsIT {

    @Test
    void rightCredentialsConnectAndWrongOnesFailFatallyWithoutLeakingTheSecret() {
        NatsFixture f = NatsFixture.shared();
        assumeTrue(f.password().isPresent(), "needs the local server of the fixture (with a known password)");
        String pass = f.password().get();
        ClientConfig good = f.config();
        assertFalse(good.toString().contains(pass), good.toString());
        String log = captured(() -> {
            try (StreamClient c = StreamClients.open(good)) {
                assertTrue(c.health().up());
                assertFalse(c.toString().contains(pass), c.toString());
                assertFalse(c.health().detail().contains(pass));
                StreamName s = StreamName.of("auth-" + System.nanoTime());
                c.createStream(s);
                c.append(s, StreamRecord.of("x"));
                assertEquals(1, c.range(s, Position.earliest(), null, 10).size());
                c.deleteStream(s);
            }
            ClientConfig wrong = f.wrongCredentials().orElseThrow();
            int baseline = Thread.activeCount();
            for (int i = 0; i < 5; i++) {
                assertThrows(StreamException.class, () -> StreamClients.open(wrong));
            }
            assertThreadsSettle(baseline);
            long start = System.nanoTime();
            StreamException e = assertThrows(StreamException.class, () -> StreamClients.open(wrong));
            assertEquals(ErrorKind.AUTHENTICATION, e.kind(), e.toString());
            assertTrue(e.isFatal());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30));
            assertNoSecret(e, "wrong-" + pass);
            assertNoSecret(e, pass);
            assertFalse(wrong.toString().contains(pass));
        });
        assertFalse(log.contains(pass), "the password appeared in the log output");
    }

    /** The certificates of the TLS tests, made once per run (or the tests are skipped without openssl). */
    private static TestPki pki;

    private static TestPki.Pair ca;
    private static TestPki.Pair otherCa;

    private static synchronized TestPki pki() throws Exception {
        if (LocalProcessBroker.onPath("nats-server").isEmpty()) {
            throw Brokers.unavailable("nats", "the TLS tests start nats-server from the PATH");
        }
        if (pki == null) {
            pki = TestPki.create();
            ca = pki.ca("test-ca");
            otherCa = pki.ca("other-ca");
        }
        return pki;
    }

    @AfterAll
    static void deleteCertificates() throws Exception {
        if (pki != null) {
            pki.close();
        }
    }

    /** The body of a TLS test: the URI base {@code tls://user:pass@127.0.0.1:port} and the password. */
    private interface TlsBody {
        void run(String base, String pass) throws Exception;
    }

    /**
     * Runs {@code body} against a TLS server presenting {@code serverCert}, with output captured, and
     * checks that the password never appeared in it.
     */
    private static void withTlsServer(String name, TestPki.Pair serverCert, TlsBody body) throws Exception {
        String pass = NatsFixture.randomSecret();
        try (NatsFixture.LocalNats server =
                new NatsFixture.LocalNats(name, pass, new Path[] {serverCert.cert(), serverCert.key()})) {
            server.start();
            String base = "tls://" + NatsFixture.USER + ":" + pass + "@127.0.0.1:" + server.port();
            String log = captured(() -> {
                try {
                    body.run(base, pass);
                } catch (RuntimeException | Error e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertFalse(log.contains(pass), "the password appeared in the log output");
        }
    }

    /** Opens {@code uri}, appends a record and reads it back. */
    private static void assertRoundTrip(String uri, String pass) {
        SecurityChecks.assertRoundTrip(ClientConfig.parse(uri), pass);
    }

    /**
     * Opening {@code uri} fails with one CONFIGURATION error whose message contains every one of
     * {@code phrases}, well before the (long) connect timeout, without the password and without leaving
     * a reconnecting connection behind.
     */
    private static StreamException assertTlsRejected(String uri, String pass, String... phrases) {
        return SecurityChecks.assertFailsFastAsConfiguration(
                () -> StreamClients.open(uri + "&connectTimeout=30s"), pass, phrases);
    }

    @Test
    void tlsWithTheServersCaConnectsAndWithoutItFailsAsConfiguration() throws Exception {
        pki();
        TestPki.Pair right = pki.server("right-host", ca, "IP:127.0.0.1,DNS:localhost");
        withTlsServer("nats-tls", right, (base, pass) -> {
            assertRoundTrip(base + "?tlsCaFile=" + ca.cert(), pass);
            // the certificate names both the address and the name: both URIs pass the host-name check
            assertRoundTrip(base.replace("@127.0.0.1:", "@localhost:") + "?tlsCaFile=" + ca.cert(), pass);
            // without tlsCaFile the JVM's trust store decides: the test CA is not in it
            assertTlsRejected(base + "?tlsVerifyHostname=true", pass, "not trusted", "tlsCaFile");
            StreamException wrong = assertThrows(
                    StreamException.class,
                    () -> StreamClients.open(
                            base.replace(":" + pass + "@", ":nope-" + pass + "@") + "?tlsCaFile=" + ca.cert()));
            assertEquals(ErrorKind.AUTHENTICATION, wrong.kind(), wrong.toString());
            assertNoSecret(wrong, pass);
        });
    }

    @Test
    void aCertificateForAnotherHostIsRejectedUnlessTheCheckIsTurnedOff() throws Exception {
        pki();
        TestPki.Pair wrongHost = pki.server("wrong-host", ca, "DNS:wrong.example");
        withTlsServer("nats-tls-wrong-host", wrongHost, (base, pass) -> {
            assertTlsRejected(
                    base + "?tlsCaFile=" + ca.cert(), pass, "not valid for host 127.0.0.1", "tlsVerifyHostname=false");
            // the trusted CA alone is enough once the host-name check is explicitly turned off
            assertRoundTrip(base + "?tlsCaFile=" + ca.cert() + "&tlsVerifyHostname=false", pass);
            assertRoundTrip(base + "?tlsInsecure=true", pass);
        });
    }

    @Test
    void theHostNameOfTheUriIsCheckedNotTheAddressItResolvesTo() throws Exception {
        pki();
        TestPki.Pair nameOnly = pki.server("name-only", ca, "DNS:localhost");
        withTlsServer("nats-tls-name-only", nameOnly, (base, pass) -> {
            assertRoundTrip(base.replace("@127.0.0.1:", "@localhost:") + "?tlsCaFile=" + ca.cert(), pass);
            assertTlsRejected(base + "?tlsCaFile=" + ca.cert(), pass, "not valid for host 127.0.0.1");
        });
    }

    @Test
    void anExpiredCertificateIsRejectedAsExpired() throws Exception {
        pki();
        TestPki.Pair expired = pki.expiredServer("expired", ca, "IP:127.0.0.1,DNS:localhost");
        withTlsServer("nats-tls-expired", expired, (base, pass) -> {
            assertTlsRejected(base + "?tlsCaFile=" + ca.cert(), pass, "expired");
            // even with the host-name check off: expiry is part of trusting the certificate
            assertTlsRejected(base + "?tlsCaFile=" + ca.cert() + "&tlsVerifyHostname=false", pass, "expired");
        });
    }

    @Test
    void aCertificateOfAnotherCaIsRejectedAsUntrusted() throws Exception {
        pki();
        TestPki.Pair foreign = pki.server("foreign", otherCa, "IP:127.0.0.1,DNS:localhost");
        withTlsServer("nats-tls-foreign", foreign, (base, pass) -> {
            assertTlsRejected(base + "?tlsCaFile=" + ca.cert(), pass, "not trusted", "tlsCaFile");
            assertTlsRejected(base + "?tlsCaFile=" + ca.cert() + "&tlsVerifyHostname=false", pass, "not trusted");
        });
    }
}
