package dev.tributary.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.Headers;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamClients;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.cli.CliException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The command-line forms of positions, headers and text escaping. */
class ArgsTest {
    private StreamClient client;

    @BeforeEach
    void open() {
        client = StreamClients.open("memory:?");
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void namedPositionsAndTheirAliases() {
        assertEquals(Position.earliest(), Args.position("earliest", client));
        assertEquals(Position.earliest(), Args.position("BEGINNING", client));
        assertEquals(Position.latest(), Args.position("latest", client));
        assertEquals(Position.latest(), Args.position(" now ", client));
    }

    @Test
    void anIdMeansAfterThatId() {
        assertEquals(Position.after(EventId.ofSequence(42)), Args.position("42", client));
    }

    @Test
    void timesDatesAndAges() {
        assertEquals(Position.at(Instant.parse("2026-01-31T12:00:00Z")), Args.position("2026-01-31T12:00:00Z", client));
        assertEquals(Position.at(Instant.parse("2026-01-31T00:00:00Z")), Args.position("2026-01-31", client));
        Position ago = Args.position("-10m", client);
        Instant at = assertInstanceOf(Position.AtTime.class, ago).time();
        Duration age = Duration.between(at, Instant.now());
        assertTrue(
                age.compareTo(Duration.ofMinutes(9)) > 0 && age.compareTo(Duration.ofMinutes(11)) < 0, age::toString);
    }

    @Test
    void badFormsFailAsUsageErrors() {
        CliException time = assertThrows(CliException.class, () -> Args.position("2026-13-45T99:00:00Z", client));
        assertEquals(2, time.exitCode());
        CliException id = assertThrows(CliException.class, () -> Args.position("nonsense", client));
        assertEquals(2, id.exitCode());
        assertTrue(id.getMessage().contains("an age (-10m"), id.getMessage());
        StreamException age = assertThrows(StreamException.class, () -> Args.position("-soon", client));
        assertEquals(ErrorKind.CONFIGURATION, age.kind());
    }

    @Test
    void headersSplitAtTheFirstEqualsSign() {
        assertEquals("a", Args.header("a=b=c")[0]);
        assertEquals("b=c", Args.header("a=b=c")[1]);
        assertEquals("", Args.header("empty=")[1]);
        assertThrows(CliException.class, () -> Args.header("=x"));
        assertThrows(CliException.class, () -> Args.header("novalue"));
    }

    @Test
    void textEscapingKeepsAnEventOnOneLine() {
        assertEquals("a\\nb\\r\\tc\\\\d\\u0000", EventPrinter.escape("a\nb\r\tc\\d\u0000"));
        assertEquals("plain ünïcödé 🚀", EventPrinter.escape("plain ünïcödé 🚀"));
    }

    @Test
    void markedHeadersAreCountedInBothFormsAndOnlyWhenThere() {
        StreamName s = StreamName.of("s");
        Headers h = Headers.of("~b64~", "YSBi.eA", "t", "1");
        StreamEvent marked = new StreamEvent(s, EventId.ofSequence(7), Instant.EPOCH, null, h, new byte[] {'x'}, 1, 1);
        assertEquals("7 1970-01-01T00:00:00Z marked=1 ~b64~=YSBi.eA t=1  x", EventPrinter.text(marked));
        assertTrue(
                EventPrinter.json(marked).endsWith("\"deliveryCount\":1,\"markedHeaders\":1}"),
                EventPrinter.json(marked));
        StreamEvent own = new StreamEvent(s, EventId.ofSequence(8), Instant.EPOCH, null, h, new byte[] {'x'}, 1);
        assertFalse(EventPrinter.text(own).contains("marked"), EventPrinter.text(own));
        assertFalse(EventPrinter.json(own).contains("marked"), EventPrinter.json(own));
    }

    @Test
    void aBareSchemeBecomesOpenable() {
        assertEquals("memory:?", ClientCommand.openable("memory:"));
        assertEquals("memory:x", ClientCommand.openable("memory:x"));
        assertEquals("redis://h:1", ClientCommand.openable(" redis://h:1 "));
    }
}
