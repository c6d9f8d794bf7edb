package dev.tributary.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ClientConfig;
import dev.tributary.ErrorKind;
import dev.tributary.StreamException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.protocol.RedisProtocolException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * What a failed connect is reported as, without a Redis server: loopback sockets started here answer as
 * an HTTP server, a plain-text Redis server or a TLS port would.
 */
class ConnectDiagnosisTest {

    /** A loopback server that reads what the client sends and answers every connection with {@code answer}. */
    private static ServerSocket answering(byte[] answer) throws IOException {
        ServerSocket server = new ServerSocket(0);
        Thread t = new Thread(
                () -> {
                    while (!server.isClosed()) {
                        try (Socket c = server.accept()) {
                            c.setSoTimeout(2000);
                            InputStream in = c.getInputStream();
                            in.read(new byte[512]); // the client's first bytes
                            c.getOutputStream().write(answer);
                            c.getOutputStream().flush();
                        } catch (IOException e) {
                            // next connection, or closed
                        }
                    }
                },
                "answering-" + server.getLocalPort());
        t.setDaemon(true);
        t.start();
        return server;
    }

    private static RedisSettings settings(String uri) {
        return RedisSettings.from(ClientConfig.parse(uri));
    }

    private static final byte[] HTTP =
            "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TLS_ALERT = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46};

    @Test
    void answersAreClassifiedByTheirFirstBytes() {
        assertEquals(
                PortProbe.Speaks.RESP,
                PortProbe.classify("+PONG\r\n".getBytes(StandardCharsets.US_ASCII))
                        .speaks());
        assertEquals(
                PortProbe.Speaks.RESP,
                PortProbe.classify("-NOAUTH Authentication required.\r\n".getBytes(StandardCharsets.US_ASCII))
                        .speaks());
        assertEquals(PortProbe.Speaks.TLS, PortProbe.classify(TLS_ALERT).speaks());
        assertEquals(PortProbe.Speaks.OTHER, PortProbe.classify(HTTP).speaks());
        assertEquals(
                PortProbe.Speaks.OTHER,
                PortProbe.classify("SSH-2.0-OpenSSH_9.2\r\n".getBytes(StandardCharsets.US_ASCII))
                        .speaks());
        assertEquals(
                PortProbe.Speaks.OTHER,
                PortProbe.classify(new byte[] {'+', 0, 1}).speaks());
        assertEquals(PortProbe.Speaks.NOTHING, PortProbe.classify(new byte[0]).speaks());
        assertEquals(
                "\"SSH-2.0-OpenSSH_9.2\"",
                PortProbe.classify("SSH-2.0-OpenSSH_9.2\r\n".getBytes(StandardCharsets.US_ASCII))
                        .shown());
    }

    @Test
    void tlsToAPlainTextRedisPortIsAConfigurationErrorBeforeAnyHandshake() throws IOException {
        try (ServerSocket plainRedis = answering("+PONG\r\n".getBytes(StandardCharsets.US_ASCII))) {
            long t0 = System.nanoTime();
            StreamException e = ConnectDiagnosis.notTls(
                    settings("rediss://127.0.0.1:" + plainRedis.getLocalPort() + "?connectTimeout=20s"));
            assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "answered at once, not after the connect timeout");
            assertEquals(ErrorKind.CONFIGURATION, e.kind());
            assertTrue(
                    e.getMessage()
                            .contains("does not speak TLS: a Redis server answered PING in plain text "
                                    + "(\"+PONG\"); use redis:// for this port"),
                    e.getMessage());
        }
    }

    @Test
    void tlsToAPortThatAnswersLikeTlsOrNotAtAllGoesOnToTheHandshake() throws IOException {
        try (ServerSocket tls = answering(TLS_ALERT);
                ServerSocket silent = new ServerSocket(0)) {
            assertNull(ConnectDiagnosis.notTls(settings("rediss://127.0.0.1:" + tls.getLocalPort())));
            assertNull(ConnectDiagnosis.notTls(
                    settings("rediss://127.0.0.1:" + silent.getLocalPort() + "?connectTimeout=300ms")));
        }
    }

    @Test
    void aServerThatIsNotRedisIsNamedWithWhatItAnswered() throws IOException {
        try (ServerSocket http = answering(HTTP)) {
            RedisConnectionException lettuce = new RedisConnectionException(
                    "Unable to connect to 127.0.0.1",
                    new RedisProtocolException("Invalid first byte: 72 (H) at buffer index 1 decoding using null"));
            StreamException e = ConnectDiagnosis.explain(
                    lettuce, settings("redis://127.0.0.1:" + http.getLocalPort()), OptionalInt::empty);
            assertEquals(ErrorKind.CONFIGURATION, e.kind());
            assertTrue(
                    e.getMessage().contains("is not a Redis server: it answered \"HTTP/1.1 400 Bad Request"),
                    e.getMessage());
        }
    }

    @Test
    void plainTextToATlsPortSaysUseRediss() throws IOException {
        try (ServerSocket tls = answering(TLS_ALERT)) {
            RedisConnectionException lettuce = new RedisConnectionException(
                    "Unable to connect to 127.0.0.1", new java.net.SocketException("Connection reset"));
            StreamException e = ConnectDiagnosis.explain(
                    lettuce, settings("redis://127.0.0.1:" + tls.getLocalPort()), OptionalInt::empty);
            assertEquals(ErrorKind.CONFIGURATION, e.kind());
            assertTrue(e.getMessage().contains("speaks TLS, not plain-text Redis; use rediss://"), e.getMessage());
        }
    }

    @Test
    void aDatabaseTheServerDoesNotHaveIsNamedWithTheCountWhenKnown() {
        RedisConnectionException lettuce = new RedisConnectionException(
                "Unable to connect to h:6379", new RedisCommandExecutionException("ERR DB index is out of range"));
        StreamException known =
                ConnectDiagnosis.explain(lettuce, settings("redis://h:6379/99"), () -> OptionalInt.of(16));
        assertEquals(ErrorKind.CONFIGURATION, known.kind());
        assertTrue(
                known.getMessage()
                        .contains("database 99 does not exist on the Redis server (it has 16 databases, " + "0 to 15)"),
                known.getMessage());
        StreamException unknown =
                ConnectDiagnosis.explain(lettuce, settings("redis://u:hunter2secret@h:6379/99"), OptionalInt::empty);
        assertEquals(ErrorKind.CONFIGURATION, unknown.kind());
        assertTrue(unknown.getMessage().contains("database 99 does not exist"), unknown.getMessage());
        assertTrue(unknown.getMessage().contains("did not tell how many"), unknown.getMessage());
        assertFalse(unknown.getMessage().contains("hunter2secret"), unknown.getMessage());
    }

    @Test
    void failuresItKnowsNothingAboutAreLeftToTheErrorMapping() {
        RedisConnectionException refused =
                new RedisConnectionException("Unable to connect", new java.net.ConnectException("Connection refused"));
        assertNull(ConnectDiagnosis.explain(refused, settings("redis://127.0.0.1:1"), OptionalInt::empty));
        RedisConnectionException auth = new RedisConnectionException(
                "Unable to connect", new RedisCommandExecutionException("WRONGPASS invalid username-password pair"));
        assertNull(ConnectDiagnosis.explain(auth, settings("redis://127.0.0.1:1"), OptionalInt::empty));
    }
}
