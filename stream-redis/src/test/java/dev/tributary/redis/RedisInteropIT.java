package dev.tributary.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tributary.Headers;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamClients;
import dev.tributary.StreamEvent;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import dev.tributary.tck.fixture.Brokers;
import dev.tributary.tck.fixture.LocalProcessBroker;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Interoperability with {@code redis-cli} (redis-tools, installed with redis-server): the entry layout
 * of stream-redis' README as redis-cli shows it, and entries redis-cli wrote read back by Tributary.
 * Without redis-cli these tests are skipped loudly, or fail where brokers are required.
 */
class RedisInteropIT {
    private static final String RUN = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
    private static Path cli;

    @BeforeAll
    static void needsRedisCli() {
        cli = LocalProcessBroker.onPath("redis-cli")
                .orElseThrow(
                        () -> Brokers.unavailable(
                                "redis",
                                "redis-cli is not on the PATH (apt-get install redis-tools); the interoperability tests run it"));
    }

    /** Runs redis-cli against the fixture's server with {@code args}; returns its raw output. */
    private static String redisCli(String... args) throws IOException, InterruptedException {
        return redisCli(null, args);
    }

    /** Runs redis-cli with {@code stdin} as its input ({@code -x}: the last argument), if not null. */
    private static String redisCli(byte[] stdin, String... args) throws IOException, InterruptedException {
        URI uri = RedisFixture.shared().config().uri();
        List<String> cmd = new ArrayList<>(List.of(
                cli.toString(),
                "-h",
                uri.getHost(),
                "-p",
                Integer.toString(uri.getPort() < 0 ? 6379 : uri.getPort()),
                "--no-raw"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin);
            }
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("redis-cli did not finish in 30 s: " + cmd);
        }
        assertEquals(0, p.exitValue(), "redis-cli " + cmd + ": " + out);
        return out;
    }

    @Test
    void redisCliShowsTheDocumentedLayout() throws Exception {
        StreamName s = StreamName.of("interop-" + RUN + "-out");
        try (StreamClient c = StreamClients.open(RedisFixture.shared().config())) {
            c.append(
                    s,
                    StreamRecord.builder()
                            .key("customer-7")
                            .header("type", "order.created")
                            .payload("{\"id\":42}")
                            .build());
        }
        String out = redisCli("XRANGE", s.value(), "-", "+");
        String fields = out.substring(out.indexOf("2) 1)"));
        assertEquals("""
                2) 1) "k"
                      2) "customer-7"
                      3) "h:type"
                      4) "order.created"
                      5) "p"
                      6) "{\\"id\\":42}"
                """.strip(), fields.strip(), out);
    }

    @Test
    void tributaryReadsWhatRedisCliWrote() throws Exception {
        StreamName s = StreamName.of("interop-" + RUN + "-in");
        redisCli("XADD", s.value(), "*", "k", "sensor-1", "h:unit", "°C", "h:note", "a, \"b\"", "p", "{\"t\":21}");
        redisCli("XADD", s.value(), "*", "temperature", "22");
        try (StreamClient c = StreamClients.open(RedisFixture.shared().config())) {
            List<StreamEvent> got = c.range(s, Position.earliest(), null, 10);
            assertEquals(2, got.size());
            assertEquals("sensor-1", got.get(0).keyAsString());
            assertEquals(
                    Headers.of("unit", "°C", "note", "a, \"b\""), got.get(0).headers());
            assertEquals("{\"t\":21}", got.get(0).payloadAsString());
            assertEquals(Headers.of("temperature", "22"), got.get(1).headers(), "a field named like a header");
            assertEquals(0, got.get(1).payload().length, "no p: an empty payload");
        }
    }

    /**
     * What the header grammar cannot hold, written with redis-cli — names with a space, a colon or
     * non-ASCII characters, a value that is not UTF-8 (sent raw through {@code -x}), a repeated payload
     * field — reads in the marked form of docs/interop.md, in place and counted, never dropped.
     */
    @Test
    void whatTheGrammarCannotHoldReadsMarkedAndCounted() throws Exception {
        StreamName s = StreamName.of("interop-" + RUN + "-odd");
        redisCli(
                "XADD",
                s.value(),
                "*",
                "k",
                "sensor-1",
                "content type",
                "json",
                "größe",
                "42",
                "p",
                "{\"t\":21}",
                "p",
                "again");
        byte[] latin1 = {'c', 'a', 'f', (byte) 0xE9};
        redisCli(latin1, "-x", "XADD", s.value(), "*", "p", "{}", "h:note");
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        try (StreamClient c = StreamClients.open(RedisFixture.shared().config())) {
            List<StreamEvent> got = c.range(s, Position.earliest(), null, 10);
            assertEquals(2, got.size());
            assertEquals("{\"t\":21}", got.get(0).payloadAsString());
            assertEquals(
                    Headers.of(
                            "~b64~",
                                    b64.encodeToString("content type".getBytes(StandardCharsets.UTF_8)) + "."
                                            + b64.encodeToString("json".getBytes(StandardCharsets.UTF_8)),
                            "~b64~",
                                    b64.encodeToString("größe".getBytes(StandardCharsets.UTF_8)) + "."
                                            + b64.encodeToString("42".getBytes(StandardCharsets.UTF_8)),
                            "~b64~",
                                    b64.encodeToString("p".getBytes(StandardCharsets.UTF_8)) + "."
                                            + b64.encodeToString("again".getBytes(StandardCharsets.UTF_8))),
                    got.get(0).headers());
            assertEquals(3, got.get(0).markedHeaders());
            assertEquals(
                    Headers.of("note", "~b64~" + b64.encodeToString(latin1)),
                    got.get(1).headers(),
                    "the raw bytes, not U+FFFD");
            assertEquals(1, got.get(1).markedHeaders());
        }
    }
}
