package dev.tributary.kafka.internal;

import dev.tributary.ClientConfig;
import dev.tributary.ErrorKind;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.spi.OptionReader;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Kafka settings of one client, read from a {@link ClientConfig}: bootstrap servers and security
 * from the URI, topic layout and tuning from the backend options, and the extra Kafka properties
 * ({@code kafka.<property>=value}) after the safety filter. Immutable; no I/O.
 *
 * <h2>URI</h2>
 * {@code kafka://[user:password@]host:port[,host:port…][?options]}: PLAINTEXT, or SASL_PLAINTEXT
 * when credentials are given. {@code kafka+ssl://…}: SSL, or SASL_SSL with credentials. The option
 * {@code securityProtocol} overrides the choice; {@code saslMechanism} is PLAIN (default),
 * SCRAM-SHA-256 or SCRAM-SHA-512 ({@link KafkaSecurity}). The JAAS configuration is built from the
 * URI's credentials with the login module of the mechanism; it is never taken from the user's input
 * unless {@code allowUnsafeKafkaProperties=true}.
 */
public final class KafkaSettings {
    /** Known backend options; {@code kafka.*} options are Kafka client properties ({@link KafkaExtras}). */
    static final Set<String> OPTIONS = Set.of(
            "partitions",
            "replicationFactor",
            "minInsyncReplicas",
            "retention",
            "linger",
            "sessionTimeout",
            "heartbeatInterval",
            "readerConsumers",
            "maxPayloadBytes",
            "maxUnacked",
            "commitInterval",
            "securityProtocol",
            "saslMechanism",
            "allowUnsafeKafkaProperties",
            "acks",
            "timestampType",
            "groupIdPrefix");
    /** Largest size of a record's key and headers (the client's limit) plus Kafka's per-record overhead. */
    private static final long RECORD_OVERHEAD = KafkaStreamClient.MAX_HEADER_BYTES + 512;

    private static final int BATCH_BYTES = 64 * 1024;

    private final String bootstrap;
    private final KafkaSecurity security;
    private final String namespace;
    /** Null: the topic and a dot. */
    private final String groupIdPrefix;

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
    private final Duration commitInterval;
    private final String acks;
    private final boolean logAppendTime;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final Duration closeTimeout;
    private final int maxInFlight;
    private final KafkaExtras extras;

    private KafkaSettings(ClientConfig config) {
        String scheme = config.scheme();
        if (!scheme.equals("kafka") && !scheme.equals("kafka+ssl")) {
            throw configuration(
                    "URI scheme '" + scheme + ":' is not served by the Kafka backend; use kafka:// or kafka+ssl://");
        }
        Set<String> known = new TreeSet<>(OPTIONS);
        config.options().keySet().stream()
                .filter(k -> k.startsWith(KafkaExtras.KAFKA_PREFIX))
                .forEach(known::add);
        OptionReader o = config.optionReader("Kafka", known);
        KafkaAddress address = KafkaAddress.parse(config, o);
        this.bootstrap = address.bootstrap();
        this.security = KafkaSecurity.read(config, address, o);
        this.namespace = config.namespace().orElse(null);
        this.groupIdPrefix = o.string("groupIdPrefix").orElse(null);
        if (groupIdPrefix != null
                && (groupIdPrefix.length() > 200 || groupIdPrefix.chars().anyMatch(Character::isISOControl))) {
            o.problem("groupIdPrefix must be at most 200 characters without control characters");
        }
        this.partitions = (int) o.range("partitions", 1, 1, 10_000);
        short rf = (short) o.range("replicationFactor", -1, -1, 32);
        if (rf == 0) {
            o.problem("replicationFactor=0 must be -1 (broker default) or 1 to 32");
            rf = -1;
        }
        this.replicationFactor = rf;
        this.minInsyncReplicas =
                o.string("minInsyncReplicas").isPresent() ? (int) o.range("minInsyncReplicas", 1, 1, 32) : null;
        this.retention = o.string("retention").isPresent() ? o.positiveDuration("retention", null) : null;
        this.linger = o.duration("linger", Duration.ofMillis(5), Duration.ZERO, Duration.ofSeconds(10));
        this.sessionTimeout = o.positiveDuration("sessionTimeout", Duration.ofSeconds(10));
        this.heartbeatInterval = o.positiveDuration(
                "heartbeatInterval", Duration.ofMillis(Math.max(100, sessionTimeout.toMillis() / 4)));
        if (heartbeatInterval.compareTo(sessionTimeout) >= 0) {
            o.problem("heartbeatInterval (" + heartbeatInterval + ") must be below sessionTimeout (" + sessionTimeout
                    + ")");
        }
        this.readerConsumers = (int) o.range("readerConsumers", 8, 1, 256);
        this.maxPayloadBytes = (int) o.range("maxPayloadBytes", 1_000_000, 1, 64 << 20);
        this.maxUnacked = (int) o.range("maxUnacked", 10_000, 1, 1_000_000);
        this.commitInterval = o.duration("commitInterval", Duration.ZERO, Duration.ZERO, Duration.ofSeconds(10));
        if (o.string("acks").map(a -> a.trim().equals("0")).orElse(false)) {
            o.problem("acks=0 cannot report ids; use acks=all or acks=1");
            this.acks = "all";
        } else {
            this.acks = o.choice("acks", "all", "all", "-1", "1");
        }
        this.logAppendTime = o.choice("timestampType", "logappendtime", "LogAppendTime", "CreateTime")
                .equals("logappendtime");
        this.connectTimeout = config.connectTimeout();
        this.requestTimeout = config.requestTimeout();
        this.closeTimeout = config.closeTimeout();
        this.maxInFlight = config.maxInFlightAppends();
        boolean unsafe = o.bool("allowUnsafeKafkaProperties", false);
        this.extras = new KafkaExtras(config, unsafe, o::problem);
        o.check();
    }

    /** Replaces every secret this configuration holds (URI password, secret-looking options) in a message. */
    public String scrub(String message) {
        if (message == null) {
            return "";
        }
        return extras.scrub(security.scrub(message));
    }

    /** Reads and validates the settings. */
    public static KafkaSettings from(ClientConfig config) {
        return new KafkaSettings(config);
    }

    static StreamException configuration(String message) {
        return new StreamException(ErrorKind.CONFIGURATION, message);
    }

    /** Properties shared by producer, consumers and admin: servers, security, timeouts, extras. */
    private Map<String, Object> base() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bootstrap.servers", bootstrap);
        security.putInto(m);
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

    /**
     * The shared idempotent producer's properties. The append window is the one bound of appends in
     * flight: the producer's buffer holds a full window of records of the largest size (so a send
     * never blocks on {@code buffer.memory}; memory stays bounded by maxInFlightAppends × the largest
     * record), and the producer's delivery timeout ends before the window's deadline (the request
     * timeout), so the producer's answer, which tells whether a request left, comes first.
     */
    public Map<String, Object> producerProps(String clientId) {
        Map<String, Object> m = base();
        long lingerMs = linger.toMillis();
        long delivery = Math.max(requestTimeout.toMillis() - windowMargin().toMillis(), lingerMs + 1_000);
        m.put("client.id", clientId);
        m.put("acks", acks);
        m.put("enable.idempotence", acks.equals("all") || acks.equals("-1"));
        m.put("linger.ms", (int) lingerMs);
        m.put("max.in.flight.requests.per.connection", 5);
        m.put("request.timeout.ms", (int) Math.max(1, delivery - lingerMs));
        m.put("delivery.timeout.ms", (int) delivery);
        // a metadata wait inside send(), then the deleted-topic check, both before the window's deadline
        m.put(
                "max.block.ms",
                Math.max(
                        1,
                        requestTimeout.toMillis()
                                - windowMargin().toMillis()
                                - appendTopicCheck().toMillis()));
        m.put("max.request.size", Math.max(1_048_576, maxPayloadBytes + 64 * 1024));
        m.put("batch.size", BATCH_BYTES);
        m.put("buffer.memory", bufferMemory());
        m.put("compression.type", "none");
        m.put("partitioner.ignore.keys", false);
        // keep the topic metadata while every broker is unreachable, so appends queue (bounded by the
        // window) and fail after the delivery timeout instead of blocking each caller for max.block.ms
        m.put("metadata.recovery.strategy", "none");
        // forget a topic after 10 s without appends (Kafka's default: 5 min). The producer refreshes the
        // metadata of every topic it remembers; one that was deleted answers "unknown topic", and the
        // producer asks again about once a second, holding its sends while each answer is due (stalls of
        // ~120 ms on every stream of the client, docs/benchmarks.md). The cost: an append to a stream idle
        // for longer waits for one metadata round trip inside send(); with every broker down that wait
        // blocks one caller for max.block.ms, then KafkaAppender fails the others at once (kit rule F1)
        m.put("metadata.max.idle.ms", METADATA_IDLE_MS);
        return withExtras(m, extras.producer);
    }

    /** How long the producer keeps the metadata of a topic it does not append to. */
    static final int METADATA_IDLE_MS = 10_000;

    /** A full window of the largest records plus one batch, at least Kafka's default 32 MiB; saturating. */
    long bufferMemory() {
        long perRecord = maxPayloadBytes + RECORD_OVERHEAD;
        long window = maxInFlight > Long.MAX_VALUE / perRecord ? Long.MAX_VALUE / 2 : maxInFlight * perRecord;
        return Math.max(32L << 20, window + BATCH_BYTES);
    }

    /** How long before the window's deadline the producer gives up on a record: a tenth, at least 200 ms. */
    private Duration windowMargin() {
        return Duration.ofMillis(Math.max(200, requestTimeout.toMillis() / 10));
    }

    /** How long an append that timed out on metadata may spend asking whether its topic was deleted. */
    Duration appendTopicCheck() {
        return Duration.ofMillis(Math.max(500, requestTimeout.toMillis() / 5));
    }

    /** Properties of a pooled reader consumer (no group, manual assignment). */
    public Map<String, Object> readerProps(String clientId) {
        return withExtras(consumerDefaults(clientId), extras.consumer);
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

    /**
     * The pooled reader consumers' {@code max.poll.records}: 1 000 unless the option
     * {@code kafka.max.poll.records} (or {@code kafka.consumer.max.poll.records}) sets it. It bounds
     * the records a reader consumer keeps beyond what a read asked for (its read-ahead, one poll).
     * A value Kafka cannot read is reported by Kafka when the consumer is made; here it counts as the
     * default.
     */
    public int readerMaxPollRecords() {
        Object v = readerProps("settings").get("max.poll.records");
        try {
            int n = v instanceof Number num
                    ? num.intValue()
                    : Integer.parseInt(String.valueOf(v).trim());
            return n >= 1 ? n : 1_000;
        } catch (NumberFormatException e) {
            return 1_000;
        }
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
        m.put("max.poll.records", 1_000);
        return withExtras(m, extras.consumer);
    }

    /** The admin client's properties. */
    public Map<String, Object> adminProps(String clientId) {
        Map<String, Object> m = base();
        m.put("client.id", clientId);
        return withExtras(m, extras.admin);
    }

    /** The user's extra properties last, so they override ours: the common ones, then one kind's. */
    private Map<String, Object> withExtras(Map<String, Object> m, Map<String, String> kind) {
        m.putAll(extras.common);
        m.putAll(kind);
        return m;
    }

    /** The topic of a stream: {@code namespace.stream}, or the stream name without a namespace. */
    public String topic(StreamName stream) {
        return namespace == null ? stream.value() : namespace + "." + stream.value();
    }

    /**
     * The Kafka group id of a Tributary group: {@code groupIdPrefix} followed by the group's name —
     * by default the prefix is the topic and a dot ({@code <topic>.<group>}; names contain no dots, so
     * two streams' groups never share an id). An empty prefix ({@code groupIdPrefix=}) makes the group's
     * name the Kafka group id, to join a group other Kafka applications already use; {@code
     * groupIdPrefix=com.acme.} joins {@code com.acme.billing} as group {@code billing}.
     */
    public String groupId(StreamName stream, String group) {
        return (groupIdPrefix == null ? topic(stream) + "." : groupIdPrefix) + group;
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

    /**
     * How often a group member commits its acks while events flow: zero (the default) after every
     * poll; longer, at most that often (and at once when a poll finds nothing or is about to wait).
     */
    public Duration commitInterval() {
        return commitInterval;
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
        return security.protocol();
    }
}
