package dev.tributary.spi;

import dev.tributary.ClientConfig;
import dev.tributary.ErrorKind;
import dev.tributary.StreamClient;
import dev.tributary.StreamException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * The providers found on one class loader. An instance, not global state: tests and containers
 * load their own. {@link dev.tributary.StreamClients} is a static facade over a registry of the
 * context class loader.
 *
 * <p>Policy: a provider that fails to load is reported ({@link #failures()}) and skipped. Two
 * providers with the same name make every selection fail with an error naming both classes. A
 * client is chosen by the explicit selection (system property {@value #SELECTION_PROPERTY}, or the
 * {@code provider} argument), else by the URI scheme. No provider at all: an error naming the
 * artifacts to add. An unknown name or scheme: an error listing what is available.
 */
public final class StreamProviderRegistry {
    /** System property that selects a provider by name, overriding the URI scheme. */
    public static final String SELECTION_PROPERTY = "tributary.provider";

    static final String ARTIFACTS = "dev.tributary:stream-memory (embedded, memory:), dev.tributary:stream-redis "
            + "(redis://), dev.tributary:stream-kafka (kafka://) or dev.tributary:stream-nats (nats://)";

    private final List<StreamProvider> providers;
    private final List<String> failures;

    private StreamProviderRegistry(List<StreamProvider> providers, List<String> failures) {
        this.providers = Collections.unmodifiableList(providers);
        this.failures = Collections.unmodifiableList(failures);
    }

    /** Loads the providers visible to {@code loader} through {@link ServiceLoader}. */
    public static StreamProviderRegistry load(ClassLoader loader) {
        List<StreamProvider> found = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        Iterator<StreamProvider> it =
                ServiceLoader.load(StreamProvider.class, loader).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                StreamProvider p = it.next();
                if (p.spiVersion() > StreamProvider.CURRENT_SPI_VERSION) {
                    failed.add(p.getClass().getName() + ": built for SPI version " + p.spiVersion()
                            + ", this stream-api supports " + StreamProvider.CURRENT_SPI_VERSION
                            + "; upgrade stream-api");
                    continue;
                }
                found.add(p);
            } catch (ServiceConfigurationError | LinkageError | RuntimeException e) {
                failed.add(String.valueOf(e.getMessage()) + (e.getCause() != null ? " (" + e.getCause() + ")" : ""));
            }
        }
        return new StreamProviderRegistry(found, failed);
    }

    /** A registry of exactly these providers (for tests and embedding). */
    public static StreamProviderRegistry of(List<StreamProvider> providers) {
        return new StreamProviderRegistry(new ArrayList<>(providers), new ArrayList<>());
    }

    /** The providers that loaded. */
    public List<StreamProvider> providers() {
        return providers;
    }

    /** One line per provider that failed to load. */
    public List<String> failures() {
        return failures;
    }

    /** Chooses the provider for a configuration, applying the policy above. */
    public StreamProvider select(ClientConfig config, String explicitName) {
        if (providers.isEmpty()) {
            throw new StreamException(
                    ErrorKind.CONFIGURATION,
                    "no Tributary backend found on the classpath; add one of " + ARTIFACTS + failureSuffix());
        }
        Map<String, List<StreamProvider>> byName = new LinkedHashMap<>();
        for (StreamProvider p : providers) {
            byName.computeIfAbsent(p.name().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(p);
        }
        for (Map.Entry<String, List<StreamProvider>> e : byName.entrySet()) {
            if (e.getValue().size() > 1) {
                throw new StreamException(
                        ErrorKind.CONFIGURATION,
                        "several backends are named '" + e.getKey() + "': "
                                + e.getValue().stream()
                                        .map(p -> p.getClass().getName())
                                        .collect(Collectors.joining(", "))
                                + "; remove all but one of their jars from the classpath");
            }
        }
        String name = explicitName;
        if (name == null || name.isBlank()) {
            name = System.getProperty(SELECTION_PROPERTY);
        }
        if (name != null && !name.isBlank()) {
            List<StreamProvider> chosen = byName.get(name.trim().toLowerCase(Locale.ROOT));
            if (chosen == null) {
                throw new StreamException(
                        ErrorKind.CONFIGURATION,
                        "no backend named '" + name + "'; available: " + describe() + failureSuffix());
            }
            return chosen.get(0);
        }
        String scheme = config.scheme();
        List<StreamProvider> matching =
                providers.stream().filter(p -> p.schemes().contains(scheme)).toList();
        if (matching.isEmpty()) {
            throw new StreamException(
                    ErrorKind.CONFIGURATION,
                    "no backend serves URI scheme '" + scheme + ":'; available: " + describe()
                            + ". Add the backend's jar (" + ARTIFACTS + ")" + failureSuffix());
        }
        if (matching.size() > 1) {
            throw new StreamException(
                    ErrorKind.CONFIGURATION,
                    "several backends serve scheme '" + scheme + ":': "
                            + matching.stream().map(StreamProvider::name).collect(Collectors.joining(", "))
                            + "; choose one with -D" + SELECTION_PROPERTY + "=NAME");
        }
        return matching.get(0);
    }

    /** Opens a client for the configuration. */
    public StreamClient open(ClientConfig config) {
        return select(config, null).create(new ProviderContext(config));
    }

    /** Human-readable list of providers and schemes. */
    public String describe() {
        if (providers.isEmpty()) {
            return "none";
        }
        return providers.stream()
                .map(p -> p.name() + " ("
                        + p.schemes().stream().sorted().map(s -> s + ":").collect(Collectors.joining(", ")) + ")")
                .collect(Collectors.joining("; "));
    }

    private String failureSuffix() {
        return failures.isEmpty() ? "" : ". Backends that failed to load: " + String.join("; ", failures);
    }
}
