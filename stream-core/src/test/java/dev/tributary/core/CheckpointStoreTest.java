package dev.tributary.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.StreamException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {
    @TempDir
    Path dir;

    @Test
    void fileStoreSavesLoadsReplacesAndDeletes() throws Exception {
        FileCheckpointStore store = new FileCheckpointStore(dir.resolve("cp"));
        assertEquals(Optional.empty(), store.load("orders-audit"));
        store.save("orders-audit", EventId.of(1700000000000L, 3));
        assertEquals(Optional.of(EventId.of(1700000000000L, 3)), store.load("orders-audit"));
        store.save("orders-audit", EventId.ofSequence(42));
        assertEquals(
                Optional.of(EventId.ofSequence(42)),
                new FileCheckpointStore(dir.resolve("cp")).load("orders-audit"),
                "a new store over the same directory sees the checkpoint");
        try (Stream<Path> files = Files.list(dir.resolve("cp"))) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
        store.delete("orders-audit");
        assertEquals(Optional.empty(), store.load("orders-audit"));
        store.delete("orders-audit");
    }

    @Test
    void aFileThatHoldsNoIdIsAConfigurationError() throws Exception {
        FileCheckpointStore store = new FileCheckpointStore(dir);
        Files.writeString(dir.resolve("x.checkpoint"), "garbage");
        StreamException e = assertThrows(StreamException.class, () -> store.load("x"));
        assertEquals(ErrorKind.CONFIGURATION, e.kind());
    }

    @Test
    void keysFollowTheStreamNameGrammarSoTheyAreSafeFileNames() {
        FileCheckpointStore store = new FileCheckpointStore(dir);
        StreamException e = assertThrows(StreamException.class, () -> store.save("../evil", EventId.ofSequence(1)));
        assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
        InMemoryCheckpointStore mem = new InMemoryCheckpointStore();
        assertThrows(StreamException.class, () -> mem.load("a b"));
        mem.save("k", EventId.ofSequence(5));
        assertTrue(mem.load("k").isPresent());
    }
}
