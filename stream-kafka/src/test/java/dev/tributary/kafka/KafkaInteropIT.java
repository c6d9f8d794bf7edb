package dev.tributary.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Interoperability with a Kafka client nobody here wrote: {@code kcat} (librdkafka), installed from the
 * distribution's packages (CI installs it; without it these tests are skipped loudly, or fail where
 * brokers are required). kcat reads Tributary's records — value, key and headers — and Tributary reads
 * kcat's, exactly as stream-kafka's README and docs/interop.md say.
 */
class KafkaInteropIT {
    private static final String RUN = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
    private static Path kcat;

    @BeforeAll
    static void needsKcat() {
        kcat = LocalProcessBroker.onPath("kcat")
                .orElseThrow(() -> Brokers.unavailable(
                        "kafka", "kcat is not on the PATH (apt-get install kcat); the interoperability tests run it"));
    }

    private static String bootstrap() {
        return KafkaFixture.shared().config().uri().getRawAuthority();
    }

    /** Runs kcat with {@code args}, feeding {@code stdin}; returns its standard output. */
    private static String kcat(String stdin, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(kcat.toString(), "-b", bootstrap()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("kcat did not finish in 30 s: " + cmd);
        }
        assertEquals(0, p.exitValue(), "kcat " + cmd + " exit code; output: " + out);
        return out;
    }

    @Test
    void kcatReadsTributarysRecordsValueKeyAndHeaders() throws Exception {
        StreamName s = StreamName.of("interop-" + RUN + "-out");
        try (StreamClient c = StreamClients.open(KafkaFixture.shared().config())) {
            c.createStream(s);
            c.append(
                    s,
                    StreamRecord.builder()
                            .key("customer-7")
                            .header("type", "order.created")
                            .header("trace", "00-4bf9-01")
                            .payload("{\"id\":42}")
                            .build());
        }
        String out = kcat("", "-C", "-t", s.value(), "-o", "beginning", "-e", "-q", "-f", "%k|%h|%s\\n");
        assertEquals("customer-7|type=order.created,trace=00-4bf9-01|{\"id\":42}\n", out);
    }

    @Test
    void tributaryReadsWhatKcatProduced() throws Exception {
        StreamName s = StreamName.of("interop-" + RUN + "-in");
        try (StreamClient c = StreamClients.open(KafkaFixture.shared().config())) {
            c.createStream(s);
            kcat(
                    "customer-9:{\"id\":7}\n",
                    "-P",
                    "-t",
                    s.value(),
                    "-K",
                    ":",
                    "-H",
                    "type=order.updated",
                    "-H",
                    "note=grüße, \"quoted\"");
            List<StreamEvent> got = c.range(s, Position.earliest(), null, 10);
            assertEquals(1, got.size(), "one record");
            StreamEvent e = got.get(0);
            assertArrayEquals("customer-9".getBytes(StandardCharsets.UTF_8), e.key());
            assertEquals("{\"id\":7}", e.payloadAsString());
            assertEquals(Headers.of("type", "order.updated", "note", "grüße, \"quoted\""), e.headers());
        }
    }
}
