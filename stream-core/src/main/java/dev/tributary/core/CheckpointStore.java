package dev.tributary.core;

import dev.tributary.EventId;
import java.util.Optional;

/**
 * Where a {@link TailProcessor} keeps its checkpoint: the id of the last event it read and handled
 * (including events its filter rejected). A processor writes the checkpoint only after the handler
 * succeeded for the whole batch, and resumes after it when restarted.
 *
 * <p>Keys are processor names (the stream-name grammar: letters, digits, {@code _} and
 * {@code -}). Implementations are thread-safe. A failure is a {@link dev.tributary.StreamException}
 * whose kind tells the processor whether to retry ({@code RETRYABLE}) or fail.
 */
public interface CheckpointStore {

    /** The saved checkpoint for {@code key}, if any. */
    Optional<EventId> load(String key);

    /** Saves the checkpoint for {@code key}, replacing the previous one; durable when it returns. */
    void save(String key, EventId checkpoint);

    /** Forgets the checkpoint for {@code key}; a processor then starts at its configured position. */
    void delete(String key);
}
