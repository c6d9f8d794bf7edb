package dev.tributary.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OptionsTest {

    @Test
    void defaultsAreTheDocumentedWorkload() {
        Options o = Options.parse("all");
        assertEquals(7, o.rounds());
        assertEquals(1, o.warmup());
        assertEquals(100_000, o.records());
        assertEquals(200_000, o.consumeRecords());
        assertEquals(Path.of("docs/bench/peers"), o.out());
        assertNull(o.redisUri());
        assertNull(o.kafkaOptions());
        assertTrue(o.redis() && o.kafka());
        assertTrue(o.selected("7b"));
    }

    @Test
    void optionsOverrideThem() {
        Options o = Options.parse(
                "redis",
                "--rounds",
                "1",
                "--records",
                "20_000",
                "--warmup",
                "0",
                "--rows",
                "1,7b",
                "--redis-uri",
                "redis://127.0.0.1:6379",
                "--out",
                "/tmp/x");
        assertEquals(1, o.rounds());
        assertEquals(20_000, o.records());
        assertEquals(40_000, o.consumeRecords());
        assertEquals(Set.of("1", "7b"), o.rows());
        assertTrue(o.selected("7b"));
        assertFalse(o.selected("2"));
        assertFalse(o.kafka());
        assertEquals("redis://127.0.0.1:6379", o.redisUri());
        assertEquals(
                "commitInterval=100ms",
                Options.parse("kafka", "--kafka-options", "commitInterval=100ms")
                        .kafkaOptions());
    }

    @Test
    void wrongCommandLinesSayWhatIsWrong() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Options.parse("nats"))
                .getMessage()
                .contains("redis, kafka or all"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Options.parse("redis", "--rounds"))
                .getMessage()
                .contains("needs a value"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Options.parse("redis", "--rounds", "0"))
                .getMessage()
                .contains("at least 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Options.parse("redis", "--bogus", "1"))
                .getMessage()
                .contains("unknown option --bogus"));
    }
}
