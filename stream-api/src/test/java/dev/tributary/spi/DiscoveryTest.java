package dev.tributary.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.Capability;
import dev.tributary.ClientConfig;
import dev.tributary.ErrorKind;
import dev.tributary.StreamClient;
import dev.tributary.StreamClients;
import dev.tributary.StreamException;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discovery on isolated class paths: each test builds a class loader whose only
 * {@code META-INF/services} entry lists the providers of that case.
 */
class DiscoveryTest {

    @TempDir
    Path tmp;

    public static final class AlphaProvider extends TestProvider {
        public AlphaProvider() {
            super("alpha", "alpha");
        }
    }

    public static final class BetaProvider extends TestProvider {
        public BetaProvider() {
            super("beta", "beta", "shared");
        }
    }

    public static final class GammaProvider extends TestProvider {
        public GammaProvider() {
            super("gamma", "shared");
        }
    }

    public static final class OtherAlphaProvider extends TestProvider {
        public OtherAlphaProvider() {
            super("alpha", "alpha2");
        }
    }

    public static final class ThrowingProvider extends TestProvider {
        public ThrowingProvider() {
            super("boom", "boom");
            throw new IllegalStateException("cannot construct");
        }
    }

    abstract static class TestProvider implements StreamProvider {
        private final String name;
        private final Set<String> schemes;

        TestProvider(String name, String... schemes) {
            this.name = name;
            this.schemes = Set.of(schemes);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Set<String> schemes() {
            return schemes;
        }

        @Override
        public Set<Capability> capabilities() {
            return Set.of();
        }

        @Override
        public StreamClient create(ProviderContext context) {
            throw new StreamException(ErrorKind.RETRYABLE, "test provider " + name + " does not connect");
        }
    }

    private StreamProviderRegistry registryOf(Class<?>... providers) throws IOException {
        Path dir = Files.createTempDirectory(tmp, "cp");
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        StringBuilder b = new StringBuilder();
        for (Class<?> c : providers) {
            b.append(c.getName()).append('\n');
        }
        Files.writeString(services.resolve(StreamProvider.class.getName()), b.toString());
        ClassLoader loader =
                new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
        return StreamProviderRegistry.load(loader);
    }

    private static StreamException configError(Runnable r) {
        StreamException e = assertThrows(StreamException.class, r::run);
        assertEquals(ErrorKind.CONFIGURATION, e.kind(), e.getMessage());
        return e;
    }

    @Test
    void noProviderNamesTheArtifactsToAdd() throws IOException {
        StreamProviderRegistry r = registryOf();
        StreamException e = configError(() -> r.select(ClientConfig.parse("redis://localhost"), null));
        assertTrue(e.getMessage().contains("dev.tributary:stream-memory"), e.getMessage());
        assertTrue(e.getMessage().contains("dev.tributary:stream-redis"), e.getMessage());
    }

    @Test
    void oneProviderIsFoundByScheme() throws IOException {
        StreamProviderRegistry r = registryOf(AlphaProvider.class);
        assertEquals("alpha", r.select(ClientConfig.parse("alpha://x"), null).name());
        StreamException e = configError(() -> r.select(ClientConfig.parse("redis://x"), null));
        assertTrue(e.getMessage().contains("alpha (alpha:)"), e.getMessage());
    }

    @Test
    void twoProvidersAreChosenBySchemeOrByName() throws IOException {
        StreamProviderRegistry r = registryOf(AlphaProvider.class, BetaProvider.class, GammaProvider.class);
        assertEquals("alpha", r.select(ClientConfig.parse("alpha://x"), null).name());
        assertEquals("beta", r.select(ClientConfig.parse("beta://x"), null).name());
        StreamException ambiguous = configError(() -> r.select(ClientConfig.parse("shared://x"), null));
        assertTrue(ambiguous.getMessage().contains("tributary.provider"), ambiguous.getMessage());
        assertEquals(
                "gamma", r.select(ClientConfig.parse("shared://x"), "gamma").name());
        StreamException unknown = configError(() -> r.select(ClientConfig.parse("alpha://x"), "delta"));
        assertTrue(unknown.getMessage().contains("beta"), unknown.getMessage());
    }

    @Test
    void selectionPropertyOverridesTheScheme() throws IOException {
        StreamProviderRegistry r = registryOf(AlphaProvider.class, BetaProvider.class);
        System.setProperty(StreamProviderRegistry.SELECTION_PROPERTY, "beta");
        try {
            assertEquals("beta", r.select(ClientConfig.parse("alpha://x"), null).name());
        } finally {
            System.clearProperty(StreamProviderRegistry.SELECTION_PROPERTY);
        }
    }

    @Test
    void twoProvidersWithTheSameNameFailNamingBoth() throws IOException {
        StreamProviderRegistry r = registryOf(AlphaProvider.class, OtherAlphaProvider.class);
        StreamException e = configError(() -> r.select(ClientConfig.parse("alpha://x"), null));
        assertTrue(e.getMessage().contains(AlphaProvider.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains(OtherAlphaProvider.class.getName()), e.getMessage());
    }

    @Test
    void providerThatFailsToLoadIsReportedAndSkipped() throws IOException {
        StreamProviderRegistry r = registryOf(ThrowingProvider.class, AlphaProvider.class);
        assertEquals(
                List.of("alpha"),
                r.providers().stream().map(StreamProvider::name).toList());
        assertEquals(1, r.failures().size());
        assertTrue(
                r.failures().get(0).contains(ThrowingProvider.class.getName()),
                r.failures().get(0));
        StreamException e = configError(() -> r.select(ClientConfig.parse("boom://x"), null));
        assertTrue(e.getMessage().contains("failed to load"), e.getMessage());
    }

    @Test
    void openDelegatesToTheChosenProvider() throws IOException {
        StreamProviderRegistry r = registryOf(AlphaProvider.class);
        StreamException e = assertThrows(StreamException.class, () -> r.open(ClientConfig.parse("alpha://x")));
        assertEquals(ErrorKind.RETRYABLE, e.kind());
    }

    @Test
    void facadeUsesTheContextClassLoader() throws IOException {
        Path dir = Files.createTempDirectory(tmp, "ctx");
        Files.createDirectories(dir.resolve("META-INF/services"));
        Files.writeString(
                dir.resolve("META-INF/services/" + StreamProvider.class.getName()), AlphaProvider.class.getName());
        Thread t = Thread.currentThread();
        ClassLoader old = t.getContextClassLoader();
        t.setContextClassLoader(
                new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader()));
        try {
            StreamException e = assertThrows(StreamException.class, () -> StreamClients.open("alpha://x"));
            assertEquals(ErrorKind.RETRYABLE, e.kind(), e.getMessage());
            configError(() -> StreamClients.open("nope://x"));
        } finally {
            t.setContextClassLoader(old);
        }
    }
}
