package dev.tributary.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ClientConfig;
import dev.tributary.ErrorKind;
import dev.tributary.StreamClients;
import dev.tributary.StreamException;
import dev.tributary.tck.fixture.RedisProbe;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A connect that cannot work says why in its one line, with a fatal kind and at once — not "cannot
 * connect" (RETRYABLE) after the connect timeout. Each case runs with a 20 s connect and request timeout,
 * so an answer well inside it shows nothing waited for a timeout.
 */
class RedisConnectErrorsIT {
    private static final String SLOW = "connectTimeout=20s&requestTimeout=20s&closeTimeout=2s";
    private static final long BOUND_MS = 10_000;

    private static URI server() {
        return RedisFixture.shared().config().uri();
    }

    /** Opens {@code uri}, expects a failure; returns it with the time it took checked against {@link #BOUND_MS}. */
    private static StreamException failsFast(String uri) {
        long t0 = System.nanoTime();
        StreamException e = assertThrows(
                StreamException.class,
                () -> StreamClients.open(ClientConfig.parse(uri)).close());
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        System.out.println(uri + " -> " + ms + " ms: " + e.kind() + " " + e.getMessage());
        assertTrue(ms < BOUND_MS, "took " + ms + " ms: " + e);
        return e;
    }

    @Test
    void aDatabaseTheServerDoesNotHaveIsConfigurationNamingTheIndexAndTheCount() {
        String count = RedisProbe.call(server().getPort(), Duration.ofSeconds(5), "CONFIG", "GET", "databases")
                .split("\n")[1];
        int missing = Integer.parseInt(count);
        StreamException e = failsFast("redis://127.0.0.1:" + server().getPort() + "/" + missing + "?" + SLOW);
        assertEquals(ErrorKind.CONFIGURATION, e.kind(), e.toString());
        assertTrue(
                e.getMessage()
                        .contains("database " + missing + " does not exist on the Redis server (it has " + count
                                + " databases, 0 to " + (missing - 1) + ")"),
                e.getMessage());
    }

    @Test
    void tlsAgainstThePlainPortIsConfigurationSayingItDoesNotSpeakTls() {
        StreamException e = failsFast("rediss://127.0.0.1:" + server().getPort() + "?" + SLOW);
        assertEquals(ErrorKind.CONFIGURATION, e.kind(), e.toString());
        assertTrue(
                e.getMessage().contains("does not speak TLS: a Redis server answered PING in plain text"),
                e.getMessage());
        assertTrue(e.getMessage().contains("use redis://"), e.getMessage());
    }

    @Test
    void aServerThatIsNotRedisIsConfigurationNamingWhatAnswered() throws IOException {
        try (ServerSocket http = new ServerSocket(0)) {
            Thread t = new Thread(
                    () -> {
                        while (!http.isClosed()) {
                            try (Socket c = http.accept()) {
                                c.setSoTimeout(2000);
                                c.getInputStream().read(new byte[512]);
                                c.getOutputStream()
                                        .write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
                                                .getBytes(StandardCharsets.US_ASCII));
                            } catch (IOException e) {
                                // next connection, or closed
                            }
                        }
                    },
                    "not-redis");
            t.setDaemon(true);
            t.start();
            for (String scheme : new String[] {"redis", "rediss"}) {
                StreamException e = failsFast(scheme + "://127.0.0.1:" + http.getLocalPort() + "?" + SLOW);
                assertEquals(ErrorKind.CONFIGURATION, e.kind(), e.toString());
                assertTrue(e.getMessage().contains("\"HTTP/1.1 400 Bad Request"), e.getMessage());
                assertTrue(e.getMessage().contains("not a Redis server"), e.getMessage());
            }
        }
    }
}
