package dev.tributary.redis.internal;

import dev.tributary.ClientConfig;
import dev.tributary.ErrorKind;
import dev.tributary.StreamException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * The validated settings of one Redis client, read from a {@link ClientConfig}: address, TLS,
 * credentials, timeouts and the backend options documented in the README. Immutable.
 * {@link #toString()} never shows the password.
 */
public final class RedisSettings {
    static final Set<String> OPTIONS = Set.of("user", "password", "blockingPoolSize", "requestQueueSize",
            "maxPayloadBytes", "maxHeaderBytes", "dedupWindow", "appendMaxLen", "reconnectMaxDelay", "ioThreads",
            "clientName", "tlsVerify", "tlsCaCert", "tlsTrustStore", "tlsTrustStorePassword", "tlsCert", "tlsKey",
            "tlsKeyPassword");

    final ClientConfig config;
    final String host;
    final int port;
    final int database;
    final boolean tls;
    final String user;
    final char[] password;
    final String keyPrefix;
    final String sidePrefix;
    final Duration connectTimeout;
    final Duration requestTimeout;
    final Duration closeTimeout;
    final int maxInFlightAppends;
    final int blockingPoolSize;
    final int requestQueueSize;
    final int maxPayloadBytes;
    final int maxHeaderBytes;
    final Duration dedupWindow;
    final long appendMaxLen;
    final Duration reconnectMaxDelay;
    final int ioThreads;
    final String clientName;
    final String tlsVerify;
    final Path tlsCaCert;
    final Path tlsTrustStore;
    final String tlsTrustStorePassword;
    final Path tlsCert;
    final Path tlsKey;
    final String tlsKeyPassword;

    private RedisSettings(ClientConfig c) {
        this.config = c;
        URI uri = c.uri();
        for (String name : c.options().keySet()) {
            if (!OPTIONS.contains(name)) {
                throw conf("unknown option '" + name + "' for the redis backend; known options: "
                        + String.join(", ", new java.util.TreeSet<>(OPTIONS)));
            }
        }
        if (uri.isOpaque() || uri.getHost() == null || uri.getHost().isEmpty()) {
            throw conf("URI '" + c.safeUri() + "' names no host; write redis://HOST[:PORT][/DB] or rediss://...");
        }
        this.host = uri.getHost();
        this.port = uri.getPort() < 0 ? 6379 : uri.getPort();
        this.tls = "rediss".equals(c.scheme());
        String path = uri.getPath();
        if (path == null || path.isEmpty() || "/".equals(path)) {
            this.database = 0;
        } else {
            try {
                this.database = Integer.parseInt(path.substring(1));
            } catch (NumberFormatException e) {
                throw conf("URI path '" + path + "' is not a database number; write redis://HOST:PORT/0");
            }
            if (database < 0 || database > 10_000) {
                throw conf("database number " + database + " is out of range");
            }
        }
        String u = c.option("user").orElse(null);
        String p = c.option("password").orElse(null);
        String info = uri.getRawUserInfo();
        if (info != null && !info.isEmpty()) {
            int colon = info.indexOf(':');
            if (colon < 0) {
                p = decode(info);
            } else {
                String userPart = decode(info.substring(0, colon));
                u = userPart.isEmpty() ? u : userPart;
                p = decode(info.substring(colon + 1));
            }
        }
        this.user = u == null || u.isEmpty() ? null : u;
        this.password = p == null ? null : p.toCharArray();
        if (user != null && password == null) {
            throw conf("user '" + user + "' is given without a password");
        }
        String ns = c.namespace().orElse(null);
        this.keyPrefix = ns == null ? "" : ns + ":";
        this.sidePrefix = (ns == null ? "" : ns + ":") + "tributary:";
        this.connectTimeout = c.connectTimeout();
        this.requestTimeout = c.requestTimeout();
        this.closeTimeout = c.closeTimeout();
        this.maxInFlightAppends = c.maxInFlightAppends();
        this.blockingPoolSize = (int) range(c, "blockingPoolSize", 8, 1, 1024);
        this.requestQueueSize = (int) range(c, "requestQueueSize", Math.max(1024L, maxInFlightAppends + 1024L), 16,
                10_000_000);
        this.maxPayloadBytes = (int) range(c, "maxPayloadBytes", 4L << 20, 1, 512L << 20);
        this.maxHeaderBytes = (int) range(c, "maxHeaderBytes", 64L << 10, 1, 1L << 20);
        this.dedupWindow = duration(c, "dedupWindow", Duration.ofMinutes(2), Duration.ofMillis(1), Duration.ofDays(7));
        this.appendMaxLen = range(c, "appendMaxLen", 0, 0, Long.MAX_VALUE / 2);
        this.reconnectMaxDelay = duration(c, "reconnectMaxDelay", Duration.ofSeconds(1), Duration.ofMillis(1),
                Duration.ofMinutes(5));
        this.ioThreads = (int) range(c, "ioThreads", 2, 1, 64);
        this.clientName = c.option("clientName").orElse(null);
        this.tlsVerify = c.option("tlsVerify").map(v -> v.trim().toLowerCase(Locale.ROOT)).orElse("full");
        if (!Set.of("full", "ca", "none").contains(tlsVerify)) {
            throw conf("tlsVerify=" + tlsVerify + " is not one of full, ca, none");
        }
        this.tlsCaCert = file(c, "tlsCaCert");
        this.tlsTrustStore = file(c, "tlsTrustStore");
        this.tlsTrustStorePassword = c.option("tlsTrustStorePassword").orElse(null);
        this.tlsCert = file(c, "tlsCert");
        this.tlsKey = file(c, "tlsKey");
        this.tlsKeyPassword = c.option("tlsKeyPassword").orElse(null);
        if ((tlsCert == null) != (tlsKey == null)) {
            throw conf("tlsCert and tlsKey go together (a PEM client certificate chain and its PKCS#8 key)");
        }
        if (!tls && (tlsCaCert != null || tlsTrustStore != null || tlsCert != null)) {
            throw conf("TLS options are set but the URI scheme is redis://; use rediss:// for TLS");
        }
    }

    /** Reads and validates the settings. */
    public static RedisSettings from(ClientConfig config) {
        return new RedisSettings(config);
    }

    /** The Redis key of a stream. */
    public String streamKey(String stream) {
        return keyPrefix + stream;
    }

    /** The hash holding the ack timeouts and deletion markers of a stream's groups. */
    public String groupsKey(String stream) {
        return sidePrefix + "groups:" + stream;
    }

    /** The dedup key of one idempotency id. */
    public String dedupKey(String stream, String idempotencyId) {
        return sidePrefix + "dedup:" + stream + ":" + idempotencyId;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static long range(ClientConfig c, String name, long def, long min, long max) {
        long v = c.longOption(name).orElse(def);
        if (v < min || v > max) {
            throw conf("option " + name + "=" + v + " is out of range; allowed " + min + " to " + max);
        }
        return v;
    }

    private static Duration duration(ClientConfig c, String name, Duration def, Duration min, Duration max) {
        Duration d = c.durationOption(name).orElse(def);
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw conf("option " + name + "=" + d + " is out of range; allowed " + min + " to " + max);
        }
        return d;
    }

    private static Path file(ClientConfig c, String name) {
        String v = c.option(name).orElse(null);
        if (v == null) {
            return null;
        }
        Path p = Path.of(v);
        if (!Files.isReadable(p)) {
            throw conf("option " + name + " names a file that cannot be read: " + v);
        }
        return p;
    }

    static StreamException conf(String message) {
        return new StreamException(ErrorKind.CONFIGURATION, message);
    }

    /** Host, port, database and TLS, without credentials. */
    public String describe() {
        return (tls ? "rediss://" : "redis://") + (user != null ? user + ":****@" : password != null ? ":****@" : "")
                + host + ":" + port + "/" + database;
    }

    @Override
    public String toString() {
        return "RedisSettings[" + describe() + ", prefix='" + keyPrefix + "', requestTimeout=" + requestTimeout
                + ", connectTimeout=" + connectTimeout + ", blockingPoolSize=" + blockingPoolSize + "]";
    }
}
