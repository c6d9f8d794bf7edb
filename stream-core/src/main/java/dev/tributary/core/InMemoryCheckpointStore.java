package dev.tributary.core;

import dev.tributary.EventId;
import dev.tributary.StreamName;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A checkpoint store in this JVM's memory: for tests, and for processors that may start over after a restart. */
public final class InMemoryCheckpointStore implements CheckpointStore {
    private final Map<String, EventId> checkpoints = new ConcurrentHashMap<>();

    @Override
    public Optional<EventId> load(String key) {
        return Optional.ofNullable(checkpoints.get(StreamName.check(key, "checkpoint key")));
    }

    @Override
    public void save(String key, EventId checkpoint) {
        checkpoints.put(StreamName.check(key, "checkpoint key"), Objects.requireNonNull(checkpoint, "checkpoint"));
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
