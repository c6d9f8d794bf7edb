package dev.tributary.nats;

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
import dev.tributary.tck.fixture.LocalProcessBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * User/password authentication and TLS against local servers: right credentials connect, wrong ones
 * fail fatally, and the secret never shows in logs, {@code toString()} or exception messages.
 */
class NatsAuthTlsIT {

    /** Runs {@code body} with stdout and stderr (where slf4j-simple logs) captured; returns the output. */
    private static String captured(Runnable body) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream tee = new PrintStream(buf, true, StandardCharsets.UTF_8);
        System.setOut(tee);
        System.setErr(tee);
        try {
            body.run();
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        String s = buf.toString(StandardCharsets.UTF_8);
        err.print(s);
        return s;
    }

    /** A failed connect leaves no reconnecting connection (and its threads) behind. */
    private static void assertThreadsSettle(int baseline) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (Thread.activeCount() > baseline + 2 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        assertTrue(Thread.activeCount() <= baseline + 2, "threads after failed connects: " + Thread.activeCount()
                + " > baseline " + baseline + " + 2");
    }

    private static void assertNoSecret(Throwable e, String secret) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains(secret), "secret in message of " + t.getClass());
            assertFalse(t.toString().contains(secret), "secret in toString of " + t.getClass());
            if (t.getCause() == t) {
                break;
            }
        }
    }

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

    @Test
    void tlsWithTheServersCaConnectsAndWithoutItFailsAsConfiguration() throws Exception {
        assumeTrue(LocalProcessBroker.onPath("nats-server").isPresent() && LocalProcessBroker.onPath("openssl").isPresent(),
                "needs nats-server and openssl on the PATH");
        Path dir = Files.createTempDirectory("tributary-nats-tls-");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                key.toString(), "-out", cert.toString(), "-days", "1", "-subj", "/CN=localhost", "-addext",
                "subjectAltName=IP:127.0.0.1,DNS:localhost").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "openssl failed");
        String pass = NatsFixture.randomSecret();
        try (NatsFixture.LocalNats server = new NatsFixture.LocalNats("nats-tls", pass, new Path[] {cert, key})) {
            server.start();
            String base = "tls://" + NatsFixture.USER + ":" + pass + "@127.0.0.1:" + server.port();
            String log = captured(() -> {
                try (StreamClient c = StreamClients.open(base + "?tlsCaFile=" + cert)) {
                    StreamName s = StreamName.of("tls-" + System.nanoTime());
                    c.createStream(s);
                    c.append(s, StreamRecord.of("secure"));
                    assertEquals(List.of("secure"), c.range(s, Position.earliest(), null, 10).stream()
                            .map(e -> e.payloadAsString()).toList());
                    assertFalse(c.toString().contains(pass));
                }
                StreamException untrusted = assertThrows(StreamException.class,
                        () -> StreamClients.open(base + "?connectTimeout=5s"));
                assertEquals(ErrorKind.CONFIGURATION, untrusted.kind(), untrusted.toString());
                assertNoSecret(untrusted, pass);
                StreamException wrong = assertThrows(StreamException.class, () -> StreamClients.open(
                        "tls://" + NatsFixture.USER + ":nope-" + pass + "@127.0.0.1:" + server.port() + "?tlsCaFile=" + cert));
                assertEquals(ErrorKind.AUTHENTICATION, wrong.kind(), wrong.toString());
                assertNoSecret(wrong, pass);
            });
            assertFalse(log.contains(pass), "the password appeared in the log output");
        } finally {
            Files.deleteIfExists(cert);
            Files.deleteIfExists(key);
            Files.deleteIfExists(dir);
        }
    }
}
