package dev.tributary.tck;

import dev.tributary.ClientConfig;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Assumptions;

/**
 * The contract kit against a broker given by URI, for {@link TckRunner} and launchers: the URI comes
 * from {@link #use(String)} or, when none was set, from the system property {@value #URI_PROPERTY}.
 * There is no broker control, so the F rules are skipped.
 *
 * <p>The kit needs clients that see each other's data, like clients of one broker. A
 * {@code memory:} URI without a store name gives every client a private store, so it is run as the
 * shared named store {@code memory:tck-<runid>} (same options).
 */
public class UriTck extends StreamClientTck {
    /** System property naming the URI when none was set with {@link #use(String)}. */
    public static final String URI_PROPERTY = "tributary.tck.uri";

    private static volatile String current;
    private static final Map<String, BrokerFixture> FIXTURES = new ConcurrentHashMap<>();

    /** Sets the URI the next runs use; returns the previous one (may be null). */
    public static String use(String uri) {
        String previous = current;
        current = uri;
        return previous;
    }

    /** The URI the kit runs against, after the {@code memory:} rewrite; null when none is set. */
    public static String target() {
        String uri = current != null ? current : System.getProperty(URI_PROPERTY);
        return uri == null || uri.isBlank() ? null : shared(uri.trim());
    }

    static String shared(String uri) {
        if (uri.equals("memory:") || uri.startsWith("memory:?")) {
            return "memory:tck-" + Tck.runId() + uri.substring("memory:".length());
        }
        return uri;
    }

    @Override
    protected BrokerFixture fixture() {
        return uriFixture();
    }

    /** The fixture for the current URI (one per URI per JVM); aborts the rule when no URI is set. */
    static BrokerFixture uriFixture() {
        String uri = target();
        if (uri == null) {
            Assumptions.abort("no URI: call UriTck.use(uri) or set -D" + URI_PROPERTY + "=<uri>");
        }
        return FIXTURES.computeIfAbsent(uri, u -> {
            ClientConfig config = ClientConfig.parse(u);
            return new BrokerFixture() {
                @Override
                public ClientConfig config() {
                    return config;
                }
            };
        });
    }
}
