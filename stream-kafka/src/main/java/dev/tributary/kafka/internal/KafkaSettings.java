package dev.tributary.kafka.internal;

import dev.tributary.ClientConfig;
import dev.tributary.ErrorKind;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Kafka settings of one client, read from a {@link ClientConfig}: bootstrap servers and security
 * from the URI, topic layout and tuning from the backend options, and the extra Kafka properties
 * ({@code kafka.<property>=value}) after the safety filter. Immutable; no I/O.
 *
 * <h2>URI</h2>
 * {@code kafka://[user:password@]host:port[,host:port…][?options]}: PLAINTEXT, or SASL_PLAINTEXT
 * when credentials are given. {@code kafka+ssl://…}: SSL, or SASL_SSL with credentials. The option
 * {@code securityProtocol} overrides the choice; {@code saslMechanism} is PLAIN (default),
 * SCRAM-SHA-256 or SCRAM-SHA-512. The JAAS configuration is built here from the URI's credentials
 * with the login module of the mechanism; it is never taken from the user's input unless
 * {@code allowUnsafeKafkaProperties=true}.
 */
public final class KafkaSettings {
    /** Prefix of options passed through to every Kafka client. */
    public static final String KAFKA_PREFIX = "kafka.";
    /** Prefixes of options passed through to one kind of Kafka client only. */
    public static final String PRODUCER_PREFIX = "kafka.producer.";
    public static final String CONSUMER_PREFIX = "kafka.consumer.";
    public static final String ADMIN_PREFIX = "kafka.admin.";

    /** Properties the backend owns: overriding them would break the contract. */
    static final Set<String> RESERVED = Set.of("bootstrap.servers", "key.serializer", "value.serializer",
            "key.deserializer", "value.deserializer", "enable.idempotence", "enable.auto.commit", "group.id",
            "auto.offset.reset", "group.instance.id", "transactional.id", "client.id", "max.block.ms",
            "delivery.timeout.ms", "allow.auto.create.topics", "group.protocol", "isolation.level");

    /** Known backend options (anything else that is not a common setting or kafka.* is a typo). */
    static final Set<String> OPTIONS = Set.of("partitions", "replicationFactor", "minInsyncReplicas", "retention",
            "linger", "sessionTimeout", "heartbeatInterval", "readerConsumers", "maxPayloadBytes", "maxUnacked",
            "securityProtocol", "saslMechanism", "allowUnsafeKafkaProperties", "acks", "timestampType");

    private final String bootstrap;
    private final String username;
    private final String password;
    private final String securityProtocol;
    private final String saslMechanism;
    private final String namespace;
    private final int partitions;
    private final short replicationFactor;
    private final Integer minInsyncReplicas;
    private final Duration retention;
    private final Duration linger;
    private final Duration sessionTimeout;
    private final Duration heartbeatInterval;
    private final int readerConsumers;
    private final int maxPayloadBytes;
    private final int maxUnacked;
    private final String acks;
    private final boolean logAppendTime;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final Duration closeTimeout;
    private final int maxInFlight;
    private final Map<String, String> common = new LinkedHashMap<>();
    private final Map<String, String> producerExtra = new LinkedHashMap<>();
    private final Map<String, String> consumerExtra = new LinkedHashMap<>();
    private final Map<String, String> adminExtra = new LinkedHashMap<>();

    private KafkaSettings(ClientConfig config) {
        String scheme = config.scheme();
        if (!scheme.equals("kafka") && !scheme.equals("kafka+ssl")) {
            throw configuration("URI scheme '" + scheme + ":' is not served by the Kafka backend; use kafka:// or kafka+ssl://");
        }
        String authority = config.uri().getRawAuthority();
        if (authority == null || authority.isBlank()) {
            throw configuration("URI '" + config.safeUri() + "' names no broker; write kafka://host:port[,host:port...]");
        }
        int at = authority.lastIndexOf('@');
        String user = null;
        String pass = null;
        if (at >= 0) {
            String info = authority.substring(0, at);
            authority = authority.substring(at + 1);
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            pass = colon < 0 ? "" : decode(info.substring(colon + 1));
            if (user.isEmpty()) {
                throw configuration("URI '" + config.safeUri() + "' has credentials without a user name");
            }
        }
        this.username = user;
        this.password = pass;
        this.bootstrap = parseHosts(authority, config.safeUri());
        boolean ssl = scheme.equals("kafka+ssl");
        String protocol = user == null ? (ssl ? "SSL" : "PLAINTEXT") : (ssl ? "SASL_SSL" : "SASL_PLAINTEXT");
        this.securityProtocol = config.option("securityProtocol").map(s -> s.trim().toUpperCase(Locale.ROOT)).orElse(protocol);
        if (!Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL").contains(securityProtocol)) {
            throw configuration("securityProtocol=" + securityProtocol + " is not one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL");
        }
        this.saslMechanism = config.option("saslMechanism").map(s -> s.trim().toUpperCase(Locale.ROOT)).orElse("PLAIN");
        if (!Set.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512").contains(saslMechanism)) {
            throw configuration("saslMechanism=" + saslMechanism + " is not one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512");
        }
        if (securityProtocol.startsWith("SASL") && user == null && !config.options().containsKey("kafka.sasl.jaas.config")) {
            throw configuration("securityProtocol=" + securityProtocol + " needs credentials: kafka://user:password@host:port");
        }
        this.namespace = config.namespace().orElse(null);
        this.partitions = (int) range(config, "partitions", 1, 1, 10_000);
        this.replicationFactor = (short) range(config, "replicationFactor", -1, -1, 32);
        if (replicationFactor == 0) {
            throw configuration("replicationFactor must be -1 (broker default) or 1 to 32");
        }
        this.minInsyncReplicas = config.longOption("minInsyncReplicas").map(v -> {
            if (v < 1 || v > 32) {
                throw configuration("minInsyncReplicas must be 1 to 32, got " + v);
            }
            return v.intValue();
        }).orElse(null);
        this.retention = config.durationOption("retention").orElse(null);
        this.linger = config.durationOption("linger").orElse(Duration.ofMillis(5));
        if (linger.isNegative() || linger.compareTo(Duration.ofSeconds(10)) > 0) {
            throw configuration("linger must be 0 to 10 s, got " + linger);
        }
        this.sessionTimeout = config.durationOption("sessionTimeout").orElse(Duration.ofSeconds(10));
        this.heartbeatInterval = config.durationOption("heartbeatInterval")
                .orElse(Duration.ofMillis(Math.max(100, sessionTimeout.toMillis() / 4)));
        if (heartbeatInterval.compareTo(sessionTimeout) >= 0) {
            throw configuration("heartbeatInterval (" + heartbeatInterval + ") must be below sessionTimeout (" + sessionTimeout + ")");
        }
        this.readerConsumers = (int) range(config, "readerConsumers", 8, 1, 256);
        this.maxPayloadBytes = (int) range(config, "maxPayloadBytes", 1_000_000, 1, 64 << 20);
        this.maxUnacked = (int) range(config, "maxUnacked", 10_000, 1, 1_000_000);
        this.acks = config.option("acks").map(String::trim).orElse("all");
        if (!Set.of("all", "-1", "1").contains(acks)) {
            throw configuration("acks must be all or 1 (acks=0 cannot report ids), got " + acks);
        }
        String ts = config.option("timestampType").orElse("LogAppendTime");
        if (!ts.equals("LogAppendTime") && !ts.equals("CreateTime")) {
            throw configuration("timestampType must be LogAppendTime or CreateTime, got " + ts);
        }
        this.logAppendTime = ts.equals("LogAppendTime");
        this.connectTimeout = config.connectTimeout();
        this.requestTimeout = config.requestTimeout();
        this.closeTimeout = config.closeTimeout();
        this.maxInFlight = config.maxInFlightAppends();
        boolean unsafe = config.option("allowUnsafeKafkaProperties").map(Boolean::parseBoolean).orElse(false);
        for (Map.Entry<String, String> e : config.options().entrySet()) {
            String k = e.getKey();
            if (k.startsWith(KAFKA_PREFIX)) {
                Map<String, String> target;
                String prop;
                if (k.startsWith(PRODUCER_PREFIX)) {
                    target = producerExtra;
                    prop = k.substring(PRODUCER_PREFIX.length());
                } else if (k.startsWith(CONSUMER_PREFIX)) {
                    target = consumerExtra;
                    prop = k.substring(CONSUMER_PREFIX.length());
                } else if (k.startsWith(ADMIN_PREFIX)) {
                    target = adminExtra;
                    prop = k.substring(ADMIN_PREFIX.length());
                } else {
                    target = common;
                    prop = k.substring(KAFKA_PREFIX.length());
                }
                checkExtra(prop, unsafe);
                target.put(prop, e.getValue());
            } else if (!OPTIONS.contains(k)) {
                throw configuration("unknown Kafka backend option '" + k + "'; known: " + String.join(", ", OPTIONS.stream().sorted().toList())
                        + ", or kafka.<property> for a Kafka client property");
            }
        }
    }

    /** Replaces every secret this configuration holds (URI password, secret-looking options) in a message. */
    public String scrub(String message) {
        if (message == null) {
            return "";
        }
        String out = message;
        if (password != null && !password.isEmpty()) {
            out = out.replace(password, "****");
        }
        for (Map<String, String> m : List.of(common, producerExtra, consumerExtra, adminExtra)) {
            for (Map.Entry<String, String> e : m.entrySet()) {
                boolean secret = ClientConfig.isSecret(e.getKey()) || e.getKey().endsWith(".key");
                if (secret && !e.getValue().isEmpty()) {
                    out = out.replace(e.getValue(), "****");
                }
            }
        }
        return out;
    }

    /** Reads and validates the settings. */
    public static KafkaSettings from(ClientConfig config) {
        return new KafkaSettings(config);
    }

    /**
     * Rejects properties that the backend owns, and — without the explicit opt-in — properties that
     * make a Kafka client load classes, files or URLs named by the configuration (JAAS login modules,
     * config providers, callback handlers, interceptors, OAuth endpoints, key and trust store files,
     * Kerberos commands).
     */
    static void checkExtra(String prop, boolean unsafeAllowed) {
        if (prop.isEmpty()) {
            throw configuration("empty Kafka property name after 'kafka.'");
        }
        if (RESERVED.contains(prop)) {
            throw configuration("Kafka property '" + prop + "' is set by the backend and cannot be overridden");
        }
        if (unsafeAllowed) {
            return;
        }
        String p = prop.toLowerCase(Locale.ROOT);
        boolean unsafe = p.endsWith(".class") || p.endsWith(".classes") || p.startsWith("config.providers")
                || p.equals("sasl.jaas.config") || p.startsWith("sasl.oauthbearer.") || p.startsWith("sasl.login.")
                || p.equals("metric.reporters") || p.contains("callback.handler") || p.contains("login.class")
                || p.endsWith(".location") || p.endsWith(".file") || p.startsWith("sasl.kerberos.");
        if (unsafe) {
            throw configuration("Kafka property '" + prop + "' makes the client load classes, files or URLs named in the "
                    + "configuration; set allowUnsafeKafkaProperties=true if this configuration comes from a trusted source");
        }
    }

    private static String parseHosts(String authority, String safeUri) {
        List<String> hosts = new ArrayList<>();
        for (String h : authority.split(",")) {
            String host = h.trim();
            int colon = host.lastIndexOf(':');
            if (host.isEmpty() || colon <= 0 || colon == host.length() - 1) {
                throw configuration("broker address '" + host + "' in '" + safeUri + "' is not host:port");
            }
            try {
                int port = Integer.parseInt(host.substring(colon + 1));
                if (port < 1 || port > 65535) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw configuration("broker address '" + host + "' in '" + safeUri + "' has no valid port");
            }
            hosts.add(host);
        }
        return String.join(",", hosts);
    }

    private static long range(ClientConfig config, String name, long def, long min, long max) {
        long v = config.longOption(name).orElse(def);
        if (v < min || v > max) {
            throw configuration(name + " must be " + min + " to " + max + ", got " + v);
        }
        return v;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    static StreamException configuration(String message) {
        return new StreamException(ErrorKind.CONFIGURATION, message);
    }

    /** Properties shared by producer, consumers and admin: servers, security, timeouts, extras. */
    private Map<String, Object> base() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bootstrap.servers", bootstrap);
        m.put("security.protocol", securityProtocol);
        if (securityProtocol.startsWith("SASL")) {
            m.put("sasl.mechanism", saslMechanism);
            if (username != null) {
                String module = saslMechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                        : "org.apache.kafka.common.security.scram.ScramLoginModule";
                m.put("sasl.jaas.config", module + " required username=\"" + jaasEscape(username) + "\" password=\""
                        + jaasEscape(password) + "\";");
            }
        }
        m.put("request.timeout.ms", (int) Math.max(1_000, requestTimeout.toMillis()));
        m.put("default.api.timeout.ms", (int) Math.max(1_000, requestTimeout.toMillis()));
        m.put("socket.connection.setup.timeout.ms", Math.min(connectTimeout.toMillis(), 10_000L));
        m.put("socket.connection.setup.timeout.max.ms", Math.max(connectTimeout.toMillis(), 10_000L));
        m.put("reconnect.backoff.ms", 50);
        m.put("reconnect.backoff.max.ms", 1_000);
        m.put("retry.backoff.ms", 50);
        m.put("retry.backoff.max.ms", 1_000);
        m.put("metadata.max.age.ms", 60_000);
        return m;
    }

    private static String jaasEscape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** The shared idempotent producer's properties. */
    public Map<String, Object> producerProps(String clientId) {
        Map<String, Object> m = base();
        long lingerMs = linger.toMillis();
        long delivery = Math.max(requestTimeout.toMillis(), lingerMs + 1_000);
        m.put("client.id", clientId);
        m.put("acks", acks);
        m.put("enable.idempotence", acks.equals("all") || acks.equals("-1"));
        m.put("linger.ms", (int) lingerMs);
        m.put("max.in.flight.requests.per.connection", 5);
        m.put("request.timeout.ms", (int) Math.max(1, delivery - lingerMs));
        m.put("delivery.timeout.ms", (int) delivery);
        // leaves a fifth of the request timeout to tell a deleted topic from an unreachable broker
        m.put("max.block.ms", Math.max(1, requestTimeout.toMillis() - Math.max(500, requestTimeout.toMillis() / 5)));
        m.put("max.request.size", Math.max(1_048_576, maxPayloadBytes + 64 * 1024));
        m.put("batch.size", 64 * 1024);
        m.put("compression.type", "none");
        m.put("partitioner.ignore.keys", false);
        // keep the topic metadata while every broker is unreachable, so appends queue (bounded by the
        // window) and fail after the delivery timeout instead of blocking each caller for max.block.ms
        m.put("metadata.recovery.strategy", "none");
        m.putAll(common);
        m.putAll(producerExtra);
        return m;
    }

    /** Properties of a pooled reader consumer (no group, manual assignment). */
    public Map<String, Object> readerProps(String clientId) {
        Map<String, Object> m = consumerDefaults(clientId);
        m.putAll(common);
        m.putAll(consumerExtra);
        return m;
    }

    private Map<String, Object> consumerDefaults(String clientId) {
        Map<String, Object> m = base();
        m.put("client.id", clientId);
        m.put("enable.auto.commit", false);
        m.put("auto.offset.reset", "none");
        m.put("allow.auto.create.topics", false);
        m.put("max.poll.records", 1_000);
        m.put("fetch.max.wait.ms", 100);
        m.put("max.partition.fetch.bytes", Math.max(1_048_576, maxPayloadBytes + 64 * 1024));
        m.put("isolation.level", "read_uncommitted");
        m.put("client.dns.lookup", "use_all_dns_ips");
        return m;
    }

    /** Properties of a group member's consumer. */
    public Map<String, Object> groupProps(String clientId, String groupId, Duration maxPollInterval) {
        Map<String, Object> m = consumerDefaults(clientId);
        m.put("group.id", groupId);
        m.put("group.protocol", "classic");
        m.put("partition.assignment.strategy", "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
        m.put("session.timeout.ms", (int) sessionTimeout.toMillis());
        m.put("heartbeat.interval.ms", (int) heartbeatInterval.toMillis());
        m.put("max.poll.interval.ms", (int) maxPollInterval.toMillis());
        m.put("max.poll.records", 500);
        m.putAll(common);
        m.putAll(consumerExtra);
        return m;
    }

    /** The admin client's properties. */
    public Map<String, Object> adminProps(String clientId) {
        Map<String, Object> m = base();
        m.put("client.id", clientId);
        m.putAll(common);
        m.putAll(adminExtra);
        return m;
    }

    /** The topic of a stream: {@code namespace.stream}, or the stream name without a namespace. */
    public String topic(StreamName stream) {
        return namespace == null ? stream.value() : namespace + "." + stream.value();
    }

    /** The Kafka group id of a Tributary group: {@code topic.group} (names contain no dots). */
    public String groupId(StreamName stream, String group) {
        return topic(stream) + "." + group;
    }

    /** Topic configuration applied at creation. */
    public Map<String, String> topicConfig() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("message.timestamp.type", logAppendTime ? "LogAppendTime" : "CreateTime");
        c.put("cleanup.policy", "delete");
        c.put("max.message.bytes", Integer.toString(Math.max(1_048_588, maxPayloadBytes + 64 * 1024)));
        if (retention != null) {
            c.put("retention.ms", Long.toString(retention.toMillis()));
        }
        if (minInsyncReplicas != null) {
            c.put("min.insync.replicas", Integer.toString(minInsyncReplicas));
        }
        return c;
    }

    public String bootstrap() {
        return bootstrap;
    }

    public Optional<String> namespace() {
        return Optional.ofNullable(namespace);
    }

    public int partitions() {
        return partitions;
    }

    public boolean partitioned() {
        return partitions > 1;
    }

    public short replicationFactor() {
        return replicationFactor;
    }

    public int readerConsumers() {
        return readerConsumers;
    }

    public int maxPayloadBytes() {
        return maxPayloadBytes;
    }

    public int maxUnacked() {
        return maxUnacked;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration closeTimeout() {
        return closeTimeout;
    }

    public Duration sessionTimeout() {
        return sessionTimeout;
    }

    public int maxInFlight() {
        return maxInFlight;
    }

    public String securityProtocol() {
        return securityProtocol;
    }
}
