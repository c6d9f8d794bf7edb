package dev.tributary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Errors: one line on stderr and a non-zero exit code; the stack trace only with --verbose. */
class ErrorsTest {

    private static void oneLine(Cli.Result r, int code, String contains) {
        assertEquals(code, r.exitCode(), r::toString);
        assertEquals(1, r.errLines().size(), "exactly one line on stderr\n" + r);
        assertTrue(r.err().startsWith("tributary: "), r::toString);
        assertTrue(r.err().contains(contains), "expected '" + contains + "'\n" + r);
        assertFalse(r.err().contains("\tat "), "no stack trace without --verbose\n" + r);
    }

    @Test
    void aBadUriIsAConfigurationError() {
        oneLine(Cli.run("--uri", "::not a uri", "info"), 2, "not a valid URI");
        oneLine(Cli.run("--uri", "localhost:6379x", "info"), 2, "");
    }

    @Test
    void anUnknownBackendNamesWhatIsAvailable() {
        oneLine(Cli.run("--uri", "pulsar://localhost:6650", "info"), 2, "no backend serves URI scheme 'pulsar:'");
        Cli.Result r = Cli.run("--uri", "pulsar://localhost:6650", "info");
        assertTrue(r.err().contains("memory"), r::toString);
    }

    @Test
    void aMissingStreamIsARuntimeError() {
        String uri = Cli.freshStore();
        oneLine(Cli.run("--uri", uri, "range", "nothing"), 1, "stream 'nothing' does not exist");
        oneLine(Cli.run("--uri", uri, "tail", "nothing", "-n", "1"), 1, "stream 'nothing' does not exist");
        oneLine(Cli.run("--uri", uri, "info", "nothing"), 1, "stream 'nothing' does not exist");
        oneLine(Cli.run("--uri", uri, "trim", "nothing", "--max-length", "1"), 1, "stream 'nothing' does not exist");
        oneLine(Cli.run("--uri", uri, "groups", "nothing"), 1, "stream 'nothing' does not exist");
    }

    @Test
    void anInvalidStreamNameOrIdIsAUsageError() {
        String uri = Cli.freshStore();
        oneLine(Cli.run("--uri", uri, "produce", "bad name", "x"), 2, "stream name 'bad name'");
        Cli.Result p = Cli.run("--uri", uri, "produce", "ok", "x");
        assertEquals(0, p.exitCode(), p::toString);
        oneLine(Cli.run("--uri", uri, "range", "ok", "--from", "12-x"), 2, "'12-x' is not a");
        oneLine(Cli.run("--uri", uri, "produce", "ok", "x", "-H", "novalue"), 2, "must be written key=value");
        oneLine(Cli.run("--uri", uri, "tail", "ok", "--idle", "soon"), 2, "is not a duration");
    }

    @Test
    void anUnknownOptionOrCommandIsAUsageErrorWithAHelpHint() {
        oneLine(Cli.run("tail", "s", "--frm", "x"), 2, "see 'tributary tail --help'");
        oneLine(Cli.run("nosuch"), 2, "Unmatched argument");
        oneLine(Cli.run("produce"), 2, "STREAM");
    }

