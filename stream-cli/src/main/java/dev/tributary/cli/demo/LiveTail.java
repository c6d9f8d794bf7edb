package dev.tributary.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.EventId;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamName;
import dev.tributary.core.CheckpointStore;
import dev.tributary.core.Codec;
import dev.tributary.core.InMemoryCheckpointStore;
import dev.tributary.core.ProcessorListener;
import dev.tributary.core.TailProcessor;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The demo's live tail: a {@link TailProcessor} with a {@link CheckpointStore} that follows the stream
 * from its first event, loses its connection once (processor stopped, client closed) and resumes after
 * its checkpoint with a new client and a processor of the same name. Every event it handles goes to the
 * {@link Ledger}. Driven by the scenario's monitor thread; its state is read from others.
 */
final class LiveTail {
    static final String NAME = "demo-live-tail";

    private final Supplier<StreamClient> clients;
    private final ProcessorListener processors;
    private final StreamName stream;
    private final Codec<JsonNode> codec;
    private final Ledger ledger;
    private final Consumer<String> narrator;
    private final Consumer<String> problems;
    private final CheckpointStore checkpoints = new InMemoryCheckpointStore();

    private volatile StreamClient client;
    private volatile TailProcessor<JsonNode> processor;
    private volatile String disconnectedAt;
    private volatile long disconnectedNanos;
    private volatile boolean reconnected;

    /**
     * @param narrator   told each step of the story
     * @param problems   told what did not stop or close cleanly
     * @param processors the listener of the tail's processor (meters, when the demo serves them)
     */
    LiveTail(
            Supplier<StreamClient> clients,
            StreamName stream,
            Codec<JsonNode> codec,
            Ledger ledger,
            Consumer<String> narrator,
            Consumer<String> problems,
            ProcessorListener processors) {
        this.processors = processors;
        this.clients = clients;
        this.stream = stream;
        this.codec = codec;
        this.ledger = ledger;
        this.narrator = narrator;
        this.problems = problems;
    }

    /** Opens a client and starts the processor from the checkpoint (the first event when there is none). */
    void start() {
        client = clients.get();
        processor = TailProcessor.builder(client, stream, codec)
                .name(NAME)
                .checkpointStore(checkpoints)
                .startFrom(Position.earliest())
                .batchSize(200)
                .lagInterval(Duration.ZERO)
                .listener(processors)
                .handler(m -> ledger.tail(DomainEvents.seqOf(m.value())))
                .build();
        processor.start();
    }

    /** Drops the connection: stops the processor and closes its client; the checkpoint stays. */
    void disconnect() {
        TailProcessor<JsonNode> t = processor;
        t.stop(Duration.ofSeconds(10));
        DemoScenario.closeQuietly(client, "tail client", problems);
        disconnectedAt = t.checkpoint().map(EventId::toString).orElse("(nothing yet)");
        disconnectedNanos = System.nanoTime();
        narrator.accept("live tail disconnected (its client closed) at checkpoint " + disconnectedAt
                + "; the producer keeps going");
    }

    /** True when the tail has been disconnected for {@code downFor} and has not come back yet. */
    boolean reconnectDue(Duration downFor) {
        return disconnectedAt != null && !reconnected && System.nanoTime() - disconnectedNanos >= downFor.toNanos();
    }

    /** Comes back with a new client, resuming after the checkpoint it had when it was disconnected. */
    void reconnect() {
        start();
        reconnected = true;
        narrator.accept("live tail reconnected with a new client; resuming after checkpoint " + disconnectedAt);
    }

    /** True once the tail has been disconnected (whether or not it is back). */
    boolean wasDisconnected() {
        return disconnectedAt != null;
    }

    /** True while the tail is disconnected. */
    boolean down() {
        return disconnectedAt != null && !reconnected;
    }

    /** Stops the processor; a processor that does not stop in time is a problem. */
    void stop() {
        TailProcessor<JsonNode> t = processor;
        if (t != null && !t.stop(Duration.ofSeconds(10))) {
            problems.accept("the live tail did not stop within 10 s");
        }
    }

    /** Closes the current client. */
    void close() {
        DemoScenario.closeQuietly(client, "tail client", problems);
    }

    DemoResult.Tail result() {
        return new DemoResult.Tail(
                ledger.tailDeliveries(), Optional.ofNullable(disconnectedAt), reconnected, ledger.tailOutOfOrder());
    }
}
