package dev.tributary.core;

import dev.tributary.Cursor;
import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.Position;
import dev.tributary.StreamException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a {@link TailProcessor} keeps its checkpoint: the id of the last event it read and handled
 * (including events its filter rejected). A processor writes the checkpoint only after the handler
 * succeeded for the whole batch, and resumes after it when restarted.
 *
 * <p>On a partitioned stream one id cannot say where the other partitions stand, so the processor
 * keeps its reader's {@link Cursor} instead, through {@link #saveCursor} and {@link #loadCursor}.
 * {@link InMemoryCheckpointStore} and {@link FileCheckpointStore} keep cursors; a store that
 * implements only the three id methods keeps the one-partition cursors (an id) and refuses the others
 * with {@link ErrorKind#UNSUPPORTED}, so a partitioned tail never resumes from a partial checkpoint.
 *
 * <p>Keys are processor names (the stream-name grammar: letters, digits, {@code _} and
 * {@code -}). Implementations are thread-safe. A failure is a {@link dev.tributary.StreamException}
 * whose kind tells the processor whether to retry ({@code RETRYABLE}) or fail.
 */
public interface CheckpointStore {

    /**
     * The saved checkpoint for {@code key}, if any.
     *
     * @throws StreamException {@link ErrorKind#CONFIGURATION} when the key holds a cursor that is not
     *                         one id (a partitioned stream's): read it with {@link #loadCursor}
     */
    Optional<EventId> load(String key);

    /** Saves the checkpoint for {@code key}, replacing the previous one; durable when it returns. */
    void save(String key, EventId checkpoint);

    /** Forgets the checkpoint for {@code key}; a processor then starts at its configured position. */
    void delete(String key);

    /**
     * The saved cursor for {@code key}, if any. A saved id reads as the one-partition cursor after it. The
     * default reads {@link #load}.
     */
    default Optional<Cursor> loadCursor(String key) {
        return load(key).map(id -> Cursor.of(List.of(Position.after(id))));
    }

    /**
     * Saves a cursor for {@code key}, replacing the previous checkpoint; durable when it returns. The default
     * saves a one-partition cursor after an id as that id, with {@link #save}, and refuses any other.
     *
     * @throws StreamException {@link ErrorKind#UNSUPPORTED} (the default) for a cursor that is not one id
     */
    default void saveCursor(String key, Cursor cursor) {
        Objects.requireNonNull(cursor, "cursor");
        Optional<EventId> id = idOf(cursor);
        if (id.isEmpty()) {
            throw new StreamException(
                    ErrorKind.UNSUPPORTED,
                    getClass().getName() + " keeps one event id per key and cannot keep the cursor " + cursor
                            + " of a partitioned stream: implement saveCursor and loadCursor, or use "
                            + "FileCheckpointStore or InMemoryCheckpointStore");
        }
        save(key, id.get());
    }

    /** The id a one-partition cursor after an id stands for; empty for any other cursor. */
    static Optional<EventId> idOf(Cursor cursor) {
        if (cursor.partitionCount() == 1 && cursor.position(0) instanceof Position.After a) {
            return Optional.of(a.id());
        }
        return Optional.empty();
    }
}
