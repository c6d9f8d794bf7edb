package dev.tributary.spring.boot;

import dev.tributary.ClientConfig;
import dev.tributary.ErrorKind;
import dev.tributary.StreamException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code tributary.*} settings: the client's URI and common settings, and how the starter runs
 * processors, health, metrics and tracing.
 *
 * <p>A common setting left unset here keeps the value of the URI's query (for example
 * {@code redis://host:6379?requestTimeout=2s}) or else the backend default; a setting given here
 * overrides the URI's query. {@code tributary.uri} has no default: without it (and without an
 * application-defined {@code StreamClient}) the context fails to start with an error that names the
 * property — an event client that silently fell back to an in-memory store would lose every event
 * at the first restart.
 */
@ConfigurationProperties("tributary")
public class TributaryProperties {
    /**
     * The broker and backend, e.g. redis://localhost:6379, kafka://host:9092, nats://host:4222, or
     * memory:NAME for the in-JVM store NAME. The backend jar must be on the class path.
     */
    private String uri;

    /** Prefix of every broker object (letters, digits, '_', '-'); unset means none. */
    private String namespace;

    /** How long connecting may take (default 10s). */
    private Duration connectTimeout;

    /** How long one request may take (default 10s). */
    private Duration requestTimeout;

    /** How long closing the client may take (default 5s). */
    private Duration closeTimeout;

    /** Most appends in flight per client, 1 to 1000000 (default 10000). */
    private Integer maxInFlightAppends;

    /**
     * Backend options, as in the URI query (each backend's README lists them). Keys with dots or
     * capitals keep their exact form when written in brackets: tributary.options.[sasl.mechanism].
     */
    private Map<String, String> options = new LinkedHashMap<>();

    private final Processors processors = new Processors();
    private final Health health = new Health();
    private final Metrics metrics = new Metrics();
    private final Tracing tracing = new Tracing();

    /**
     * The client configuration these settings describe.
     *
     * @throws StreamException of kind {@link ErrorKind#CONFIGURATION} when {@code tributary.uri} is
     *                         unset or a setting is invalid
     */
    public ClientConfig toClientConfig() {
        if (uri == null || uri.isBlank()) {
            throw new StreamException(
                    ErrorKind.CONFIGURATION,
                    "tributary.uri is not set; set it to the broker, "
                            + "e.g. tributary.uri=redis://localhost:6379, or to tributary.uri=memory:NAME for the in-JVM "
                            + "backend (dev.tributary:stream-memory), or define a StreamClient bean of your own");
        }
        ClientConfig.Builder b = ClientConfig.builder(uri);
        if (namespace != null) {
            b.namespace(namespace);
        }
        if (connectTimeout != null) {
            b.connectTimeout(connectTimeout);
        }
        if (requestTimeout != null) {
            b.requestTimeout(requestTimeout);
        }
        if (closeTimeout != null) {
            b.closeTimeout(closeTimeout);
        }
        if (maxInFlightAppends != null) {
            b.maxInFlightAppends(maxInFlightAppends);
        }
        options.forEach(b::option);
        return b.build();
    }

    public String getUri() {
        return uri;
    }

    public void setUri(String uri) {
        this.uri = uri;
    }

    public String getNamespace() {
        return namespace;
    }

    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public Duration getRequestTimeout() {
        return requestTimeout;
    }

    public void setRequestTimeout(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    public Duration getCloseTimeout() {
        return closeTimeout;
    }

    public void setCloseTimeout(Duration closeTimeout) {
        this.closeTimeout = closeTimeout;
    }

    public Integer getMaxInFlightAppends() {
        return maxInFlightAppends;
    }

    public void setMaxInFlightAppends(Integer maxInFlightAppends) {
        this.maxInFlightAppends = maxInFlightAppends;
    }

    public Map<String, String> getOptions() {
        return options;
    }

    public void setOptions(Map<String, String> options) {
        this.options = options;
    }

    public Processors getProcessors() {
        return processors;
    }

    public Health getHealth() {
        return health;
    }

    public Metrics getMetrics() {
        return metrics;
    }

    public Tracing getTracing() {
        return tracing;
    }

    /** How the starter runs the application's {@code Processor} beans. */
    public static class Processors {
        /** Whether Processor beans start once the context is refreshed. */
        private boolean autoStartup = true;

        /**
         * How long each processor may take to finish its current batch at shutdown; past it, its read
         * is closed and events not handled stay unacknowledged (redelivered later). Keep it below
         * spring.lifecycle.timeout-per-shutdown-phase (30s by default).
         */
        private Duration shutdownTimeout = Duration.ofSeconds(10);

        public boolean isAutoStartup() {
            return autoStartup;
        }

        public void setAutoStartup(boolean autoStartup) {
            this.autoStartup = autoStartup;
        }

        public Duration getShutdownTimeout() {
            return shutdownTimeout;
        }

        public void setShutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = shutdownTimeout;
        }
    }

    /** The "tributary" health indicator (needs Actuator). */
    public static class Health {
        /** Whether the health details include the lag and pending count of each group processor. */
        private boolean lag = true;

        public boolean isLag() {
            return lag;
        }

        public void setLag(boolean lag) {
            this.lag = lag;
        }
    }

    /** Micrometer meters (needs a MeterRegistry and dev.tributary:stream-micrometer). */
    public static class Metrics {
        /** Whether the client and processors made through the starter are metered. */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** OpenTelemetry tracing (needs an OpenTelemetry bean and dev.tributary:stream-opentelemetry). */
    public static class Tracing {
        /** Whether the client is traced and TributaryProcessors#traced wraps handlers in process spans. */
        private boolean enabled = true;

        /**
         * Whether records of traces the sampler dropped carry their trace context (false: no trace
         * headers on them, so only sampled traces pay for the header).
         */
        private boolean propagateDroppedTraces = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public boolean isPropagateDroppedTraces() {
            return propagateDroppedTraces;
        }

        public void setPropagateDroppedTraces(boolean propagateDroppedTraces) {
            this.propagateDroppedTraces = propagateDroppedTraces;
        }
    }
}
