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
}
