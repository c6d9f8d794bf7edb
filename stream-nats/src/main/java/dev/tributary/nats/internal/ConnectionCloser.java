package dev.tributary.nats.internal;

import io.nats.client.Connection;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a client's connection within a bound, on a thread of its own: with a frozen server jnats'
 * close can block on the socket, and a client's close must stay bounded. What did not close in time
 * is left to close in the background, with a warning.
 */
final class ConnectionCloser {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionCloser.class);

    private ConnectionCloser() {}

    /** Flushes (best effort) and closes {@code connection}, waiting at most {@code remaining}. */
    static void close(Connection connection, Duration remaining, NatsErrors errors, NatsSettings settings) {
        long deadline = System.nanoTime() + remaining.toNanos();
        Thread closer = new Thread(
                () -> {
                    try {
                        if (connection.getStatus() == Connection.Status.CONNECTED) {
                            // acks and consumer deletes published without waiting: let them leave
                            connection.flush(Duration.ofMillis(Math.max(1, remaining.toMillis() / 3)));
                        }
                    } catch (Exception e) {
                        // best effort: the server may be frozen
                    }
                    try {
                        connection.close();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (RuntimeException e) {
                        LOG.debug("closing the NATS connection failed: {}", errors.redact(e.toString()));
                    }
                },
                "tributary-nats-close");
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (closer.isAlive()) {
            LOG.warn(
                    "the NATS connection to {} did not close within {}; leaving it to close in the background",
                    settings.safeUri(),
                    settings.closeTimeout());
        }
    }
}
