package dev.tributary.kafka.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ClientConfig;
import dev.tributary.ErrorKind;
import dev.tributary.StreamClients;
import dev.tributary.StreamException;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Opening a client needs no broker to fail well: an address where nothing listens, or where something else does. */
class UnreachableBrokerTest {

    @Test
    void openingAgainstNoBrokerFailsRetryableWithinTheConnectTimeout() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ClientConfig cfg = ClientConfig.parse("kafka://127.0.0.1:" + port + "?connectTimeout=1s&closeTimeout=1s");
        long t0 = System.nanoTime();
        StreamException e = assertThrows(
                StreamException.class, () -> StreamClients.open(cfg).close());
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals(ErrorKind.RETRYABLE, e.kind(), e.toString());
        assertTrue(ms < 6_000, "took " + ms + " ms");
    }

    /**
     * A server that is not Kafka (here: one that answers every connection with an HTTP error and hangs
     * up, as a web server or a proxy on the wrong port does): the open fails CONFIGURATION within the
     * connect timeout, saying what answered (it took 37 s before, as "did not answer within PT2S").
     */
    @Test
    void aServerThatIsNotKafkaFailsWithinTheConnectTimeoutNamingTheCause() throws Exception {
        try (ServerSocket http = httpServer()) {
            ClientConfig cfg = ClientConfig.parse(
                    "kafka://127.0.0.1:" + http.getLocalPort() + "?connectTimeout=2s&closeTimeout=1s");
            long t0 = System.nanoTime();
            StreamException e = assertThrows(
                    StreamException.class, () -> StreamClients.open(cfg).close());
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            System.out.println("not Kafka: " + ms + " ms, " + e);
            assertEquals(ErrorKind.CONFIGURATION, e.kind(), e.toString());
            assertTrue(ms < 3_000, "took " + ms + " ms: " + e);
            assertTrue(e.getMessage().contains("is not a Kafka broker: it answered \"HTTP…\""), e.getMessage());
        }
    }

    /** A server that answers every connection with an HTTP error and hangs up. */
    private static ServerSocket httpServer() throws IOException {
        ServerSocket http = new ServerSocket(0);
        Thread t = new Thread(
                () -> {
                    while (!http.isClosed()) {
                        try (Socket c = http.accept()) {
                            c.getOutputStream()
                                    .write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
                                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                        } catch (IOException e) {
                            return;
                        }
                    }
                },
                "not-kafka");
        t.setDaemon(true);
        t.start();
        return http;
    }

    /** A server that accepts every connection and never answers (as Redis does with Kafka's bytes: it waits for a line). */
    private static ServerSocket silentServer(List<Socket> held) throws IOException {
        ServerSocket server = new ServerSocket(0);
        Thread t = new Thread(
                () -> {
                    while (!server.isClosed()) {
                        try {
                            Socket c = server.accept();
                            held.add(c); // kept open, never answered
                        } catch (IOException e) {
                            return;
                        }
                    }
                },
                "silent");
        t.setDaemon(true);
        t.start();
        return server;
    }

    /** A server that reads what a connection sends and closes it without answering a byte. */
    private static ServerSocket hangingUpServer() throws IOException {
        ServerSocket server = new ServerSocket(0);
        Thread t = new Thread(
                () -> {
                    while (!server.isClosed()) {
                        try (Socket c = server.accept()) {
                            c.setSoTimeout(300);
                            byte[] buf = new byte[4096];
                            try {
                                while (c.getInputStream().read(buf) >= 0) {
                                    // read what came, so that the close is an orderly one (a reset could be a network
                                    // failure)
                                }
                            } catch (java.net.SocketTimeoutException drained) {
                                // nothing more: hang up
                            }
                        } catch (IOException e) {
                            if (server.isClosed()) {
                                return;
                            }
                        }
                    }
                },
                "hanging-up");
        t.setDaemon(true);
        t.start();
        return server;
    }

    private static StreamException openFails(String uri, long[] tookMs) {
        ClientConfig cfg = ClientConfig.parse(uri);
        long t0 = System.nanoTime();
        StreamException e = assertThrows(
                StreamException.class, () -> StreamClients.open(cfg).close());
        tookMs[0] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        System.out.println(uri + ": " + tookMs[0] + " ms, " + e);
        return e;
    }

    /**
     * A server that accepts the connection and never answers: RETRYABLE (a frozen broker looks the same)
     * after the connect timeout — once, not the probe's and then the Kafka clients' again (21-22 s were
     * reported as "did not answer within PT10S") — saying what it did.
     */
    @Test
    void aServerThatAcceptsAndStaysSilentFailsRetryableAfterOneConnectTimeoutSayingSo() throws Exception {
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = silentServer(held)) {
            long[] ms = new long[1];
            StreamException e =
                    openFails("kafka://127.0.0.1:" + silent.getLocalPort() + "?connectTimeout=2s&closeTimeout=1s", ms);
            assertEquals(ErrorKind.RETRYABLE, e.kind(), e.toString());
            assertTrue(
                    e.getMessage().contains("did not answer within PT2S (connectTimeout)")
                            && e.getMessage()
                                    .contains("accepted the connection but did not answer Kafka's ApiVersions request"),
                    e.getMessage());
            assertTrue(ms[0] >= 1_900 && ms[0] < 3_500, "took " + ms[0] + " ms for a 2 s connect timeout");

            StreamException tls = openFails(
                    "kafka+ssl://127.0.0.1:" + silent.getLocalPort() + "?connectTimeout=2s&closeTimeout=1s", ms);
            assertEquals(ErrorKind.RETRYABLE, tls.kind(), tls.toString());
            assertTrue(
                    tls.getMessage().contains("did not answer within PT2S (connectTimeout)")
                            && tls.getMessage().contains("did not answer the TLS ClientHello"),
                    tls.getMessage());
            assertTrue(ms[0] >= 1_900 && ms[0] < 3_500, "took " + ms[0] + " ms for a 2 s connect timeout");
        } finally {
            for (Socket c : held) {
                c.close();
            }
        }
    }

    /** kafka+ssl:// at a port that answers in plain text, or hangs up at the ClientHello: CONFIGURATION at once. */
    @Test
    void aTlsUriAtAPortThatDoesNotSpeakTlsFailsConfigurationAtOnce() throws Exception {
        try (ServerSocket http = httpServer();
                ServerSocket hangUp = hangingUpServer()) {
            long[] ms = new long[1];
            StreamException e = openFails("kafka+ssl://127.0.0.1:" + http.getLocalPort() + "?connectTimeout=5s", ms);
            assertEquals(ErrorKind.CONFIGURATION, e.kind(), e.toString());
            assertTrue(
                    e.getMessage().contains("does not speak TLS: it answered \"HTTP…\" to a TLS ClientHello"),
                    e.getMessage());
            assertTrue(ms[0] < 3_000, "took " + ms[0] + " ms");

            e = openFails("kafka+ssl://127.0.0.1:" + hangUp.getLocalPort() + "?connectTimeout=5s", ms);
            assertEquals(ErrorKind.CONFIGURATION, e.kind(), e.toString());
            assertTrue(
                    e.getMessage().contains("does not speak TLS: it closed the connection at the TLS ClientHello"),
                    e.getMessage());
            assertTrue(ms[0] < 3_000, "took " + ms[0] + " ms");
        }
    }

    /**
     * A Kafka property the producer refuses fails CONFIGURATION before any connection is tried: here the
     * server is silent, and the answer comes at once rather than after the connect timeout.
     */
    @Test
    void aKafkaPropertyTheProducerRefusesFailsConfigurationBeforeAnyConnection() throws Exception {
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = silentServer(held)) {
            long[] ms = new long[1];
            StreamException e = openFails(
                    "kafka://127.0.0.1:" + silent.getLocalPort()
                            + "?connectTimeout=5s&kafka.producer.compression.type=bogus",
                    ms);
            assertEquals(ErrorKind.CONFIGURATION, e.kind(), e.toString());
            assertTrue(e.getMessage().contains("compression.type"), e.getMessage());
            assertTrue(ms[0] < 2_000, "took " + ms[0] + " ms");
            assertTrue(held.isEmpty(), "no connection was made");
        } finally {
            for (Socket c : held) {
                c.close();
            }
        }
    }
}
