package dev.tributary.core;

import static dev.tributary.core.TailProcessorTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import dev.tributary.core.testing.Events;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two README examples, as written there, against the memory backend. */
class ReadmeExamplesTest {
    @TempDir
    Path dir;

    @Test
    void tailProcessorExample() throws Exception {
        try (StreamClient client = Events.memory()) {
            StreamName orders = StreamName.of("orders");
            client.append(
                    orders,
                    StreamRecord.builder()
                            .payload("o-1")
                            .header("type", "created")
                            .build());
            client.append(
                    orders,
                    StreamRecord.builder().payload("o-1").header("type", "paid").build());
            List<String> out = new CopyOnWriteArrayList<>();
            TailProcessor<String> audit = TailProcessor.builder(client, orders, Codecs.utf8())
                    .name("orders-audit")
                    .checkpointStore(new FileCheckpointStore(dir.resolve("checkpoints")))
                    .startFrom(Position.earliest())
                    .gapPolicy(GapPolicy.CONTINUE_FROM_EARLIEST)
                    .filter(e ->
                            e.headers().first("type").filter("created"::equals).isPresent())
                    .handler(m -> out.add(m.id() + " " + m.value()))
                    .build();
            audit.start();
            await(
                    "checkpoint",
                    () -> audit.checkpoint().isPresent()
                            && audit.checkpoint().get().sequence() == 2);
            audit.stop();
            assertEquals(List.of("1 o-1"), out);
        }
    }

    @Test
    void groupProcessorWithDeadLetterStreamExample() throws Exception {
        try (StreamClient client = Events.memory()) {
            StreamName orders = StreamName.of("orders");
            client.append(
                    orders,
                    StreamRecord.builder().key("c1").payload("{\"total\":3}").build());
            client.append(orders, StreamRecord.builder().key("c2").payload(" ").build());
            List<String> out = new CopyOnWriteArrayList<>();
            GroupProcessor<String> billing = GroupProcessor.builder(client, orders, "billing", Codecs.utf8())
                    .concurrency(4)
                    .maxInFlight(1000)
                    .retry(RetryPolicy.of(5, Backoff.exponential(Duration.ofMillis(1), Duration.ofMillis(5))))
                    .deadLetters(DeadLetterPolicy.toStream(StreamName.of("orders-billing-dlq")))
                    .handler(m -> {
                        if (m.value().isBlank()) {
                            throw new IllegalArgumentException("empty order " + m.id());
                        }
                        out.add("billing " + m.key() + ": " + m.value());
                    })
                    .build();
            billing.start();
            StreamName dlq = StreamName.of("orders-billing-dlq");
            await("dead letter", () -> client.info(dlq).length() == 1);
            billing.stop();
            assertEquals(List.of("billing c1: {\"total\":3}"), out);
            StreamEvent dead = client.range(dlq, Position.earliest(), null, 10).get(0);
            assertEquals(
                    "5", dead.headers().first(DeadLetterPolicy.HEADER_ATTEMPTS).orElseThrow());
            assertEquals(
                    "billing",
                    dead.headers().first(DeadLetterPolicy.HEADER_GROUP).orElseThrow());
            assertEquals("c2", dead.keyAsString());
        }
    }
}
