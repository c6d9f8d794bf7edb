package dev.tributary.kafka.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ClientConfig;
import dev.tributary.ErrorKind;
import dev.tributary.StreamClients;
import dev.tributary.StreamException;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Opening a client needs no broker to fail well: an address where nothing listens. */
class UnreachableBrokerTest {

    @Test
    void openingAgainstNoBrokerFailsRetryableWithinTheConnectTimeout() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ClientConfig cfg = ClientConfig.parse("kafka://127.0.0.1:" + port + "?connectTimeout=1s&closeTimeout=1s");
        long t0 = System.nanoTime();
        StreamException e = assertThrows(StreamException.class, () -> StreamClients.open(cfg).close());
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
        try (ServerSocket http = new ServerSocket(0)) {
            Thread t = new Thread(() -> {
                while (!http.isClosed()) {
                    try (java.net.Socket c = http.accept()) {
                        c.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
                                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            }, "not-kafka");
            t.setDaemon(true);
            t.start();
            ClientConfig cfg = ClientConfig.parse("kafka://127.0.0.1:" + http.getLocalPort()
                    + "?connectTimeout=2s&closeTimeout=1s");
            long t0 = System.nanoTime();
            StreamException e = assertThrows(StreamException.class, () -> StreamClients.open(cfg).close());
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            System.out.println("not Kafka: " + ms + " ms, " + e);
            assertEquals(ErrorKind.CONFIGURATION, e.kind(), e.toString());
            assertTrue(ms < 3_000, "took " + ms + " ms: " + e);
            assertTrue(e.getMessage().contains("is not a Kafka broker: it answered \"HTTP…\""), e.getMessage());
        }
    }
}
