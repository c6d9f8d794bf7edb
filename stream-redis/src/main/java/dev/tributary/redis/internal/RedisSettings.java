package dev.tributary.redis.internal;

import dev.tributary.ClientConfig;
import dev.tributary.spi.OptionReader;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The validated settings of one Redis client, read from a {@link ClientConfig}: the deployment
 * ({@link Mode standalone, cluster or sentinel}) and its addresses, TLS, credentials, timeouts, the
 * replica wait and the backend options documented in the README. Also the key layout: every key of a
 * stream hashes to the stream key's Cluster slot ({@link #sideKeyPrefix}). Immutable.
 * {@link #toString()} never shows the password.
 */
public final class RedisSettings {
    static final Set<String> OPTIONS = Set.of(
            "user",
            "password",
            "blockingPoolSize",
            "requestQueueSize",
            "maxPayloadBytes",
            "maxHeaderBytes",
            "dedupWindow",
            "dedupMaxIds",
            "appendMaxLen",
            "reconnectMaxDelay",
            "ioThreads",
            "clientName",
            "tlsVerify",
            "tlsCaCert",
            "tlsTrustStore",
            "tlsTrustStorePassword",
            "tlsCert",
            "tlsKey",
            "tlsKeyPassword",
            "cluster",
            "sentinelMaster",
            "topologyRefreshPeriod",
            "waitReplicas",
            "waitTimeout",
            "payloadField",
            "keyField",
            "lostTail");

    /** How the servers are deployed. */
    enum Mode {
        /** One server (a primary, possibly with replicas the client does not know about). */
        STANDALONE,
        /** A Redis Cluster, reached through one or more seed nodes. */
        CLUSTER,
        /** A primary found through Redis Sentinel. */
        SENTINEL
    }

    final ClientConfig config;
    final Mode mode;
    final List<RedisAddress.Node> nodes;
    final String sentinelMaster;
    final String host;
    final int port;
    final int database;
    final boolean tls;
    final String user;
    final char[] password;
    final String keyPrefix;
    final Duration connectTimeout;
    final Duration requestTimeout;
    final Duration closeTimeout;
    final int maxInFlightAppends;
    final int blockingPoolSize;
    final int requestQueueSize;
    final int maxPayloadBytes;
    final int maxHeaderBytes;
    final Duration dedupWindow;
    /** Most idempotency ids remembered per stream (the count bound of the dedup window). */
    final int dedupMaxIds;

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
    final Duration topologyRefreshPeriod;
    final int waitReplicas;
    /**
     * Whether a reader whose last entries a failover lost (it read them on the old primary, the
     * promoted replica never got them) continues after the last entry the server still holds, instead of
     * failing {@code DATA_LOSS}: option {@code lostTail=resume|fail}, {@code resume} for a Cluster or
     * Sentinel, where such failovers are expected, {@code fail} for one server.
     */
    final boolean resumeAfterLostTail;

    final Duration waitTimeout;
    /** The entry field of the payload ({@link EntryCodec}). */
    final String payloadField;
    /** The entry field of the key. */
    final String keyField;

    private RedisSettings(ClientConfig c) {
        this.config = c;
        OptionReader o = c.optionReader("Redis", OPTIONS);
        URI uri = c.uri();
        boolean sentinel = c.scheme().endsWith("-sentinel");
        this.tls = c.scheme().startsWith("rediss");
        RedisAddress address =
                RedisAddress.parse(uri, sentinel ? 26379 : 6379, m -> o.problem("URI '" + c.safeUri() + "': " + m));
        this.nodes = address.nodes();
        this.host = nodes.isEmpty() ? "" : nodes.get(0).host();
        this.port = nodes.isEmpty() ? 6379 : nodes.get(0).port();
        boolean cluster = o.bool("cluster", false);
        this.mode = sentinel ? Mode.SENTINEL : cluster ? Mode.CLUSTER : Mode.STANDALONE;
        this.sentinelMaster = sentinelMaster(c, uri, o);
        checkMode(c, o);
        this.database = database(uri.getPath(), o);
        if (mode == Mode.CLUSTER && database != 0) {
            o.problem("Redis Cluster has only database 0; remove /" + database + " from the URI");
        }
        String u = c.option("user").orElse(null);
        String p = c.option("password").orElse(null);
        String info = address.userInfo();
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
        this.connectTimeout = c.connectTimeout();
        this.requestTimeout = c.requestTimeout();
        this.closeTimeout = c.closeTimeout();
        this.maxInFlightAppends = c.maxInFlightAppends();
        this.blockingPoolSize = (int) o.range("blockingPoolSize", 8, 1, 1024);
        this.waitReplicas = (int) o.range("waitReplicas", 0, 0, 64);
        // with waitReplicas every append may have a WAIT queued behind it
        this.requestQueueSize = (int) o.range(
                "requestQueueSize",
                Math.max(1024L, (waitReplicas > 0 ? 2L : 1L) * maxInFlightAppends + 1024L),
                16,
                10_000_000);
        this.maxPayloadBytes = (int) o.range("maxPayloadBytes", 4L << 20, 1, 512L << 20);
        this.maxHeaderBytes = (int) o.range("maxHeaderBytes", 64L << 10, 1, 1L << 20);
        this.dedupWindow = o.duration("dedupWindow", Duration.ofMinutes(2), Duration.ofMillis(1), Duration.ofDays(7));
        this.dedupMaxIds = (int) o.range("dedupMaxIds", 100_000, 1, 100_000_000);
        this.appendMaxLen = o.range("appendMaxLen", 0, 0, Long.MAX_VALUE / 2);
        this.reconnectMaxDelay =
                o.duration("reconnectMaxDelay", Duration.ofSeconds(1), Duration.ofMillis(1), Duration.ofMinutes(5));
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
        if (!tls
                && (c.option("tlsCaCert").isPresent()
                        || c.option("tlsTrustStore").isPresent()
                        || c.option("tlsCert").isPresent()
                        || c.option("tlsKey").isPresent())) {
            o.problem("TLS options are set but the URI scheme is redis://; use rediss:// for TLS");
        }
        this.topologyRefreshPeriod = o.duration(
                "topologyRefreshPeriod", Duration.ofSeconds(30), Duration.ofMillis(100), Duration.ofHours(1));
        this.waitTimeout = o.duration(
                "waitTimeout",
                min(Duration.ofSeconds(1), requestTimeout.dividedBy(2)),
                Duration.ofMillis(1),
                Duration.ofMinutes(5));
        if (waitReplicas > 0 && waitTimeout.compareTo(requestTimeout) >= 0) {
            o.problem("waitTimeout " + waitTimeout + " must be shorter than requestTimeout " + requestTimeout
                    + " (the append's own bound)");
        }
        if (c.option("waitTimeout").isPresent() && waitReplicas == 0) {
            o.problem("waitTimeout is set but waitReplicas is 0; set waitReplicas=N to wait for N replicas");
        }
        this.resumeAfterLostTail = o.choice("lostTail", mode == Mode.STANDALONE ? "fail" : "resume", "resume", "fail")
                .equals("resume");
        this.payloadField = field(o, "payloadField", "p");
        this.keyField = field(o, "keyField", "k");
        if (payloadField.equals(keyField)) {
            o.problem("payloadField and keyField are both '" + payloadField + "'; an entry's payload and key need "
                    + "two fields");
        }
        o.check();
    }

    /** The sentinels' name of the primary: the URI fragment ({@code #mymaster}) or option sentinelMaster. */
    private String sentinelMaster(ClientConfig c, URI uri, OptionReader o) {
        String fragment = uri.getFragment();
        String option = c.option("sentinelMaster").orElse(null);
        if (fragment != null && !fragment.isEmpty() && option != null && !option.equals(fragment)) {
            o.problem("the sentinel master is named twice ('#" + fragment + "' and sentinelMaster=" + option + ")");
        }
        String name = fragment != null && !fragment.isEmpty() ? fragment : option;
        if (mode == Mode.SENTINEL && (name == null || name.isEmpty())) {
            o.problem(
                    "a redis-sentinel:// URI names the monitored primary: redis-sentinel://S1:26379,S2:26379#mymaster");
        }
        if (mode != Mode.SENTINEL && name != null) {
            o.problem(
                    "a sentinel master name is given but the scheme is not redis-sentinel:// (or rediss-sentinel://)");
        }
        return name;
    }

    private void checkMode(ClientConfig c, OptionReader o) {
        if (mode == Mode.SENTINEL && c.option("cluster").isPresent()) {
            o.problem("cluster and redis-sentinel:// exclude each other: Redis Cluster has no sentinels");
        }
        if (mode == Mode.STANDALONE && nodes.size() > 1) {
            o.problem("URI '" + c.safeUri() + "' names " + nodes.size() + " servers; add ?cluster=true for the seed "
                    + "nodes of a Redis Cluster, or use redis-sentinel://S1,S2,S3#MASTER for sentinels");
        }
        if (mode != Mode.CLUSTER && c.option("topologyRefreshPeriod").isPresent()) {
            o.problem("topologyRefreshPeriod applies to a Redis Cluster only (cluster=true)");
        }
    }

    /** An entry field name of the layout: not empty, and not a header field ({@code h:<name>}). */
    private static String field(OptionReader o, String option, String dflt) {
        String name = o.string(option).orElse(dflt);
        if (name.isEmpty()) {
            o.problem(option + " is empty; name the entry field, e.g. " + option + "=" + dflt);
            return dflt;
        }
        if (name.startsWith(EntryCodec.HEADER_PREFIX)) {
            o.problem(option + "=" + name + " starts with '" + EntryCodec.HEADER_PREFIX
                    + "', the prefix of header fields; choose a field name without it");
        }
        return name;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
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

    /**
     * The prefix of every auxiliary key of a stream, {@code {<stream key>}:tributary:}. The stream key
     * itself stays as it is (other applications may write it); the braces make {@code <stream key>} the
     * hash tag of the auxiliary keys, so a Redis Cluster puts them in the stream key's slot (a key
     * without braces hashes as a whole) and scripts over a stream and its keys stay on one slot. Stream
     * names and namespaces cannot contain braces ({@link dev.tributary.StreamName}); a stream key that
     * did would hash differently, so it is refused (INVALID_ARGUMENT).
     */
    public String sideKeyPrefix(String stream) {
        String key = streamKey(stream);
        if (key.indexOf('{') >= 0 || key.indexOf('}') >= 0) {
            throw dev.tributary.StreamException.invalid("stream key '" + key + "' contains a brace; its auxiliary "
                    + "keys could not share its Redis Cluster slot");
        }
        return "{" + key + "}:tributary:";
    }

    /** The hash holding the ack timeouts and deletion markers of a stream's groups. */
    public String groupsKey(String stream) {
        return sideKeyPrefix(stream) + "groups";
    }

    /**
     * The hash of a stream's recently used idempotency ids: field = idempotency id, value = the entry
     * id stored for it. Trimmed with {@link #dedupTimesKey} to {@code dedupWindow} and {@code dedupMaxIds}.
     */
    public String dedupIdsKey(String stream) {
        return sideKeyPrefix(stream) + "dedup";
    }

    /** The sorted set of the same idempotency ids scored by the server time (ms) they were stored at. */
    public String dedupTimesKey(String stream) {
        return sideKeyPrefix(stream) + "dedup-times";
    }

    /**
     * The string key holding the partition count of a partitioned stream (absent for a one-partition
     * stream), {@code {<stream key>}:tributary:partitions}: in the slot of the one-partition stream key,
     * so one script can check both.
     */
    public String partitionsKey(String stream) {
        return sideKeyPrefix(stream) + "partitions";
    }

    /** The keys of a one-partition stream (the names it always had). */
    StreamKeys keys(dev.tributary.StreamName stream) {
        return StreamKeys.plain(stream, streamKey(stream.value()));
    }

    /** The keys of partition {@code p} of a partitioned stream ({@link StreamKeys}). */
    StreamKeys keys(dev.tributary.StreamName stream, int p) {
        return StreamKeys.partition(stream, streamKey(stream.value()), p);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** Mode, addresses, database and TLS, without credentials. */
    public String describe() {
        String scheme = (tls ? "rediss" : "redis") + (mode == Mode.SENTINEL ? "-sentinel" : "") + "://";
        String hosts =
                String.join(",", nodes.stream().map(RedisAddress.Node::toString).toList());
        return scheme + (user != null ? user + ":****@" : password != null ? ":****@" : "") + hosts + "/" + database
                + (mode == Mode.CLUSTER ? "?cluster=true" : "") + (mode == Mode.SENTINEL ? "#" + sentinelMaster : "");
    }

    @Override
    public String toString() {
        return "RedisSettings[" + describe() + ", prefix='" + keyPrefix + "', requestTimeout=" + requestTimeout
                + ", connectTimeout=" + connectTimeout + ", blockingPoolSize=" + blockingPoolSize
                + (waitReplicas > 0 ? ", waitReplicas=" + waitReplicas + ", waitTimeout=" + waitTimeout : "")
                + (payloadField.equals("p") && keyField.equals("k")
                        ? ""
                        : ", payloadField='" + payloadField + "', keyField='" + keyField + "'")
                + "]";
    }
}
