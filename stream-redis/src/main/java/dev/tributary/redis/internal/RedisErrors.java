package dev.tributary.redis.internal;

import dev.tributary.ErrorKind;
import dev.tributary.StreamException;
import dev.tributary.spi.TlsFailure;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Maps Redis replies and Lettuce failures onto {@link ErrorKind}. The rules (also in the README):
 * refused / reset / not connected / timeout → RETRYABLE, except for an append that was sent and got
 * no reply → INDETERMINATE; WRONGPASS / NOAUTH / NOPERM → AUTHENTICATION; OOM → RETRYABLE with the
 * reason; LOADING / BUSY / MASTERDOWN / READONLY / TRYAGAIN → RETRYABLE; unknown command / WRONGTYPE →
 * CONFIGURATION naming the key; NOGROUP → NOT_FOUND (callers refine it to DATA_LOSS); a full request
 * queue → BACKPRESSURE; anything else → INTERNAL. Messages never carry credentials.
 */
public final class RedisErrors {
    /** What the failed call was doing; decides between RETRYABLE and INDETERMINATE. */
    public enum Op {
        /** An append: a lost reply leaves the outcome unknown. */
        APPEND,
        /** Anything that is safe to repeat. */
        OTHER
    }

    private RedisErrors() {}

    /** The cause behind future wrappers. */
    static Throwable unwrap(Throwable t) {
        Throwable cur = t;
        while ((cur instanceof CompletionException || cur instanceof ExecutionException) && cur.getCause() != null) {
            cur = cur.getCause();
        }
        return cur;
    }

    /**
     * Maps a failure.
     *
     * @param what   the command and stream key, e.g. {@code "XADD orders"}, for the message
     * @param closed whether the client (or the reader) was closed: then everything is CLOSED
     */
    public static StreamException map(Throwable failure, Op op, String what, boolean closed) {
        Throwable t = unwrap(failure);
        if (t instanceof StreamException se) {
            return se;
        }
        if (closed) {
            return new StreamException(ErrorKind.CLOSED, what + ": the client is closed", t);
        }
        if (t instanceof RedisCommandExecutionException) {
            return fromReply(String.valueOf(t.getMessage()), what, t);
        }
        if (t instanceof RedisCommandTimeoutException || t instanceof TimeoutException) {
            if (op == Op.APPEND) {
                return new StreamException(
                        ErrorKind.INDETERMINATE,
                        what + ": no reply within the request timeout; "
                                + "the append may or may not have been stored (retry with an idempotency id)",
                        t);
            }
            return new StreamException(
                    ErrorKind.RETRYABLE, what + ": no reply from Redis within the request timeout", t);
        }
        if (t instanceof RedisCommandInterruptedException || t instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return new StreamException(ErrorKind.RETRYABLE, what + ": interrupted while waiting for Redis", t);
        }
        if (t instanceof CancellationException) {
            return new StreamException(
                    op == Op.APPEND ? ErrorKind.INDETERMINATE : ErrorKind.RETRYABLE,
                    what + ": the command was cancelled (connection lost)",
                    t);
        }
        if (t instanceof RedisConnectionException) {
            StreamException auth = authCause(t, what);
            if (auth != null) {
                return auth;
            }
            for (Throwable c = t; c != null && c.getCause() != c; c = c.getCause()) {
                if (c instanceof javax.net.ssl.SSLHandshakeException
                        || c instanceof java.security.cert.CertificateException) {
                    // a certificate problem is named as on every backend (what includes the URI's host)
                    String why = TlsFailure.of(c).orElse(TlsFailure.HANDSHAKE) == TlsFailure.HANDSHAKE
                            ? "the TLS handshake failed (" + shortMessage(c) + "); check tlsCaCert / tlsTrustStore / "
                                    + "tlsVerify and the server certificate"
                            : TlsFailure.explain(c, null, "tlsCaCert (a PEM file) or tlsTrustStore", "tlsVerify=ca");
                    return new StreamException(ErrorKind.CONFIGURATION, what + ": " + why, t);
                }
            }
            return new StreamException(
                    ErrorKind.RETRYABLE, what + ": cannot connect to Redis: " + shortMessage(t) + rootCause(t), t);
        }
        if (t instanceof ClosedChannelException || t instanceof IOException) {
            return lost(op, what, t);
        }
        if (t instanceof RedisException) {
            String m = String.valueOf(t.getMessage());
            if (m.startsWith("Cannot determine a partition")) {
                return new StreamException(
                        ErrorKind.RETRYABLE,
                        what + ": no Redis Cluster node serves the key's slot "
                                + "in the client's view (failover under way?); the command was not sent",
                        t);
            }
            if (m.contains("Request queue size exceeded") || m.contains("Command buffer size exceeded")) {
                return new StreamException(
                        ErrorKind.BACKPRESSURE,
                        what + ": the request queue of the shared "
                                + "connection is full (option requestQueueSize); slow down",
                        t);
            }
            if (m.contains("not connected") || m.contains("Commands are rejected")) {
                return new StreamException(
                        ErrorKind.RETRYABLE,
                        what + ": not connected to Redis (reconnecting); " + "the command was not sent",
                        t);
            }
            if (m.contains("Connection closed") || m.contains("Connection reset") || m.contains("closed")) {
                return lost(op, what, t);
            }
            StreamException auth = authCause(t, what);
            if (auth != null) {
                return auth;
            }
            return new StreamException(
                    op == Op.APPEND ? ErrorKind.INDETERMINATE : ErrorKind.RETRYABLE, what + ": " + shortMessage(t), t);
        }
        return new StreamException(ErrorKind.INTERNAL, what + ": unexpected failure: " + shortMessage(t), t);
    }

