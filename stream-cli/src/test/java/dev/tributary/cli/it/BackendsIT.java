package dev.tributary.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.cli.Tributary;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** demo, produce + tail, and bench against each real backend (brokers from {@link LocalBrokers}). */
class BackendsIT {

    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- out:\n" + out + "--- err:\n" + err;
        }
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Tributary.commandLine(
                        new ByteArrayInputStream(new byte[0]), new PrintWriter(out, true), new PrintWriter(err, true))
                .execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    static long figure(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), "no match for " + regex + " in\n" + text);
        return Long.parseLong(m.group(1).replace(",", ""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis", "nats", "kafka"})
    void demoLosesNothing(String backend) {
        String uri = LocalBrokers.uri(backend);
        Result r = run(
                "--uri",
                uri,
                "demo",
                "--events",
                "1500",
                "--rate",
                "500",
                "--ack-timeout",
                "2s",
                "--disconnect",
                "500ms",
                "--payload-size",
                "1024",
                "--no-progress");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("RESULT: OK"), r::toString);
        assertEquals(0, figure(r.out(), "lost\\s+([\\d,]+)"), r::toString);
        assertEquals(1500, figure(r.out(), "live tail ([\\d,]+) \\(disconnected at"), r::toString);
        assertEquals(1500, figure(r.out(), "history reader ([\\d,]+) in"), r::toString);
        assertTrue(figure(r.out(), "group demo-workers ([\\d,]+):") >= 1500, r::toString);
        if (r.out().contains("died mid-batch")) {
            assertEquals(1, r.out().split("\\(died\\)", -1).length - 1, "exactly one member dies\n" + r);
            assertTrue(figure(r.out(), "; ([\\d,]+) redelivered") > 0, "its events are redelivered\n" + r);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis", "nats", "kafka"})
    void produceThenTailFromEarliestAndAsGroupMember(String backend) throws Exception {
        String uri = LocalBrokers.uri(backend);
        String stream = "cli-it-" + UUID.randomUUID().toString().substring(0, 8);
        Result p = run("--uri", uri, "produce", stream, "a", "b", "c", "-k", "k1", "-H", "type=created");
        assertEquals(0, p.code(), p::toString);
        List<String> ids = p.out().lines().toList();
        assertEquals(3, ids.size(), p::toString);
        Result t = run("--uri", uri, "tail", stream, "--from", "earliest", "-n", "3", "-o", "json");
        assertEquals(0, t.code(), t::toString);
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> events = t.out()
                .lines()
                .map(l -> {
                    try {
                        return json.readTree(l);
                    } catch (Exception e) {
                        throw new AssertionError(l, e);
                    }
                })
                .toList();
        assertEquals(
                List.of("a", "b", "c"),
                events.stream().map(e -> e.get("payload").asText()).toList(),
                t::toString);
        assertEquals(ids, events.stream().map(e -> e.get("id").asText()).toList(), t::toString);
        assertEquals("created", events.get(0).get("headers").get(0).get("value").asText());
        Result resume = run("--uri", uri, "tail", stream, "--from", ids.get(0), "--idle", "2s");
        assertEquals(0, resume.code(), resume::toString);
        assertEquals(2, resume.out().lines().count(), resume::toString);
        Result g = run("--uri", uri, "tail", stream, "--group", "it", "--member", "m1", "-n", "3");
        assertEquals(0, g.code(), g::toString);
        assertEquals(3, g.out().lines().count(), g::toString);
        Result info = run("--uri", uri, "info", stream);
        assertEquals(0, info.code(), info::toString);
        assertTrue(info.out().contains("length  3"), info::toString);
    }

    /** Another application's 6-partition topic, written with plain kafka-clients: tailed, paged and resumed. */
    @Test
    void aSixPartitionTopicOfAnotherApplicationIsTailedPagedAndResumedFromACursor() throws Exception {
        String uri = LocalBrokers.uri("kafka");
        String bootstrap = uri.substring("kafka://".length()).replaceAll("\\?.*", "");
        String topic = "other-app-" + UUID.randomUUID().toString().substring(0, 8);
        java.util.Properties props = new java.util.Properties();
        props.put("bootstrap.servers", bootstrap);
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(props)) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 6, (short) 1)))
                    .all()
                    .get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
        props.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        props.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        try (org.apache.kafka.clients.producer.KafkaProducer<String, String> producer =
                new org.apache.kafka.clients.producer.KafkaProducer<>(props)) {
            for (int i = 0; i < 60; i++) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                        topic, "k" + (i % 6), "k" + (i % 6) + "/" + i));
            }
            producer.flush();
        }
        String cli = uri + (uri.contains("?") ? "&" : "?") + "partitions=6";
        Result info = run("--uri", cli, "info", topic);
        assertEquals(0, info.code(), info::toString);
        assertTrue(info.out().contains("partitions  6"), info::toString);
        assertTrue(info.out().contains("length  60"), info::toString);
        Result head = run("--uri", cli, "range", topic, "--page", "7", "-n", "25", "-o", "json");
        assertEquals(0, head.code(), head::toString);
        String cursor = head.err()
                .substring(head.err().indexOf("cursor ") + 7, head.err().indexOf(" (continue"));
        Result rest = run("--uri", cli, "range", topic, "--from", cursor, "-o", "json");
        assertEquals(0, rest.code(), rest::toString);
        List<String> paged = new java.util.ArrayList<>(payloads(head));
        paged.addAll(payloads(rest));
        assertEquals(60, paged.size(), "no event twice: " + paged);
        assertEquals(60, java.util.Set.copyOf(paged).size(), "every event once: " + paged);
        Result tail = run("--uri", cli, "tail", topic, "--from", "earliest", "-n", "60", "-o", "json");
        assertEquals(0, tail.code(), tail::toString);
        List<String> tailed = payloads(tail);
        assertEquals(java.util.Set.copyOf(paged), java.util.Set.copyOf(tailed), tail::toString);
        for (int k = 0; k < 6; k++) {
            String key = "k" + k + "/";
            List<Integer> order = tailed.stream()
                    .filter(v -> v.startsWith(key))
                    .map(v -> Integer.parseInt(v.substring(key.length())))
                    .toList();
            assertEquals(order.stream().sorted().toList(), order, "order of key k" + k);
        }
        Result resumed = run("--uri", cli, "tail", topic, "--from", cursor, "--idle", "2s", "-o", "json");
        assertEquals(0, resumed.code(), resumed::toString);
        assertEquals(java.util.Set.copyOf(payloads(rest)), java.util.Set.copyOf(payloads(resumed)), resumed::toString);
        assertEquals(35, payloads(resumed).size(), resumed::toString);
    }

    private static List<String> payloads(Result r) {
        ObjectMapper json = new ObjectMapper();
        return r.out()
                .lines()
                .map(l -> {
                    try {
                        return json.readTree(l).get("payload").asText();
                    } catch (Exception e) {
                        throw new AssertionError(l, e);
                    }
                })
                .toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis", "nats", "kafka"})
    void benchComparesWithTheRawClient(String backend, @TempDir Path dir) throws Exception {
        String uri = LocalBrokers.uri(backend);
        Path file = dir.resolve("bench.json");
        Result r = benchOneRound(uri, file, "--records", "5000");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("raw "), r::toString);
        JsonNode n = new ObjectMapper().readTree(Files.readString(file));
        assertEquals(backend, n.get("backend").asText());
        assertTrue(n.get("raw").get("append").get("eventsPerSecond").asLong() > 0, r::toString);
        assertTrue(n.get("ratio").get("append").asDouble() > 0, r::toString);
        assertTrue(n.get("ratio").get("consume").asDouble() > 0, r::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis", "nats", "kafka"})
    void benchProcessorPhasesAndPublisherAgainstTheRawClient(String backend, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("phases.json");
        boolean kafka = backend.equals("kafka"); // and a partitioned topic there
        String uri = LocalBrokers.uri(backend);
        Result r = benchOneRound(
                kafka ? uri + (uri.contains("?") ? "&" : "?") + "partitions=2" : uri,
                file,
                "--records",
                "2000",
                "--consumers",
                "2",
                "--phases",
                "tail,process,latency",
                "--rate",
                "4000",
                "--publisher",
                "--partitions",
                kafka ? "2" : "1");
        assertEquals(0, r.code(), r::toString);
        JsonNode n = new ObjectMapper().readTree(Files.readString(file));
        for (String phase : List.of("append", "tail", "process", "latency")) {
            assertTrue(n.get("raw").get(phase).get("eventsPerSecond").asLong() > 0, phase + ": " + r);
            assertTrue(n.get("ratio").get(phase).asDouble() > 0, phase + ": " + r);
        }
        assertTrue(n.get("latencyP99Ratio").asDouble() > 0, r::toString);
        assertFalse(n.get("tributary").has("consume"), r::toString);
    }

    /** {@code tributary --uri URI bench ARGS}: one measured round, no warm-up, the result in {@code json}. */
    private static Result benchOneRound(String uri, Path json, String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("--uri", uri, "bench"));
        all.addAll(List.of(args));
        all.addAll(List.of("--rounds", "1", "--warmup", "0", "--json", json.toString()));
        return run(all.toArray(String[]::new));
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis", "nats", "kafka"})
    void anUnreachableBrokerIsOneLineAndExitCodeOne(String backend) {
        int port = dev.tributary.tck.fixture.LocalProcessBroker.freePort();
        String uri = backend + "://127.0.0.1:" + port + "?connectTimeout=2s&requestTimeout=2s";
        Result r = run("--uri", uri, "info", "s");
        assertEquals(1, r.code(), r::toString);
        assertEquals(1, r.err().lines().count(), r::toString);
        assertTrue(r.err().startsWith("tributary: "), r::toString);
    }
}
