package dev.tributary.tck.processor.internal;

import dev.tributary.GroupOptions;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamName;
import dev.tributary.core.CheckpointStore;
import dev.tributary.core.Codecs;
import dev.tributary.core.GroupProcessor;
import dev.tributary.core.Handler;
import dev.tributary.core.Processor;
import dev.tributary.core.TailProcessor;
import java.time.Duration;

/**
 * How the history rules (C9, C10) build the processors they judge. The kit uses
 * {@link #STREAM_CORE}, stream-core's own processors; the kit's self-tests hand in deliberately
 * broken ones to prove that the rules catch them. Not an API: the kit's processor rules always run
 * stream-core's processors on the backend under test.
 */
public interface ProcessorFactory {

    /**
     * A tail processor named {@code name} on {@code stream} from the earliest event, keeping its
     * checkpoint in {@code checkpoints}, small batches so that it saves checkpoints often.
     */
    Processor tail(
            StreamClient client, StreamName stream, String name, CheckpointStore checkpoints, Handler<String> handler);

    /**
     * A group processor, member of {@code group} (created with {@code options}), on {@code lanes} handler
     * lanes, reading its next batch while the handler runs (stream-core's read-ahead, opt-in, is judged
     * here against the history on every backend; the other rules' group processors keep the default).
     */
    Processor group(
            StreamClient client,
            StreamName stream,
            String group,
            GroupOptions options,
            int lanes,
            Handler<String> handler);

    /** stream-core's {@link TailProcessor} and {@link GroupProcessor}. */
    ProcessorFactory STREAM_CORE = new ProcessorFactory() {
        @Override
        public Processor tail(
                StreamClient client,
                StreamName stream,
                String name,
                CheckpointStore checkpoints,
                Handler<String> handler) {
            return TailProcessor.builder(client, stream, Codecs.utf8())
                    .name(name)
                    .checkpointStore(checkpoints)
                    .startFrom(Position.earliest())
                    .batchSize(16)
                    .pollWait(Duration.ofMillis(50))
                    .handler(handler)
                    .build();
        }

        @Override
        public Processor group(
                StreamClient client,
                StreamName stream,
                String group,
                GroupOptions options,
                int lanes,
                Handler<String> handler) {
            return GroupProcessor.builder(client, stream, group, Codecs.utf8())
                    .name(group)
                    .groupOptions(options)
                    .concurrency(lanes)
                    .batchSize(32)
                    .maxInFlight(64)
                    .readAhead(true)
                    .pollWait(Duration.ofMillis(50))
                    .handler(handler)
                    .build();
        }

        @Override
        public String toString() {
            return "stream-core's processors";
        }
    };
}