    private static StreamException lost(Op op, String what, Throwable t) {
        if (op == Op.APPEND) {
            return new StreamException(
                    ErrorKind.INDETERMINATE,
                    what + ": the connection was lost before the reply "
                            + "arrived; the append may or may not have been stored",
                    t);
        }
        return new StreamException(ErrorKind.RETRYABLE, what + ": the connection to Redis was lost", t);
    }

    /**
     * A rejected AUTH anywhere in the causes — or in the suppressed exceptions, where Lettuce's cluster
     * client puts the failure of each seed node when it cannot read the topology.
     */
    private static StreamException authCause(Throwable t, String what) {
        return authCause(t, what, 0);
    }

    private static StreamException authCause(Throwable t, String what, int depth) {
        for (Throwable c = t; c != null && depth < 8; c = c.getCause()) {
            if (c instanceof RedisCommandExecutionException) {
                String m = String.valueOf(c.getMessage());
                if (isAuth(m)) {
                    return fromReply(m, what, c);
                }
            }
            for (Throwable s : c.getSuppressed()) {
                StreamException found = authCause(s, what, depth + 1);
                if (found != null) {
                    return found;
                }
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }

    private static boolean isAuth(String m) {
        return m.startsWith("WRONGPASS")
                || m.startsWith("NOAUTH")
                || m.startsWith("NOPERM")
                || m.contains("invalid password")
                || m.contains("invalid username-password");
    }

    /** Maps an error reply of the server. */
    static StreamException fromReply(String message, String what, Throwable cause) {
        String m = message;
        if (isAuth(m)) {
            if (m.startsWith("NOPERM")) {
                return new StreamException(
                        ErrorKind.AUTHENTICATION,
                        what + ": the Redis user lacks a permission (" + firstLine(m) + "); grant it with ACL SETUSER",
                        cause);
            }
            return new StreamException(
                    ErrorKind.AUTHENTICATION,
                    what + ": Redis rejected the credentials (" + firstLine(m)
                            + "); check the user and password of the URI",
                    cause);
        }
        if (m.startsWith("OOM")) {
            return new StreamException(
                    ErrorKind.RETRYABLE,
                    what + ": Redis is out of memory (maxmemory reached and "
                            + "nothing can be evicted); trim streams or raise maxmemory: " + firstLine(m),
                    cause);
        }
        if (m.startsWith("LOADING")
                || m.startsWith("BUSY")
                || m.startsWith("MASTERDOWN")
                || m.startsWith("READONLY")
                || m.startsWith("TRYAGAIN")
                || m.startsWith("CLUSTERDOWN")
                || m.startsWith("NOREPLICAS")
                || m.startsWith("MOVED")
                || m.startsWith("ASK")) {
            return new StreamException(
                    ErrorKind.RETRYABLE, what + ": Redis is temporarily unavailable: " + firstLine(m), cause);
        }
        if (m.startsWith("WRONGTYPE")) {
            return new StreamException(
                    ErrorKind.CONFIGURATION,
                    what + ": the key holds another type than a stream; " + "choose another stream name or namespace",
                    cause);
        }
        if (m.startsWith("NOGROUP")) {
            return new StreamException(
                    ErrorKind.NOT_FOUND, what + ": the stream or consumer group does not exist", cause);
        }
        if (m.startsWith("ERR unknown command")
                || m.startsWith("ERR unknown subcommand")
                || m.contains("Unknown XINFO subcommand")) {
            return new StreamException(
                    ErrorKind.CONFIGURATION,
                    what + ": this Redis server does not support the " + "command (" + firstLine(m)
                            + "); Redis 7.0 or newer is required",
                    cause);
        }
        if (m.startsWith("NOSCRIPT")) {
            return new StreamException(
                    ErrorKind.RETRYABLE, what + ": the script is not loaded: " + firstLine(m), cause);
        }
        return new StreamException(ErrorKind.INTERNAL, what + ": Redis replied with an error: " + firstLine(m), cause);
    }

    private static String firstLine(String m) {
        int nl = m.indexOf('\n');
        String s = nl >= 0 ? m.substring(0, nl) : m;
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    /**
     * " (the innermost cause's class and first line)" when {@code t} has a cause, else "": Lettuce's
     * "Unable to connect to host:port" alone does not say whether the port refused, the server was
     * loading its data or the handshake timed out.
     */
    private static String rootCause(Throwable t) {
        Throwable root = t;
        for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 10; depth++) {
            root = root.getCause();
        }
        return root == t ? "" : " (" + root.getClass().getSimpleName() + ": " + shortMessage(root) + ")";
    }

    private static String shortMessage(Throwable t) {
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : firstLine(m);
    }
}
