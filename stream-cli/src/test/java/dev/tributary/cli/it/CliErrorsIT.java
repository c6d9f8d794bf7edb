package dev.tributary.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.cli.Tributary;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The command line's errors against real brokers (from {@link LocalBrokers}): one line, the right exit
 * code, the real cause, an honest time, nothing created by a command that failed; and, run as the
 * shipped jar in a JVM of its own, no client library's log lines on stderr unless {@code --verbose}.
 */
class CliErrorsIT {
    /** Larger than every backend's default largest payload (Redis 4 MiB, NATS and Kafka about 1 MB). */
    private static final int TOO_LARGE = 5 * 1024 * 1024 + 1;

    record Result(int code, String out, String err, long millis) {
        List<String> errLines() {
            return err.isEmpty() ? List.of() : Arrays.asList(err.split("\\R"));
        }

        @Override
        public String toString() {
            return "exit " + code + " after " + millis + " ms\n--- out:\n" + out + "--- err:\n" + err;
        }
    }

    /** Runs the command line in this JVM with {@code stdin} as standard input. */
    static Result runWithInput(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        long t0 = System.nanoTime();
        int code = Tributary.commandLine(
                        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                        new PrintWriter(out, true),
                        new PrintWriter(err, true))
                .execute(args);
        return new Result(code, out.toString(), err.toString(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    static Result run(String... args) {
        return runWithInput("", args);
    }

    /** Asserts exit {@code code} and exactly one line {@code tributary: …} on stderr containing each phrase. */
    private static void oneLine(Result r, int code, String... phrases) {
        assertEquals(code, r.code(), r::toString);
        assertEquals(1, r.errLines().size(), "exactly one line on stderr\n" + r);
        assertTrue(r.err().startsWith("tributary: "), r::toString);
        for (String p : phrases) {
            assertTrue(r.err().contains(p), "expected '" + p + "'\n" + r);
        }
    }

    private static String freshStream() {
        return "cli-err-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** host:port of a URI of {@link LocalBrokers}. */
    private static String hostPort(String uri) {
        try {
            URI u = new URI(uri);
            return u.getHost() + ":" + u.getPort();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(uri, e);
        }
    }

    // ---- the issue's command-line findings, on every backend ----

    /** A Kafka append rejected as too large left an empty topic behind; on no backend may a failed produce create its stream. */
    @ParameterizedTest
    @ValueSource(strings = {"redis", "nats", "kafka"})
    void aRecordTooLargeForTheBackendFailsBeforeTheStreamIsCreated(String backend, @TempDir Path dir)
            throws IOException {
        String uri = LocalBrokers.uri(backend);
        String stream = freshStream();
        Path big = dir.resolve("big.bin");
        Files.write(big, new byte[TOO_LARGE]);
        oneLine(run("--uri", uri, "produce", stream, "-f", big.toString()), 2, "payload is " + TOO_LARGE + " bytes");
        oneLine(run("--uri", uri, "info", stream), 1, "stream '" + stream + "' does not exist");
        // from standard input: the first line is checked before the stream is created
        String lines = "x".repeat(TOO_LARGE) + "\nsmall\n";
        oneLine(runWithInput(lines, "--uri", uri, "produce", stream), 2, "payload is " + TOO_LARGE + " bytes");
        oneLine(run("--uri", uri, "info", stream), 1, "stream '" + stream + "' does not exist");
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis", "nats", "kafka"})
    void produceWithNoCreateFailsOnAMissingStreamAndCreatesNothing(String backend) {
        String uri = LocalBrokers.uri(backend);
        String stream = freshStream();
        oneLine(run("--uri", uri, "produce", "--no-create", stream, "x"), 1, "stream '" + stream + "' does not exist");
        oneLine(run("--uri", uri, "info", stream), 1, "stream '" + stream + "' does not exist");
        Result created = run("--uri", uri, "produce", stream, "x");
        assertEquals(0, created.code(), created::toString);
        Result appended = run("--uri", uri, "produce", "--no-create", stream, "y");
        assertEquals(0, appended.code(), appended::toString);
        Result info = run("--uri", uri, "info", stream);
        assertTrue(info.out().contains("length  2"), info::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis", "nats", "kafka"})
    void aPositionThatIsNoneOfTheFormsNamesEveryForm(String backend) {
        String uri = LocalBrokers.uri(backend);
        String stream = freshStream();
        assertEquals(0, run("--uri", uri, "produce", stream, "x").code());
        oneLine(
                run("--uri", uri, "tail", stream, "--from", "yesterday", "-n", "1"),
                2,
                "'yesterday' is not a position",
                "a time (2026-01-31T12:00:00Z or 2026-01-31)",
                "an age (-10m");
        oneLine(
                run("--uri", uri, "range", stream, "--from", "yesterday"),
                2,
                "'yesterday' is not a position",
                "an age (-10m");
    }

    // ---- a Kafka URI at a port that is not what it says ----

    /**
     * kafka:// at a NATS server, which speaks first: CONFIGURATION at once, saying what answered. At a
     * Redis server, which waits silently for a line: RETRYABLE after one connect timeout (it took the
     * probe's and then the Kafka clients' again, 21-30 s, said as "did not answer within PT10S"), saying
     * the server accepted the connection but did not answer.
     */
    @Test
    void aKafkaUriAtAnotherBrokersPortSaysWhatItFoundInAnHonestTime() {
        String nats = hostPort(LocalBrokers.uri("nats"));
        Result n = run("--uri", "kafka://" + nats + "?connectTimeout=3s", "info", "s");
        oneLine(n, 2, "the server at " + nats + " is not a Kafka broker: it answered \"INFO…\"");
        assertTrue(n.millis() < 2_500, n::toString);

        String redis = hostPort(LocalBrokers.uri("redis"));
        Result r = run("--uri", "kafka://" + redis + "?connectTimeout=3s", "info", "s");
        oneLine(
                r,
                1,
                "did not answer within PT3S (connectTimeout)",
                "accepted the connection but did not answer " + "Kafka's ApiVersions request");
        assertTrue(r.millis() >= 2_900 && r.millis() < 5_000, "one connect timeout of 3 s\n" + r);
    }

    /** kafka+ssl:// at a plain-text Kafka listener: CONFIGURATION at once (it was RETRYABLE after 10.7 s, cause unnamed). */
    @Test
    void aTlsKafkaUriAtAPlainTextListenerSaysThePortDoesNotSpeakTls() {
        String kafka = hostPort(LocalBrokers.uri("kafka"));
        Result r = run("--uri", "kafka+ssl://" + kafka + "?connectTimeout=10s", "info", "s");
        oneLine(
                r,
                2,
                "the server at " + kafka + " is a plain-text Kafka listener: the port does not speak TLS",
                "use kafka:// for it");
        assertTrue(r.millis() < 5_000, r::toString);
    }

    // ---- the shipped jar: no client library's log lines unless --verbose ----

    /**
     * Wrong Kafka credentials printed two kafka-clients ERROR lines before the one-line error. Run as
     * users run it (the shaded jar, its own logging set-up, in a JVM of its own): stderr is exactly the one
     * line; with --verbose the client library's lines are there too. The password is in neither.
     */
    @Test
    void wrongKafkaCredentialsPrintOnlyTheOneLineErrorAndVerboseAddsTheClientsLogLines() throws Exception {
        String wrong = "not-" + LocalBrokers.KAFKA_PASSWORD;
        String uri = LocalBrokers.kafkaSaslUri(LocalBrokers.KAFKA_USER, wrong) + "?connectTimeout=20s";
        // the right password logs in, so the failure below is the credentials'
        Result right =
                run("--uri", LocalBrokers.kafkaSaslUri(LocalBrokers.KAFKA_USER, LocalBrokers.KAFKA_PASSWORD), "info");
        assertEquals(0, right.code(), right::toString);

        Result quiet = jar("--uri", uri, "info", "s");
        assertEquals(2, quiet.code(), quiet::toString);
        assertEquals(1, quiet.errLines().size(), "exactly the one-line error on stderr\n" + quiet);
        assertTrue(quiet.err().startsWith("tributary: connecting to Kafka at 127.0.0.1:"), quiet::toString);
        assertTrue(quiet.err().contains("SaslAuthenticationException: Authentication failed"), quiet::toString);
        assertEquals("", quiet.out(), quiet::toString);

        Result verbose = jar("--verbose", "--uri", uri, "info", "s");
        assertEquals(2, verbose.code(), verbose::toString);
        assertTrue(
                verbose.errLines().stream().anyMatch(l -> l.contains("ERROR") && l.contains("NetworkClient")),
                "kafka-clients' ERROR line with --verbose\n" + verbose);
        assertTrue(
                verbose.errLines().stream().anyMatch(l -> l.startsWith("tributary: connecting to Kafka")),
                verbose::toString);
        for (Result r : List.of(quiet, verbose)) {
            assertFalse(r.err().contains(wrong) || r.out().contains(wrong), "the password was printed\n" + r);
        }
    }

    /** Runs {@code java -jar target/tributary.jar args} (built by the package phase, before these tests). */
    private static Result jar(String... args) throws Exception {
        Path jar = cliJar();
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        // JVM option variables make the JVM print "Picked up …" on stderr; TRIBUTARY_URI is overridden anyway
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.environment().remove("_JAVA_OPTIONS");
        Path dir = Files.createTempDirectory("cli-jar");
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        long t0 = System.nanoTime();
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("tributary " + String.join(" ", args) + " did not end within 120 s");
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err), ms);
        Files.delete(out);
        Files.delete(err);
        Files.delete(dir);
        return r;
    }

    /** target/tributary.jar beside the classes under test. */
    private static Path cliJar() throws URISyntaxException {
        Path classes = Path.of(Tributary.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        Path jar = classes.getParent().resolve("tributary.jar");
        assertTrue(
                Files.isRegularFile(jar),
                "no " + jar + ": the integration tests run after the package phase "
                        + "(mvn -pl stream-cli -am verify) that builds it");
        return jar;
    }
}