    @Test
    void verbosePrintsTheStackTrace() {
        Cli.Result r = Cli.run("--verbose", "--uri", "pulsar://x", "info");
        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.err().startsWith("tributary: "), r::toString);
        assertTrue(r.err().contains("\tat "), "stack trace with --verbose\n" + r);
    }

    @Test
    void badInputIsReportedBeforeAnyConnectionIsTried() {
        String unreachable = "redis://127.0.0.1:1"; // nothing listens: a connection attempt would fail
        oneLine(Cli.run("--uri", unreachable, "produce", "bad name", "x"), 2, "stream name 'bad name'");
        oneLine(Cli.run("--uri", unreachable, "tail", "bad name"), 2, "stream name 'bad name'");
        oneLine(Cli.run("--uri", unreachable, "range", "bad name"), 2, "stream name 'bad name'");
        oneLine(Cli.run("--uri", unreachable, "info", "ok", "bad name"), 2, "stream name 'bad name'");
        oneLine(Cli.run("--uri", unreachable, "trim", "bad name", "--max-length", "1"), 2, "stream name 'bad name'");
        oneLine(Cli.run("--uri", unreachable, "groups", "ok", "--create", "bad group"), 2, "group name 'bad group'");
        oneLine(Cli.run("--uri", unreachable, "tail", "ok", "--from", "2026-13-45"), 2, "is not a date");
        oneLine(Cli.run("--uri", unreachable, "produce", "ok", "x", "-H", "novalue"), 2, "must be written key=value");
    }

    @Test
    void aPositionThatIsNeitherKeywordTimeAgeNorIdNamesEveryForm() {
        String uri = Cli.freshStore();
        assertEquals(0, Cli.run("--uri", uri, "produce", "ok", "x").exitCode());
        Cli.Result r = Cli.run("--uri", uri, "tail", "ok", "--from", "yesterday", "-n", "1");
        oneLine(r, 2, "'yesterday' is not a position");
        assertTrue(
                r.err().contains("a time (2026-01-31T12:00:00Z or 2026-01-31)")
                        && r.err().contains("an age (-10m"),
                r::toString);
    }

    @Test
    void produceWithNoCreateFailsOnAMissingStreamAndCreatesNothing() {
        String uri = Cli.freshStore();
        oneLine(Cli.run("--uri", uri, "produce", "--no-create", "absent", "x"), 1, "stream 'absent' does not exist");
        oneLine(Cli.run("--uri", uri, "info", "absent"), 1, "stream 'absent' does not exist");
        assertEquals(0, Cli.run("--uri", uri, "produce", "present", "x").exitCode());
        assertEquals(
                0,
                Cli.run("--uri", uri, "produce", "--no-create", "present", "y").exitCode());
    }

    @Test
    void aRecordBeyondTheLimitsFailsBeforeTheStreamIsCreated() {
        String uri = Cli.freshStore() + "?maxPayloadBytes=16";
        Cli.Result r = Cli.run("--uri", uri, "produce", "big", "ok", "this payload is longer than sixteen bytes");
        assertTrue(r.exitCode() != 0, r::toString);
        assertTrue(r.err().contains("16"), "the message names the limit\n" + r);
        oneLine(Cli.run("--uri", uri, "info", "big"), 1, "stream 'big' does not exist");
    }

    /** Standard input may never end: its first record is checked before the stream is created. */
    @Test
    void aFirstLineBeyondTheLimitsFailsBeforeTheStreamIsCreated() {
        String uri = Cli.freshStore() + "?maxPayloadBytes=16";
        Cli.Result r = Cli.runWithInput("this line is longer than sixteen bytes\nok\n", "--uri", uri, "produce", "big");
        oneLine(r, 2, "payload is 38 bytes; this backend accepts at most 16");
        oneLine(Cli.run("--uri", uri, "info", "big"), 1, "stream 'big' does not exist");
        Cli.Result skipped = Cli.runWithInput("\nok\n", "--uri", uri, "produce", "small", "--skip-empty-lines");
        assertEquals(0, skipped.exitCode(), skipped::toString);
        assertEquals(1, skipped.outLines().size(), skipped::toString);
    }

    /**
     * Whatever the backend, bad input is reported as such (exit 2) even when the broker is unreachable:
     * it is checked before the client connects — the demo's and the bench's options too, which were
     * reported as the connection error.
     */
    @Test
    void badInputIsReportedBeforeAnyConnectionOnEveryBackend() {
        for (String unreachable : List.of(
                "kafka://127.0.0.1:1?connectTimeout=2s",
                "nats://127.0.0.1:1?connectTimeout=2s",
                "redis://127.0.0.1:1?connectTimeout=2s")) {
            oneLine(Cli.run("--uri", unreachable, "produce", "bad@name", "x"), 2, "stream name 'bad@name'");
            oneLine(Cli.run("--uri", unreachable, "tail", "ok", "--group", "bad@group"), 2, "group name 'bad@group'");
            oneLine(Cli.run("--uri", unreachable, "demo", "--stream", "bad@name"), 2, "stream name 'bad@name'");
            oneLine(Cli.run("--uri", unreachable, "demo", "--events", "5"), 2, "--events must be 10 to 10000000");
            oneLine(Cli.run("--uri", unreachable, "demo", "--rate", "-1"), 2, "--rate must be 0 or more");
            oneLine(Cli.run("--uri", unreachable, "demo", "--duration", "soon"), 2, "is not a duration");
            oneLine(Cli.run("--uri", unreachable, "demo", "--ack-timeout", "soon"), 2, "is not a duration");
            oneLine(
                    Cli.run("--uri", unreachable, "demo", "--payload-size", "10"),
                    2,
                    "--payload-size must be at least 64");
            oneLine(Cli.run("--uri", unreachable, "bench", "--records", "0"), 2, "must be at least 1");
            oneLine(Cli.run("--uri", unreachable, "bench", "--size", "-1"), 2, "at least 0");
        }
    }
}
