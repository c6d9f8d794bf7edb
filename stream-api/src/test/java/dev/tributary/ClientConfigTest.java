package dev.tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClientConfigTest {

    @Test
    void commonSettingsComeFromTheQueryAndTheRestAreOptions() {
        ClientConfig c =
                ClientConfig.parse("redis://localhost:6379?namespace=app&requestTimeout=250ms&connectTimeout=2s"
                        + "&closeTimeout=PT1S&maxInFlightAppends=64&blockingPoolSize=4");
        assertEquals("redis", c.scheme());
        assertEquals("app", c.namespace().orElseThrow());
        assertEquals(Duration.ofMillis(250), c.requestTimeout());
        assertEquals(Duration.ofSeconds(2), c.connectTimeout());
        assertEquals(Duration.ofSeconds(1), c.closeTimeout());
        assertEquals(64, c.maxInFlightAppends());
        assertEquals(4L, c.longOption("blockingPoolSize").orElseThrow());
    }

    @Test
    void opaqueUrisCarryQueriesToo() {
        ClientConfig c = ClientConfig.parse("memory:shared?maxPayloadBytes=10");
        assertEquals("memory", c.scheme());
        assertEquals("10", c.option("maxPayloadBytes").orElseThrow());
    }

    @Test
    void bareSchemeIsAccepted() {
        ClientConfig c = ClientConfig.parse("memory:");
        assertEquals("memory", c.scheme());
        assertTrue(c.options().isEmpty());
    }

    @Test
    void secretsNeverAppearInToString() {
        ClientConfig c = ClientConfig.parse(
                "redis://alice:s3cr3t@localhost:6379?password=hunter2&token=t0k" + "&kafka.ssl.keystore.key=PEMDATA");
        String s = c.toString();
        assertFalse(s.contains("s3cr3t"), s);
        assertFalse(s.contains("hunter2"), s);
        assertFalse(s.contains("t0k"), s);
        assertFalse(s.contains("PEMDATA"), s);
        assertTrue(s.contains("alice"), s);
        assertFalse(c.safeUri().contains("s3cr3t"));
    }

    @Test
    void badUrisAndSettingsAreConfigurationErrors() {
        for (String bad : new String[] {
            null,
            "",
            "  ",
            "localhost:6379 x",
            "no-scheme",
            "redis://h?requestTimeout=soon",
            "redis://h?maxInFlightAppends=0",
            "redis://h?namespace=a.b",
            "redis://h?requestTimeout=0s"
        }) {
            StreamException e = assertThrows(StreamException.class, () -> ClientConfig.parse(bad), String.valueOf(bad));
            assertEquals(ErrorKind.CONFIGURATION, e.kind(), bad);
        }
    }

    @Test
    void durationsTakeMinutesHoursAndBareMillis() {
        ClientConfig c = ClientConfig.parse("memory:x?a=2m&b=1h&c=250&n=12");
        assertEquals(java.time.Duration.ofMinutes(2), c.durationOption("a").orElseThrow());
        assertEquals(java.time.Duration.ofHours(1), c.durationOption("b").orElseThrow());
        assertEquals(java.time.Duration.ofMillis(250), c.durationOption("c").orElseThrow());
        assertEquals(12L, c.longOption("n").orElseThrow());
        assertEquals(java.util.Optional.empty(), c.durationOption("missing"));
    }

    @Test
    void optionsThatAreNotNumbersFailAsConfiguration() {
        ClientConfig c = ClientConfig.parse("memory:x?n=twelve");
        assertEquals(
                ErrorKind.CONFIGURATION,
                org.junit.jupiter.api.Assertions.assertThrows(StreamException.class, () -> c.longOption("n"))
                        .kind());
        assertEquals(
                ErrorKind.CONFIGURATION,
                org.junit.jupiter.api.Assertions.assertThrows(
                                StreamException.class, () -> ClientConfig.parse("memory:x?maxInFlightAppends=many"))
                        .kind());
        assertEquals(
                ErrorKind.CONFIGURATION,
                org.junit.jupiter.api.Assertions.assertThrows(
                                StreamException.class,
                                () -> ClientConfig.builder("memory:x").option("", "v"))
                        .kind());
    }

    @Test
    void anEmptyNamespaceClearsIt() {
        assertEquals(
                java.util.Optional.empty(),
                ClientConfig.builder("memory:x")
                        .namespace("ns")
                        .namespace("")
                        .build()
                        .namespace());
    }
}
