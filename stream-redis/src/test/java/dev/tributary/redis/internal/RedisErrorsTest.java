package dev.tributary.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ErrorKind;
import dev.tributary.StreamException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class RedisErrorsTest {
    private static StreamException reply(String message) {
        return RedisErrors.map(new RedisCommandExecutionException(message), RedisErrors.Op.OTHER, "XADD orders", false);
    }

    @Test
    void serverRepliesMapOntoKinds() {
        assertEquals(
                ErrorKind.AUTHENTICATION,
                reply("WRONGPASS invalid username-password pair").kind());
        assertEquals(
                ErrorKind.AUTHENTICATION,
                reply("NOAUTH Authentication required.").kind());
        assertEquals(
                ErrorKind.AUTHENTICATION,
                reply("NOPERM this user has no permissions to run 'xadd'").kind());
        StreamException oom = reply("OOM command not allowed when used memory > 'maxmemory'.");
        assertEquals(ErrorKind.RETRYABLE, oom.kind());
        assertTrue(oom.getMessage().contains("out of memory"), oom.getMessage());
        StreamException wrongType = reply("WRONGTYPE Operation against a key holding the wrong kind of value");
        assertEquals(ErrorKind.CONFIGURATION, wrongType.kind());
        assertTrue(wrongType.getMessage().contains("orders"), "names the key: " + wrongType.getMessage());
        assertEquals(
                ErrorKind.CONFIGURATION,
                reply("ERR unknown command 'XAUTOCLAIM'").kind());
        assertEquals(
                ErrorKind.NOT_FOUND,
                reply("NOGROUP No such key 'orders' or consumer group 'g'").kind());
        assertEquals(
                ErrorKind.RETRYABLE,
                reply("LOADING Redis is loading the dataset in memory").kind());
        assertEquals(
                ErrorKind.RETRYABLE,
                reply("BUSY Redis is busy running a script").kind());
        assertEquals(ErrorKind.INTERNAL, reply("ERR something unexpected").kind());
    }

    @Test
    void lostRepliesAreIndeterminateForAppendsOnly() {
        RedisCommandTimeoutException timeout = new RedisCommandTimeoutException("Command timed out after 2 second(s)");
        assertEquals(
                ErrorKind.INDETERMINATE,
                RedisErrors.map(timeout, RedisErrors.Op.APPEND, "XADD s", false).kind());
        assertEquals(
                ErrorKind.RETRYABLE,
                RedisErrors.map(timeout, RedisErrors.Op.OTHER, "XRANGE s", false)
                        .kind());
        RedisException closed = new RedisException("Connection closed");
        assertEquals(
                ErrorKind.INDETERMINATE,
                RedisErrors.map(closed, RedisErrors.Op.APPEND, "XADD s", false).kind());
        assertEquals(
                ErrorKind.RETRYABLE,
                RedisErrors.map(closed, RedisErrors.Op.OTHER, "XRANGE s", false).kind());
        assertEquals(
                ErrorKind.RETRYABLE,
                RedisErrors.map(new IOException("Connection reset by peer"), RedisErrors.Op.OTHER, "XRANGE s", false)
                        .kind());
    }

    @Test
    void transportStatesMapOntoKinds() {
        assertEquals(
                ErrorKind.RETRYABLE,
                RedisErrors.map(
                                new RedisException("Currently not connected. Commands are " + "rejected."),
                                RedisErrors.Op.APPEND,
                                "XADD s",
                                false)
                        .kind(),
                "never sent: safe to retry");
        assertEquals(
                ErrorKind.BACKPRESSURE,
                RedisErrors.map(
                                new RedisException("Request queue size exceeded: 16. "
                                        + "Commands are not accepted until the queue size drops."),
                                RedisErrors.Op.APPEND,
                                "XADD s",
                                false)
                        .kind());
        assertEquals(
                ErrorKind.RETRYABLE,
                RedisErrors.map(
                                new RedisConnectionException("Unable to connect to h:1"),
                                RedisErrors.Op.OTHER,
                                "connect",
                                false)
                        .kind());
        RedisConnectionException auth = new RedisConnectionException(
                "Unable to connect", new RedisCommandExecutionException("WRONGPASS invalid username-password pair"));
        assertEquals(
                ErrorKind.AUTHENTICATION,
                RedisErrors.map(new CompletionException(auth), RedisErrors.Op.OTHER, "connect", false)
                        .kind());
        assertEquals(
                ErrorKind.CLOSED,
                RedisErrors.map(new RedisException("Connection closed"), RedisErrors.Op.OTHER, "XREAD s", true)
                        .kind());
    }

    @Test
    void clusterAndFailoverRepliesAreRetryableAndAClusterAuthFailureIsAuthentication() {
        for (String reply : new String[] {
            "MOVED 3999 127.0.0.1:6381",
            "ASK 3999 127.0.0.1:6381",
            "CLUSTERDOWN The cluster is down",
            "TRYAGAIN Multiple keys request during rehashing of slot",
            "NOREPLICAS Not enough good replicas to write",
            "READONLY You can't write against a read only replica."
        }) {
            assertEquals(
                    ErrorKind.RETRYABLE,
                    RedisErrors.map(new RedisCommandExecutionException(reply), RedisErrors.Op.APPEND, "XADD s", false)
                            .kind(),
                    reply);
        }
        assertEquals(
                ErrorKind.RETRYABLE,
                RedisErrors.map(
                                new RedisException("Cannot determine a partition for slot 42."),
                                RedisErrors.Op.APPEND,
                                "XADD s",
                                false)
                        .kind());
        // Lettuce's cluster client reports each seed's failure as a suppressed exception
        RuntimeException partitions = new RuntimeException("Cannot retrieve cluster partitions");
        partitions.addSuppressed(new RedisConnectionException(
                "Unable to connect to 127.0.0.1:7000",
                new RedisCommandExecutionException("WRONGPASS invalid username-password pair or user is disabled.")));
        assertEquals(
                ErrorKind.AUTHENTICATION,
                RedisErrors.map(
                                new RedisConnectionException(
                                        "Unable to establish a " + "connection to Redis Cluster", partitions),
                                RedisErrors.Op.OTHER,
                                "connect",
                                false)
                        .kind());
    }
}
