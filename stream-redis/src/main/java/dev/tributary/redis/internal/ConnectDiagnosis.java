package dev.tributary.redis.internal;

import dev.tributary.ErrorKind;
import dev.tributary.StreamException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.protocol.RedisProtocolException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * Names the real cause of a failed connect, where Lettuce reports "unable to connect" for causes that no
 * retry can help (each {@link ErrorKind#CONFIGURATION}, at once):
 * <ul>
 *   <li>a database index the server does not have ({@code ERR DB index is out of range}), with the
 *       server's database count when it tells ({@code CONFIG GET databases});</li>
 *   <li>a server at the port that is not Redis (it answered something that is not RESP), or a TLS port
 *       reached with {@code redis://};</li>
 *   <li>{@code rediss://} against a port that speaks plain text: checked <em>before</em> the handshake
 *       ({@link #notTls}), as a plain Redis server never answers a ClientHello and the handshake would
 *       only end with the connect timeout.</li>
 * </ul>
 * The questions are asked with {@link PortProbe} on a socket of their own, bounded by the connect
 * timeout (at most 2 s each). Everything else is left to {@link RedisErrors}.
 */
final class ConnectDiagnosis {
    private static final Duration MAX_PROBE = Duration.ofSeconds(2);

    private ConnectDiagnosis() {}

    /**
     * Before a TLS connect: the error to fail with when every address that answered speaks plain text
     * (so the handshake could only time out), else null.
     */
    static StreamException notTls(RedisSettings s) {
        Duration each = min(s.connectTimeout.dividedBy(Math.max(1, s.nodes.size())), MAX_PROBE);
        StreamException found = null;
        for (RedisAddress.Node n : s.nodes) {
            PortProbe.Answer a = PortProbe.ping(n.host(), n.port(), each);
            if (a.speaks() != PortProbe.Speaks.RESP && a.speaks() != PortProbe.Speaks.OTHER) {
                return null; // TLS, or nothing to tell: the handshake decides
            }
            found = plainAtTlsPort(s, n, a);
        }
        return found;
    }

    private static StreamException plainAtTlsPort(RedisSettings s, RedisAddress.Node n, PortProbe.Answer a) {
        String what = a.speaks() == PortProbe.Speaks.RESP
                ? "a Redis server answered PING in plain text (" + a.shown() + "); use redis:// for this port, or "
                        + "rediss:// with the server's tls-port"
                : "it answered " + a.shown() + " in plain text, and it is not a Redis server either";
        return new StreamException(
                ErrorKind.CONFIGURATION, "connect to " + s.describe() + ": " + n + " does not speak TLS: " + what);
    }

    /**
     * After a failed connect: the error that names the real cause, or null when the failure says nothing
     * this class knows (RedisErrors maps it).
     *
     * @param databases the server's database count, asked only when the index was refused
     */
    static StreamException explain(Throwable failure, RedisSettings s, Supplier<OptionalInt> databases) {
        List<Throwable> causes = causes(failure);
        for (Throwable c : causes) {
            if (c instanceof RedisCommandExecutionException
                    && String.valueOf(c.getMessage()).contains("DB index is out of range")) {
                return noSuchDatabase(s, databases.get(), failure);
            }
        }
        boolean protocol = causes.stream().anyMatch(c -> c instanceof RedisProtocolException);
        boolean tls = causes.stream().anyMatch(c -> c instanceof SSLException);
        boolean dropped = causes.stream()
                .anyMatch(c -> c instanceof IOException
                                && !(c instanceof SSLException)
                                && !(c instanceof java.net.ConnectException)
                                && !(c instanceof java.net.UnknownHostException)
                        || String.valueOf(c.getMessage()).contains("closed prematurely"));
        if (!protocol && !tls && !dropped) {
            return null; // refused, unresolvable, timed out, rejected credentials: RedisErrors says it
        }
        Duration bound = min(s.connectTimeout, MAX_PROBE);
        for (RedisAddress.Node n : s.nodes) {
            PortProbe.Answer a = PortProbe.ping(n.host(), n.port(), bound);
            if (s.tls && (a.speaks() == PortProbe.Speaks.RESP || a.speaks() == PortProbe.Speaks.OTHER)) {
                StreamException e = plainAtTlsPort(s, n, a);
                return new StreamException(e.kind(), e.getMessage(), failure);
            }
            if (!s.tls && a.speaks() == PortProbe.Speaks.OTHER) {
                return new StreamException(
                        ErrorKind.CONFIGURATION,
                        "connect to " + s.describe() + ": the server at " + n + " is not a Redis server: it answered "
                                + a.shown() + " to PING; check the host and port",
                        failure);
            }
            if (!s.tls
                    && (a.speaks() == PortProbe.Speaks.TLS
                            || a.speaks() == PortProbe.Speaks.NOTHING
                                    && PortProbe.speaksTls(n.host(), n.port(), bound))) {
                return new StreamException(
                        ErrorKind.CONFIGURATION,
                        "connect to " + s.describe() + ": the server at " + n
                                + " speaks TLS, not plain-text Redis; use rediss:// (and the TLS options) for it",
                        failure);
            }
        }
        return null;
    }

    private static StreamException noSuchDatabase(RedisSettings s, OptionalInt count, Throwable failure) {
        String has = count.isPresent()
                ? " (it has " + count.getAsInt()
                        + (count.getAsInt() == 1 ? " database, 0)" : " databases, 0 to " + (count.getAsInt() - 1) + ")")
                : " (it did not tell how many it has: CONFIG GET databases was refused)";
        return new StreamException(
                ErrorKind.CONFIGURATION,
                "connect to " + s.describe() + ": database " + s.database + " does not exist on the Redis server" + has
                        + "; choose a database in the URI path, e.g. /0",
                failure);
    }

    /** The failure, its causes and (for Lettuce's cluster client) their suppressed exceptions, once each. */
    private static List<Throwable> causes(Throwable t) {
        List<Throwable> out = new ArrayList<>();
        collect(t, out, 0);
        return out;
    }

    private static void collect(Throwable t, List<Throwable> out, int depth) {
        for (Throwable c = t; c != null && depth < 8 && !out.contains(c); c = c.getCause()) {
            out.add(c);
            for (Throwable s : c.getSuppressed()) {
                collect(s, out, depth + 1);
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
