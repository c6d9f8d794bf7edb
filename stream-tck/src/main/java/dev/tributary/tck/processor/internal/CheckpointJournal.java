package dev.tributary.tck.processor.internal;

import dev.tributary.EventId;
import dev.tributary.core.CheckpointStore;
import dev.tributary.core.InMemoryCheckpointStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A checkpoint store that remembers, for every checkpoint saved, which events the handler had
 * returned from at that moment, so that C9 can tell whether a checkpoint was ever ahead of what was
 * handled. Keeps the checkpoints in memory.
 */
final class CheckpointJournal implements CheckpointStore {
    /** One save: the checkpoint and the ids the handler had returned from when it was saved. */
    record Save(EventId checkpoint, Set<EventId> handled) {}

    private final InMemoryCheckpointStore store = new InMemoryCheckpointStore();
    private final Set<EventId> handled;
    private final List<Save> saves = new ArrayList<>();

    /** A journal that snapshots {@code handled} (filled by the rule's handler) at every save. */
    CheckpointJournal(Set<EventId> handled) {
        this.handled = handled;
    }

    @Override
    public Optional<EventId> load(String key) {
        return store.load(key);
    }

    @Override
    public void save(String key, EventId checkpoint) {
        synchronized (saves) {
            saves.add(new Save(checkpoint, Set.copyOf(handled)));
        }
        store.save(key, checkpoint);
    }

    @Override
    public void delete(String key) {
        store.delete(key);
    }

    /** Every save so far, in order. */
    List<Save> saves() {
        synchronized (saves) {
            return List.copyOf(saves);
        }
    }
}
