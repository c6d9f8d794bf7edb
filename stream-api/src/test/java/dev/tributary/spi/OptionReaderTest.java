package dev.tributary.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ClientConfig;
import dev.tributary.ErrorKind;
import dev.tributary.StreamException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptionReaderTest {
    enum Mode {
        AT_LEAST_ONCE,
        EXACTLY_ONCE
    }

    private static final Set<String> KNOWN = Set.of("wait", "count", "flag", "storage", "mode", "caFile", "password2");

    private static OptionReader reader(String query) {
        return ClientConfig.parse("x://h:1?" + query).optionReader("Test", KNOWN);
    }

    @Test
    void readsEveryTypeAndFallsBackToDefaults() {
        OptionReader o = reader("wait=250ms&count=7&flag&storage=MEMORY&mode=exactly-once");
        assertEquals(Duration.ofMillis(250), o.positiveDuration("wait", Duration.ofSeconds(1)));
        assertEquals(7, o.range("count", 1, 1, 10));
        assertTrue(o.bool("flag", false));
        assertEquals("memory", o.choice("storage", "file", "file", "memory"));
        assertEquals(Mode.EXACTLY_ONCE, o.enumeration("mode", Mode.class, Mode.AT_LEAST_ONCE));
        assertFalse(o.readableFile("caFile").isPresent());
        assertEquals(Duration.ofSeconds(3), reader("").positiveDuration("wait", Duration.ofSeconds(3)));
        o.check();
    }

    @Test
    void severalBadOptionsAreNamedInOneConfigurationError() {
        OptionReader o = reader("wait=soon&count=99&flag=maybe&storage=tape&mode=twice&caFile=/no/such&bogus=1");
        o.positiveDuration("wait", Duration.ofSeconds(1));
        assertEquals(1, o.range("count", 1, 1, 10), "a bad value reads as the default");
        o.bool("flag", false);
        o.choice("storage", "file", "file", "memory");
        o.enumeration("mode", Mode.class, Mode.AT_LEAST_ONCE);
        o.readableFile("caFile");
        StreamException e = assertThrows(StreamException.class, o::check);
        assertEquals(ErrorKind.CONFIGURATION, e.kind());
        for (String part : new String[] {
            "wait=soon",
            "count=99 must be 1 to 10",
            "flag=maybe",
            "storage=tape",
            "mode=twice",
            "exactly-once",
            "caFile=/no/such",
            "unknown option 'bogus'",
            "7 invalid Test options"
        }) {
            assertTrue(e.getMessage().contains(part), "message should name " + part + ": " + e.getMessage());
        }
    }

    @Test
    void aSecretValueNeverAppearsInTheMessage() {
        OptionReader o = reader("password2=hunter2x");
        o.range("password2", 0, 0, 1);
        StreamException e = assertThrows(StreamException.class, o::check);
        assertFalse(e.getMessage().contains("hunter2x"), e.getMessage());
    }

    @Test
    void aReadableFileIsAccepted(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("ca.pem"), "x");
        OptionReader o = reader("caFile=" + f);
        assertEquals(f, o.readableFile("caFile").orElseThrow());
        o.check();
    }

    @Test
    void absentOptionsGiveTheirDefaultsAndOutOfRangeOnesAreProblems() {
        OptionReader o = reader("count=1000");
        assertEquals(java.util.Optional.empty(), o.string("wait"));
        assertEquals(Duration.ofSeconds(1), o.nonNegativeDuration("wait", Duration.ofSeconds(1)));
        assertEquals(5, o.range("count", 5, 1, 10));
        assertEquals(true, o.bool("flag", true));
        assertEquals("a", o.choice("storage", "a", "a", "b"));
        assertEquals(Mode.AT_LEAST_ONCE, o.enumeration("mode", Mode.class, Mode.AT_LEAST_ONCE));
        assertEquals(java.util.Optional.empty(), o.readableFile("caFile"));
        o.problem("extra");
        assertEquals(2, o.problems().size());
    }
}
