package dev.tributary;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a client is opened with: the URI that chooses the backend and broker, typed common
 * settings and backend options. Immutable; build with {@link #builder(String)} or {@link #parse(String)}.
 *
 * <p>Common settings may be given in the URI's query: {@code namespace}, {@code connectTimeout},
 * {@code requestTimeout}, {@code closeTimeout} (durations like {@code 500ms}, {@code 5s}, {@code 2m}
 * or ISO-8601 {@code PT5S}) and {@code maxInFlightAppends}. Any other query parameter is a backend
 * option, readable with {@link #option(String)}; each backend documents its own.
 *
 * <p>{@link #toString()} never shows secrets: the URI's password and options whose name contains
 * {@code password}, {@code secret}, {@code token} or {@code credential} are masked.
 */
public final class ClientConfig {
    /** Connect timeout when none is given: 10 s. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Request timeout when none is given: 10 s. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** Close timeout when none is given: 5 s. */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);
    /** Appends in flight per client when none is given: 10,000. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 10_000;

    private final URI uri;
    private final String namespace;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final Duration closeTimeout;
    private final int maxInFlightAppends;
    private final Map<String, String> options;

    private ClientConfig(Builder b) {
        this.uri = b.uri;
        this.namespace = b.namespace;
        this.connectTimeout = b.connectTimeout;
        this.requestTimeout = b.requestTimeout;
        this.closeTimeout = b.closeTimeout;
        this.maxInFlightAppends = b.maxInFlightAppends;
        this.options = Collections.unmodifiableMap(new LinkedHashMap<>(b.options));
    }

    /** Parses a URI with its query settings. */
    public static ClientConfig parse(String uri) {
        return builder(uri).build();
    }

    /** A builder for this URI; its query settings are applied first and may be overridden. */
    public static Builder builder(String uri) {
        if (uri == null || uri.isBlank()) {
            throw new StreamException(
                    ErrorKind.CONFIGURATION, "a stream URI is required, e.g. memory: or redis://localhost:6379");
        }
        URI parsed;
        String text = uri.trim();
        if (text.matches("[A-Za-z][A-Za-z0-9+.-]*:")) {
            // A bare "scheme:" (e.g. "memory:") is legal for us but java.net.URI wants a scheme-specific part.
            text = text + "?";
        }
        try {
            parsed = new URI(text);
        } catch (URISyntaxException e) {
            throw new StreamException(
                    ErrorKind.CONFIGURATION, "'" + maskUri(uri) + "' is not a valid URI: " + e.getReason());
        }
        if (parsed.getScheme() == null) {
            throw new StreamException(
                    ErrorKind.CONFIGURATION,
                    "URI '" + maskUri(uri)
                            + "' has no scheme; start it with the backend, e.g. memory:, redis://, kafka://, nats://");
        }
        Builder b = new Builder(parsed);
        String query = parsed.getRawQuery();
        if (parsed.isOpaque()) {
            String ssp = parsed.getRawSchemeSpecificPart();
            int q = ssp.indexOf('?');
            query = q >= 0 ? ssp.substring(q + 1) : null;
        }
        if (query != null && !query.isEmpty()) {
            for (String part : query.split("&")) {
                if (part.isEmpty()) {
                    continue;
                }
                int eq = part.indexOf('=');
                String k = decode(eq < 0 ? part : part.substring(0, eq));
                String v = eq < 0 ? "" : decode(part.substring(eq + 1));
                b.setting(k, v);
            }
        }
        return b;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** The URI as given (including any credentials; never log it, log {@link #safeUri()}). */
    public URI uri() {
        return uri;
    }

    /** The URI scheme in lower case, e.g. {@code redis}. */
    public String scheme() {
        return uri.getScheme().toLowerCase(Locale.ROOT);
    }

    /** The URI with its password and query removed, for messages and logs. */
    public String safeUri() {
        return maskUri(uri.toString());
    }

    /** The namespace prefix for broker objects, if set. */
    public Optional<String> namespace() {
        return Optional.ofNullable(namespace);
    }

    /** How long opening a connection to the broker may take. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** How long one request to the broker may take. */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** How long {@code close()} waits for work in flight. */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    /** Bound of the window of appends in flight per client. */
    public int maxInFlightAppends() {
        return maxInFlightAppends;
    }

    /** A backend option. */
    public Optional<String> option(String name) {
        return Optional.ofNullable(options.get(name));
    }

    /** All backend options, in the order given. */
    public Map<String, String> options() {
        return options;
    }

    /** A backend option parsed as a duration. */
    public Optional<Duration> durationOption(String name) {
        return option(name).map(v -> parseDuration(name, v));
    }

    /** A backend option parsed as an integer. */
    public Optional<Long> longOption(String name) {
        return option(name).map(v -> {
            try {
                return Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                throw new StreamException(ErrorKind.CONFIGURATION, "option " + name + "=" + v + " is not an integer");
            }
        });
    }

    /**
     * The typed reader of this configuration's backend options, which reports every bad or unknown
     * option in one error (see {@link dev.tributary.spi.OptionReader}).
     *
     * @param backend the backend's display name for messages
     * @param known   every option the backend understands
     */
    public dev.tributary.spi.OptionReader optionReader(String backend, java.util.Collection<String> known) {
        return new dev.tributary.spi.OptionReader(this, backend, known);
    }

    /** A builder that starts with every setting of this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder(uri);
        b.namespace = namespace;
        b.connectTimeout = connectTimeout;
        b.requestTimeout = requestTimeout;
        b.closeTimeout = closeTimeout;
        b.maxInFlightAppends = maxInFlightAppends;
        b.options.putAll(options);
        return b;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("ClientConfig[").append(safeUri());
        if (namespace != null) {
            s.append(", namespace=").append(namespace);
        }
        s.append(", connectTimeout=")
                .append(connectTimeout)
                .append(", requestTimeout=")
                .append(requestTimeout)
                .append(", closeTimeout=")
                .append(closeTimeout)
                .append(", maxInFlightAppends=")
                .append(maxInFlightAppends);
        options.forEach((k, v) -> s.append(", ").append(k).append('=').append(isSecret(k) ? "****" : v));
        return s.append(']').toString();
    }

    /** True for option names that hold secrets. */
    public static boolean isSecret(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.contains("password")
                || n.contains("secret")
                || n.contains("token")
                || n.contains("credential")
                || n.contains("pass")
                || n.equals("sasl.jaas.config")
                || n.endsWith(".key")
                || n.contains("private");
    }

    /** Removes user info's password and the query from a URI string. */
    public static String maskUri(String uri) {
        if (uri == null) {
            return "null";
        }
        String s = uri;
        int q = s.indexOf('?');
        if (q >= 0) {
            s = s.substring(0, q);
        }
        int scheme = s.indexOf("://");
        if (scheme >= 0) {
            int at = s.indexOf('@', scheme + 3);
            int slash = s.indexOf('/', scheme + 3);
            if (at >= 0 && (slash < 0 || at < slash)) {
                String userInfo = s.substring(scheme + 3, at);
                int colon = userInfo.indexOf(':');
                String masked = colon >= 0 ? userInfo.substring(0, colon) + ":****" : "****";
                s = s.substring(0, scheme + 3) + masked + s.substring(at);
            }
        }
        return s;
    }

    /** Parses {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}, a plain number of milliseconds, or ISO-8601. */
    public static Duration parseDuration(String name, String v) {
        String t = v.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("pt") || t.startsWith("p")) {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            }
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            if (t.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            if (t.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            if (t.endsWith("h")) {
                return Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            return Duration.ofMillis(Long.parseLong(t));
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new StreamException(
                    ErrorKind.CONFIGURATION, name + "=" + v + " is not a duration; write e.g. 500ms, 5s, 2m or PT5S");
        }
    }

    /** Builds a {@link ClientConfig}. */
    public static final class Builder {
        private final URI uri;
        private String namespace;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
        private int maxInFlightAppends = DEFAULT_MAX_IN_FLIGHT;
        private final Map<String, String> options = new LinkedHashMap<>();

        private Builder(URI uri) {
            this.uri = uri;
        }

        /** Sets a common setting by name, or a backend option for any other name. */
        public Builder setting(String name, String value) {
            switch (name) {
                case "namespace" -> namespace(value);
                case "connectTimeout" -> connectTimeout(parseDuration(name, value));
                case "requestTimeout" -> requestTimeout(parseDuration(name, value));
                case "closeTimeout" -> closeTimeout(parseDuration(name, value));
                case "maxInFlightAppends" -> {
                    try {
                        maxInFlightAppends(Integer.parseInt(value.trim()));
                    } catch (NumberFormatException e) {
                        throw new StreamException(
                                ErrorKind.CONFIGURATION, "maxInFlightAppends=" + value + " is not an integer");
                    }
                }
                default -> option(name, value);
            }
            return this;
        }

        /** The namespace prefix; letters, digits, '_' and '-' only. Null or empty clears it. */
        public Builder namespace(String ns) {
            if (ns == null || ns.isEmpty()) {
                this.namespace = null;
            } else {
                try {
                    StreamName.check(ns, "namespace");
                } catch (StreamException e) {
                    throw new StreamException(ErrorKind.CONFIGURATION, e.getMessage());
                }
                this.namespace = ns;
            }
            return this;
        }

        /** Sets {@link ClientConfig#connectTimeout()}; must be positive. */
        public Builder connectTimeout(Duration d) {
            this.connectTimeout = positive("connectTimeout", d);
            return this;
        }

        /** Sets {@link ClientConfig#requestTimeout()}; must be positive. */
        public Builder requestTimeout(Duration d) {
            this.requestTimeout = positive("requestTimeout", d);
            return this;
        }

        /** Sets {@link ClientConfig#closeTimeout()}; must be positive. */
        public Builder closeTimeout(Duration d) {
            this.closeTimeout = positive("closeTimeout", d);
            return this;
        }

        /** Sets the bound on appends in flight per client, 1 to 1,000,000. */
        public Builder maxInFlightAppends(int n) {
            if (n < 1 || n > 1_000_000) {
                throw new StreamException(ErrorKind.CONFIGURATION, "maxInFlightAppends must be 1 to 1000000, got " + n);
            }
            this.maxInFlightAppends = n;
            return this;
        }

        /** A backend option. */
        public Builder option(String name, String value) {
            if (name == null || name.isEmpty() || value == null) {
                throw new StreamException(ErrorKind.CONFIGURATION, "option name and value must be non-empty");
            }
            options.put(name, value);
            return this;
        }

        /** The immutable configuration. */
        public ClientConfig build() {
            return new ClientConfig(this);
        }

        private static Duration positive(String name, Duration d) {
            if (d == null || d.isNegative() || d.isZero() || d.compareTo(Duration.ofHours(1)) > 0) {
                throw new StreamException(ErrorKind.CONFIGURATION, name + " must be between 1 ms and 1 h, got " + d);
            }
            return d;
        }
    }
}
