package dev.tributary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link Logging} only sets system properties; each test starts from none of slf4j-simple's and restores them. */
class LoggingTest {
    private static final String P = "org.slf4j.simpleLogger.";
    private Properties saved;

    @BeforeEach
    void clear() {
        saved = (Properties) System.getProperties().clone();
        System.getProperties().stringPropertyNames().stream()
                .filter(k -> k.startsWith(P))
                .forEach(System::clearProperty);
    }

    @AfterEach
    void restore() {
        System.setProperties(saved);
    }

    @Test
    void byDefaultOnlyTributaryErrorsReachStderr() {
        Logging.configure(new String[] {"--uri", "memory:", "info", "s"});
        assertEquals("off", System.getProperty(P + "defaultLogLevel"));
        assertEquals("error", System.getProperty(P + "log.dev.tributary"));
        assertEquals("System.err", System.getProperty(P + "logFile"));
        assertEquals("HH:mm:ss.SSS", System.getProperty(P + "dateTimeFormat"));
        assertNull(System.getProperty(P + "log.dev.tributary.core"), "only the demo and the kit silence core");
    }

    @Test
    void verboseLogsEveryLoggerAtInfo() {
        Logging.configure(new String[] {"--verbose", "tail", "s"});
        assertEquals("info", System.getProperty(P + "defaultLogLevel"));
        assertNull(System.getProperty(P + "log.dev.tributary"));
    }

    @Test
    void theDemoAndTheKitSilenceCoreUnlessVerbose() {
        Logging.configure(new String[] {"demo"});
        assertEquals("off", System.getProperty(P + "log.dev.tributary.core"));
        System.clearProperty(P + "log.dev.tributary.core");
        Logging.configure(new String[] {"tck", "--verbose"});
        assertNull(System.getProperty(P + "log.dev.tributary.core"));
    }

    @Test
    void argumentsAfterDoubleDashAreNotOptionsAndPropertiesGivenWin() {
        System.setProperty(P + "defaultLogLevel", "debug");
        System.setProperty(P + "logFile", "System.out");
        Logging.configure(new String[] {"produce", "--", "--verbose", "demo"});
        assertEquals("debug", System.getProperty(P + "defaultLogLevel"));
        assertEquals("System.out", System.getProperty(P + "logFile"));
        assertNull(System.getProperty(P + "log.dev.tributary.core"));
    }
}
