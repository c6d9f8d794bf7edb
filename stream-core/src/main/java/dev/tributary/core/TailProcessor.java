package dev.tributary.core;

import dev.tributary.EventId;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.core.internal.TailLoop;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads a stream from a position and hands every event to the handler, keeping a checkpoint.
 *
 * <h2>Checkpoints</h2>
 * After the handler succeeded for a whole batch (every event handled, filtered or dead-lettered),
 * the processor saves the id of the last event <em>read</em> — filtered ones included — in its
 * {@link CheckpointStore} under its {@link #name()}. Started again (this processor, or a new one with
 * the same name and store), it resumes after that id; with no checkpoint it starts at the configured
 * start position (default {@link Position#earliest()}). Delivery is at least once: a batch whose
 * checkpoint was not saved is read again. On a partitioned stream one id cannot say where the other
 * partitions stand: the checkpoint is then the reader's {@link dev.tributary.Cursor}
 * ({@link CheckpointStore#saveCursor}), and a restart resumes every partition where it stopped.
 * {@link InMemoryCheckpointStore} and {@link FileCheckpointStore} keep cursors; a store of ids only
 * fails the processor {@code UNSUPPORTED} at its first checkpoint there, rather than resume wrongly.
 *
 * <h2>Gaps</h2>
 * When the checkpoint lies below the stream's retained head (events were trimmed before they were
 * read), the listener hears {@link ProcessorListener#onGap} and the {@link GapPolicy} decides: fail,
 * or continue from the earliest retained event (reported through
 * {@link ProcessorListener#onGapSkipped}). Never silently.
 *
 * <h2>Errors</h2>
 * Retryable failures of the source are retried with exponential backoff and full jitter behind a
 * circuit breaker; fatal ones ({@code AUTHENTICATION}, {@code CONFIGURATION}, {@code UNSUPPORTED},
 * {@code INTERNAL}) and any other non-retryable kind make the processor {@code FAILED} at once.
 * Handler failures are retried per the {@link RetryPolicy}, then dead-lettered per the
 * {@link DeadLetterPolicy}; undecodable payloads are dead-lettered at once.
 *
 * <pre>{@code
 * TailProcessor<String> audit = TailProcessor.builder(client, StreamName.of("orders"), Codecs.utf8())
 *         .name("orders-audit")
 *         .checkpointStore(new FileCheckpointStore(Path.of("/var/lib/app/checkpoints")))
 *         .handler(m -> log.info("{} {}", m.id(), m.value()))
 *         .build();
 * audit.start();
 * ...
 * audit.stop();
 * }</pre>
 *
 * @param <T> the decoded value type
 */
public final class TailProcessor<T> extends LoopProcessor<T> {
    private final CheckpointStore store;

    private TailProcessor(Builder<T> b) {
        super(b.settings("tail", defaultName(b.stream.value())));
        this.store = b.store;
        TailLoop<T> loop = new TailLoop<>(settings, store, b.start, breaker);
        run(loop);
        loop.bind(this);
        announce(null);
    }

    private static String defaultName(String stream) {
        return (stream.length() > 195 ? stream.substring(0, 195) : stream) + "-tail";
    }

    /** A builder for a processor of {@code stream} that decodes payloads with {@code codec}. */
    public static <T> Builder<T> builder(StreamClient client, StreamName stream, Codec<T> codec) {
        return new Builder<>(client, stream, codec);
    }

    /** The checkpoint saved now, if any. */
    public Optional<EventId> checkpoint() {
        return store.load(settings.name());
    }

    @Override
    public String toString() {
        return "TailProcessor[" + name() + " on " + settings.stream() + ", " + state() + "]";
    }

    /** Builds a {@link TailProcessor}. The name defaults to {@code <stream>-tail}. */
    public static final class Builder<T> extends ProcessorBuilder<T, Builder<T>> {
        private CheckpointStore store = new InMemoryCheckpointStore();
        private Position start = Position.earliest();

        private Builder(StreamClient client, StreamName stream, Codec<T> codec) {
            super(client, stream, codec);
        }

        @Override
        Builder<T> self() {
            return this;
        }

        /** Where checkpoints are kept (default: a new {@link InMemoryCheckpointStore}, lost with the JVM). */
        public Builder<T> checkpointStore(CheckpointStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * Where to start when there is no checkpoint (default {@link Position#earliest()});
         * {@link Position#latest()} is resolved when the loop opens its reader.
         */
        public Builder<T> startFrom(Position start) {
            if (start == null) {
                throw StreamException.invalid("start position must not be null");
            }
            this.start = start;
            return this;
        }

        /** The processor, not started. */
        public TailProcessor<T> build() {
            return new TailProcessor<>(this);
        }
    }
}
