package dev.tributary.redis.internal;

import dev.tributary.ClientConfig;
import dev.tributary.spi.OptionReader;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
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
        OptionReader o = c.optionReader("Redis", OPTIONS);
        URI uri = c.uri();
        boolean hostless = uri.isOpaque() || uri.getHost() == null || uri.getHost().isEmpty();
        if (hostless) {
            o.problem("URI '" + c.safeUri() + "' names no host; write redis://HOST[:PORT][/DB] or rediss://...");
        }
        this.host = hostless ? "" : uri.getHost();
        this.port = uri.getPort() < 0 ? 6379 : uri.getPort();
        this.tls = "rediss".equals(c.scheme());
        this.database = database(uri.getPath(), o);
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
            o.problem("user '" + user + "' is given without a password");
        }
        String ns = c.namespace().orElse(null);
        this.keyPrefix = ns == null ? "" : ns + ":";
        this.sidePrefix = (ns == null ? "" : ns + ":") + "tributary:";
        this.connectTimeout = c.connectTimeout();
        this.requestTimeout = c.requestTimeout();
        this.closeTimeout = c.closeTimeout();
        this.maxInFlightAppends = c.maxInFlightAppends();
        this.blockingPoolSize = (int) o.range("blockingPoolSize", 8, 1, 1024);
        this.requestQueueSize = (int) o.range("requestQueueSize", Math.max(1024L, maxInFlightAppends + 1024L), 16,
                10_000_000);
        this.maxPayloadBytes = (int) o.range("maxPayloadBytes", 4L << 20, 1, 512L << 20);
        this.maxHeaderBytes = (int) o.range("maxHeaderBytes", 64L << 10, 1, 1L << 20);
        this.dedupWindow = o.duration("dedupWindow", Duration.ofMinutes(2), Duration.ofMillis(1), Duration.ofDays(7));
        this.appendMaxLen = o.range("appendMaxLen", 0, 0, Long.MAX_VALUE / 2);
        this.reconnectMaxDelay = o.duration("reconnectMaxDelay", Duration.ofSeconds(1), Duration.ofMillis(1),
                Duration.ofMinutes(5));
        this.ioThreads = (int) o.range("ioThreads", 2, 1, 64);
        this.clientName = c.option("clientName").orElse(null);
        this.tlsVerify = o.choice("tlsVerify", "full", "full", "ca", "none");
        this.tlsCaCert = o.readableFile("tlsCaCert").orElse(null);
        this.tlsTrustStore = o.readableFile("tlsTrustStore").orElse(null);
        this.tlsTrustStorePassword = c.option("tlsTrustStorePassword").orElse(null);
        this.tlsCert = o.readableFile("tlsCert").orElse(null);
        this.tlsKey = o.readableFile("tlsKey").orElse(null);
        this.tlsKeyPassword = c.option("tlsKeyPassword").orElse(null);
        if (c.option("tlsCert").isPresent() != c.option("tlsKey").isPresent()) {
            o.problem("tlsCert and tlsKey go together (a PEM client certificate chain and its PKCS#8 key)");
        }
        if (!tls && (c.option("tlsCaCert").isPresent() || c.option("tlsTrustStore").isPresent()
                || c.option("tlsCert").isPresent() || c.option("tlsKey").isPresent())) {
            o.problem("TLS options are set but the URI scheme is redis://; use rediss:// for TLS");
        }
        o.check();
    }

    /** The database number of the URI path ({@code /3}); 0 without a path. */
    private static int database(String path, OptionReader o) {
        if (path == null || path.isEmpty() || "/".equals(path)) {
            return 0;
        }
        int db;
        try {
            db = Integer.parseInt(path.substring(1));
        } catch (NumberFormatException e) {
            o.problem("URI path '" + path + "' is not a database number; write redis://HOST:PORT/0");
            return 0;
        }
        if (db < 0 || db > 10_000) {
            o.problem("database number " + db + " is out of range 0 to 10000");
            return 0;
        }
        return db;
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
