package dev.tributary.core;

import dev.tributary.EventId;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.core.internal.Lifecycle;
import dev.tributary.core.internal.Settings;
import dev.tributary.core.internal.TailLoop;
import java.time.Duration;
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
 * checkpoint was not saved is read again.
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
public final class TailProcessor<T> implements Processor {
    private final Settings<T> settings;
    private final CheckpointStore store;
    private final CircuitBreaker breaker;
    private final Lifecycle lifecycle;

    private TailProcessor(Builder<T> b) {
        String stream = b.stream.value();
        this.settings = b.settings("tail", (stream.length() > 195 ? stream.substring(0, 195) : stream) + "-tail");
        this.store = b.store;
        this.breaker = new CircuitBreaker(settings.breaker(), settings.clock(),
                (from, to) -> settings.listener().onCircuitStateChange(settings.name(), from, to));
        TailLoop<T> loop = new TailLoop<>(settings, store, b.start, breaker);
        this.lifecycle = new Lifecycle(settings.name(), settings.threadFactory(), settings.listener(),
                settings.stopTimeout(), loop);
        loop.bind(this);
    }

    /** A builder for a processor of {@code stream} that decodes payloads with {@code codec}. */
    public static <T> Builder<T> builder(StreamClient client, StreamName stream, Codec<T> codec) {
        return new Builder<>(client, stream, codec);
    }

    @Override
    public String name() {
        return settings.name();
    }

    /** The stream this processor reads. */
    public StreamName stream() {
        return settings.stream();
    }

    /** The checkpoint saved now, if any. */
    public Optional<EventId> checkpoint() {
        return store.load(settings.name());
    }

    @Override
    public boolean start() {
        return lifecycle.start();
    }

    @Override
    public boolean stop() {
        return lifecycle.stop(settings.stopTimeout());
    }

    @Override
    public boolean stop(Duration timeout) {
        return lifecycle.stop(timeout);
    }

    @Override
    public ProcessorState state() {
        return lifecycle.state();
    }

    @Override
    public Optional<Throwable> failure() {
        return lifecycle.failure();
    }

    @Override
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return lifecycle.awaitTermination(timeout);
    }

    @Override
    public CircuitBreaker.State circuitState() {
        return breaker.state();
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

        public TailProcessor<T> build() {
            return new TailProcessor<>(this);
        }
    }
}
