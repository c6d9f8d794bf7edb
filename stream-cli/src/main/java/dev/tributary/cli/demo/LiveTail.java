package dev.tributary.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.EventId;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.core.CheckpointStore;
import dev.tributary.core.InMemoryCheckpointStore;
import dev.tributary.core.TailProcessor;
import java.time.Duration;
import java.util.Optional;

/**
 * The demo's live tail: a {@link TailProcessor} with a {@link CheckpointStore} that follows the stream
 * from its first event, loses its connection once (processor stopped, client closed) and resumes after
 * its checkpoint with a new client and a processor of the same name. Every event it handles goes to the
 * {@link Ledger}. Driven by the scenario's monitor thread; its state is read from others.
 */
final class LiveTail {
    static final String NAME = "demo-live-tail";

    private final ConsumerSetup setup;
    private final CheckpointStore checkpoints = new InMemoryCheckpointStore();

    private volatile StreamClient client;
    private volatile TailProcessor<JsonNode> processor;
    private volatile String disconnectedAt;
    private volatile long disconnectedNanos;
    private volatile boolean reconnected;

    /** A tail of {@code setup}'s stream; its processor's listener is {@code setup}'s. */
    LiveTail(ConsumerSetup setup) {
        this.setup = setup;
    }

    /** Opens a client and starts the processor from the checkpoint (the first event when there is none). */
    void start() {
        client = setup.clients().get();
        processor = TailProcessor.builder(client, setup.stream(), setup.codec())
                .name(NAME)
                .checkpointStore(checkpoints)
                .startFrom(Position.earliest())
                .batchSize(200)
                .lagInterval(Duration.ZERO)
                .listener(setup.processors())
                .handler(m -> setup.ledger().tail(DomainEvents.seqOf(m.value())))
                .build();
        processor.start();
    }

    /** Drops the connection: stops the processor and closes its client; the checkpoint stays. */
    void disconnect() {
        TailProcessor<JsonNode> t = processor;
        t.stop(Duration.ofSeconds(10));
        DemoScenario.closeQuietly(client, "tail client", setup.problems());
        disconnectedAt = t.checkpoint().map(EventId::toString).orElse("(nothing yet)");
        disconnectedNanos = System.nanoTime();
        setup.narrator()
                .accept("live tail disconnected (its client closed) at checkpoint " + disconnectedAt
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
        setup.narrator().accept("live tail reconnected with a new client; resuming after checkpoint " + disconnectedAt);
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
            setup.problems().accept("the live tail did not stop within 10 s");
        }
    }

    /** Closes the current client. */
    void close() {
        DemoScenario.closeQuietly(client, "tail client", setup.problems());
    }

    DemoResult.Tail result() {
        return new DemoResult.Tail(
                setup.ledger().tailDeliveries(),
                Optional.ofNullable(disconnectedAt),
                reconnected,
                setup.ledger().tailOutOfOrder());
    }
}
