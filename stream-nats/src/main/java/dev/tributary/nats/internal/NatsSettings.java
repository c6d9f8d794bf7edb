package dev.tributary.nats.internal;

import dev.tributary.ClientConfig;
import dev.tributary.ErrorKind;
import dev.tributary.Limits;
import dev.tributary.StreamException;
import dev.tributary.spi.OptionReader;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The NATS backend's settings, read from a {@link ClientConfig} and validated before any I/O. Every
 * option is documented in the module README. Options are read through one {@link OptionReader}: unknown
 * and bad options are all named in one {@code CONFIGURATION} error, so that a typo does not go unnoticed
 * and a URI with several mistakes is fixed in one round.
 *
 * <p>{@link #toString()} never shows the password or token.
 */
public final class NatsSettings {
    /** Subject prefix when the configuration names no namespace. */
    public static final String DEFAULT_PREFIX = "tributary";
    /** Default {@code maxHeaderBytes}: UTF-8 bytes of key plus header keys and values per record. */
    public static final int DEFAULT_MAX_HEADER_BYTES = 4096;

    static final Set<String> KNOWN_OPTIONS = Set.of(
            "storage",
            "replicas",
            "maxAge",
            "maxMessages",
            "maxBytes",
            "duplicateWindow",
            "maxHeaderBytes",
            "maxAckPending",
            "pingInterval",
            "reconnectWait",
            "readerInactiveThreshold",
            "tlsCaFile",
            "tlsInsecure",
            "tlsVerifyHostname",
            "autoMsgId");

    private final String servers;
    private final List<String> serverUrls;
    private final String host;
    private final boolean tls;
    private final String user;
    private final char[] password;
    private final char[] token;
    private final String prefix;
    private final boolean fileStorage;
    private final int replicas;
    private final Duration maxAge;
    private final long maxMessages;
    private final long maxBytes;
    private final Duration duplicateWindow;
    private final int maxHeaderBytes;
    private final long maxAckPending;
    private final Duration pingInterval;
    private final Duration reconnectWait;
    private final Duration readerInactiveThreshold;
    private final Path tlsCaFile;
    private final boolean tlsInsecure;
    private final boolean tlsVerifyHostname;
    private final boolean autoMsgId;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final Duration closeTimeout;
    private final int maxInFlight;
    private final String safeUri;
    private final Map<String, NatsTarget> adopted;

    private NatsSettings(ClientConfig c) {
        URI uri = c.uri();
        String scheme = c.scheme();
        if (!scheme.equals("nats") && !scheme.equals("tls")) {
            throw config("URI scheme '" + scheme + ":' is not served by the NATS backend; use nats:// or tls://");
        }
        NatsAddress address = NatsAddress.parse(uri, c.safeUri());
        this.tls = scheme.equals("tls");
        this.serverUrls = address.urls(tls);
        this.host = address.hosts().get(0);
        this.servers = String.join(",", serverUrls);
        String userInfo = address.userInfo();
        String u = null;
        char[] p = null;
        char[] t = null;
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            if (colon >= 0) {
                u = decode(userInfo.substring(0, colon));
                p = decode(userInfo.substring(colon + 1)).toCharArray();
            } else {
                t = decode(userInfo).toCharArray();
            }
        }
        this.user = u;
        this.password = p;
        this.token = t;
        this.prefix = c.namespace().orElse(DEFAULT_PREFIX);
        // every bad option is collected and reported in one CONFIGURATION error by check()
        // jetstream.<name> options adopt existing JetStream streams (NatsAdoption)
        Set<String> known = new TreeSet<>(KNOWN_OPTIONS);
        c.options().keySet().stream().filter(NatsAdoption::isAdoptionOption).forEach(known::add);
        OptionReader o = c.optionReader("NATS", known);
        this.adopted = NatsAdoption.parse(c.options(), o::problem);
        this.fileStorage = o.choice("storage", "file", "file", "memory").equals("file");
        this.replicas = (int) o.range("replicas", 1, 1, 5);
        this.maxAge = o.nonNegativeDuration("maxAge", Duration.ZERO);
        this.maxMessages = o.range("maxMessages", -1, -1, Long.MAX_VALUE);
        this.maxBytes = o.range("maxBytes", -1, -1, Long.MAX_VALUE);
        this.duplicateWindow = o.positiveDuration("duplicateWindow", Duration.ofMinutes(2));
        this.maxHeaderBytes = (int) o.range("maxHeaderBytes", DEFAULT_MAX_HEADER_BYTES, 64, 16384);
        this.maxAckPending = o.range("maxAckPending", 20_000, 1, 1_000_000);
        this.pingInterval = o.positiveDuration("pingInterval", Duration.ofSeconds(5));
        this.reconnectWait = o.positiveDuration("reconnectWait", Duration.ofMillis(250));
        this.readerInactiveThreshold = o.positiveDuration("readerInactiveThreshold", Duration.ofMinutes(5));
        this.tlsCaFile = o.readableFile("tlsCaFile").orElse(null);
        this.tlsInsecure = o.bool("tlsInsecure", false);
        this.tlsVerifyHostname = o.bool("tlsVerifyHostname", true);
        this.autoMsgId = o.bool("autoMsgId", true);
        boolean tlsOption = c.option("tlsCaFile").isPresent()
                || tlsInsecure
                || c.option("tlsVerifyHostname").isPresent();
        if (!tls && tlsOption) {
            o.problem("options tlsCaFile, tlsInsecure and tlsVerifyHostname need a tls:// URI");
        }
        if (tlsInsecure && c.option("tlsVerifyHostname").isPresent() && tlsVerifyHostname) {
            // tlsInsecure trusts any certificate for any host; asking for the host check as well is a mistake
            o.problem("option tlsVerifyHostname=true contradicts tlsInsecure=true, which checks nothing; "
                    + "drop tlsInsecure and set tlsCaFile to the server's CA");
        }
        o.check();
        this.connectTimeout = c.connectTimeout();
        this.requestTimeout = c.requestTimeout();
        this.closeTimeout = c.closeTimeout();
        this.maxInFlight = c.maxInFlightAppends();
        this.safeUri = c.safeUri();
    }

    /** Reads and validates the settings. @throws StreamException CONFIGURATION */
    public static NatsSettings from(ClientConfig config) {
        return new NatsSettings(config);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static StreamException config(String msg) {
        return new StreamException(ErrorKind.CONFIGURATION, msg);
    }

    /**
     * The server URLs without credentials, comma-separated, e.g. {@code nats://127.0.0.1:4222} or, for a
     * cluster, {@code nats://h1:4222,nats://h2:4222,nats://h3:4222}.
     */
    public String servers() {
        return servers;
    }

    /** Every server URL of the URI, in the order written (jnats connects to one and fails over to the others). */
    public List<String> serverUrls() {
        return serverUrls;
    }

    /**
     * The host of the (first) server as written (a name or an address), named in messages about server
     * certificates; over TLS each connection checks the certificate against the host it connects to.
     */
    public String host() {
        return host;
    }

    public boolean tls() {
        return tls;
    }

    public Optional<String> user() {
        return Optional.ofNullable(user);
    }

    /** The password, or null. Never log it. */
    char[] password() {
        return password == null ? null : password.clone();
    }

    /** The token, or null. Never log it. */
    char[] token() {
        return token == null ? null : token.clone();
    }

    /** Strings that must never appear in messages or logs. */
    Set<String> secrets() {
        java.util.HashSet<String> s = new java.util.HashSet<>();
        if (password != null && password.length > 0) {
            s.add(new String(password));
        }
        if (token != null && token.length > 0) {
            s.add(new String(token));
        }
        return s;
    }

    /** The subject prefix (namespace). */
    public String prefix() {
        return prefix;
    }

    public boolean fileStorage() {
        return fileStorage;
    }

    public int replicas() {
        return replicas;
    }

    /** MaxAge of new streams; zero = unlimited. */
    public Duration maxAge() {
        return maxAge;
    }

    public long maxMessages() {
        return maxMessages;
    }

    public long maxBytes() {
        return maxBytes;
    }

    public Duration duplicateWindow() {
        return duplicateWindow;
    }

    public int maxHeaderBytes() {
        return maxHeaderBytes;
    }

    /** The client's limits: the server's max_payload less room for the worst-case encoded headers. */
    Limits limits(long serverMaxPayload) {
        long reserve = HeaderCodec.worstCaseEncodedBytes(maxHeaderBytes) + 512;
        long maxPayload = Math.min(Integer.MAX_VALUE, serverMaxPayload - reserve);
        if (maxPayload < 1024) {
            throw new StreamException(
                    ErrorKind.CONFIGURATION,
                    "the server's max_payload (" + serverMaxPayload
                            + " bytes) leaves no room for payloads next to maxHeaderBytes=" + maxHeaderBytes
                            + "; raise max_payload or lower maxHeaderBytes");
        }
        return new Limits((int) maxPayload, maxHeaderBytes, NatsStreamClient.MAX_BATCH, NatsStreamClient.MAX_READ);
    }

    public long maxAckPending() {
        return maxAckPending;
    }

    public Duration pingInterval() {
        return pingInterval;
    }

    public Duration reconnectWait() {
        return reconnectWait;
    }

    public Duration readerInactiveThreshold() {
        return readerInactiveThreshold;
    }

    public Optional<Path> tlsCaFile() {
        return Optional.ofNullable(tlsCaFile);
    }

    /** Trust any server certificate, for any host: no check at all. */
    public boolean tlsInsecure() {
        return tlsInsecure;
    }

    /**
     * Whether a trusted server certificate must also name {@link #host()} (subject alternative names,
     * as HTTPS clients check). On by default; meaningless when {@link #tlsInsecure()}.
     */
    public boolean tlsVerifyHostname() {
        return tlsVerifyHostname && !tlsInsecure;
    }

    /** The streams adopted with {@code jetstream.<name>} options, by Tributary stream name. */
    Map<String, NatsTarget> adopted() {
        return adopted;
    }

    /** Whether appends without an idempotency id carry a random Nats-Msg-Id. */
    public boolean autoMsgId() {
        return autoMsgId;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    public Duration closeTimeout() {
        return closeTimeout;
    }

    public int maxInFlight() {
        return maxInFlight;
    }

    /** The URI for messages: no password, no query. */
    public String safeUri() {
        return safeUri;
    }

    @Override
    public String toString() {
        return "NatsSettings[" + safeUri + ", prefix=" + prefix + ", storage=" + (fileStorage ? "file" : "memory")
                + ", replicas=" + replicas + ", duplicateWindow=" + duplicateWindow + ", user="
                + (user == null ? "none" : user) + ", password=" + (password == null ? "none" : "****")
                + ", token=" + (token == null ? "none" : "****") + "]";
    }
}
