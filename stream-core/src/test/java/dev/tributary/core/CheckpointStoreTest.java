package dev.tributary.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.StreamException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    @Test
    void aDirectoryThatCannotBeCreatedIsAConfigurationError() throws Exception {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        StreamException e = assertThrows(StreamException.class, () -> new FileCheckpointStore(file.resolve("cp")));
        assertEquals(ErrorKind.CONFIGURATION, e.kind());
    }

    @Test
    void theStoreNamesItsDirectory() {
        FileCheckpointStore store = new FileCheckpointStore(dir);
        assertEquals(dir, store.directory());
        assertTrue(store.toString().contains(dir.toString()), store.toString());
    }

    @Test
    void aCheckpointThatCannotBeReadIsRetryable() throws Exception {
        FileCheckpointStore store = new FileCheckpointStore(dir);
        Files.createDirectory(dir.resolve("k.checkpoint"));
        StreamException e = assertThrows(StreamException.class, () -> store.load("k"));
        assertEquals(ErrorKind.RETRYABLE, e.kind());
    }

    @Test
    void aCheckpointThatCannotBeReplacedIsRetryableAndLeavesNoTemporaryFile() throws Exception {
        FileCheckpointStore store = new FileCheckpointStore(dir);
        Path blocker = Files.createDirectory(dir.resolve("k.checkpoint"));
        Files.writeString(blocker.resolve("inside"), "x");
        StreamException e = assertThrows(StreamException.class, () -> store.save("k", EventId.ofSequence(7)));
        assertEquals(ErrorKind.RETRYABLE, e.kind());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(blocker), files.toList(), "the temporary file was removed");
        }
    }

    @Test
    void aCheckpointThatCannotBeDeletedIsRetryable() throws Exception {
        FileCheckpointStore store = new FileCheckpointStore(dir);
        Path blocker = Files.createDirectory(dir.resolve("k.checkpoint"));
        Files.writeString(blocker.resolve("inside"), "x");
        StreamException e = assertThrows(StreamException.class, () -> store.delete("k"));
        assertEquals(ErrorKind.RETRYABLE, e.kind());
        assertTrue(Files.exists(blocker));
    }
}
