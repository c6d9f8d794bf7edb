package dev.tributary.core;

import dev.tributary.Cursor;
import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.Position;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A checkpoint store in this JVM's memory: for tests, and for processors that may start over after a restart.
 * It keeps ids and cursors (a saved id is the one-partition cursor after it).
 */
public final class InMemoryCheckpointStore implements CheckpointStore {
    private final Map<String, Cursor> checkpoints = new ConcurrentHashMap<>();

    @Override
    public Optional<EventId> load(String key) {
        Cursor c = checkpoints.get(StreamName.check(key, "checkpoint key"));
        if (c == null) {
            return Optional.empty();
        }
        return Optional.of(CheckpointStore.idOf(c)
                .orElseThrow(() -> new StreamException(
                        ErrorKind.CONFIGURATION,
                        "checkpoint '" + key + "' is the cursor " + c + ", not one id: read it with loadCursor")));
    }

    @Override
    public void save(String key, EventId checkpoint) {
        Objects.requireNonNull(checkpoint, "checkpoint");
        checkpoints.put(StreamName.check(key, "checkpoint key"), Cursor.of(List.of(Position.after(checkpoint))));
    }

    @Override
    public Optional<Cursor> loadCursor(String key) {
        return Optional.ofNullable(checkpoints.get(StreamName.check(key, "checkpoint key")));
    }

    @Override
    public void saveCursor(String key, Cursor cursor) {
        checkpoints.put(StreamName.check(key, "checkpoint key"), Objects.requireNonNull(cursor, "cursor"));
    }

    @Override
    public void delete(String key) {
        checkpoints.remove(StreamName.check(key, "checkpoint key"));
    }

    @Override
    public String toString() {
        return "InMemoryCheckpointStore" + checkpoints;
    }
}
