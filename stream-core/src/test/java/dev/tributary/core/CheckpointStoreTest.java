package dev.tributary.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.Cursor;
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
    void storesKeepAPartitionedStreamsCursorAndAnIdIsTheOnePartitionCursor() {
        for (CheckpointStore store :
                List.of(new FileCheckpointStore(dir.resolve("c")), new InMemoryCheckpointStore())) {
            Cursor cursor = Cursor.parse("41,-,1700000000000-3");
            store.saveCursor("tail", cursor);
            assertEquals(Optional.of(cursor), store.loadCursor("tail"), store.toString());
            StreamException e = assertThrows(StreamException.class, () -> store.load("tail"));
            assertEquals(ErrorKind.CONFIGURATION, e.kind());
            assertTrue(e.getMessage().contains("loadCursor"), e.getMessage());

            store.save("tail", EventId.ofSequence(7));
            assertEquals(Optional.of(Cursor.parse("7")), store.loadCursor("tail"), "an id is the cursor after it");
            store.saveCursor("tail", Cursor.parse("8"));
            assertEquals(Optional.of(EventId.ofSequence(8)), store.load("tail"), "a one-id cursor is that id");
            store.delete("tail");
            assertEquals(Optional.empty(), store.loadCursor("tail"));
        }
    }

    @Test
    void aFileWrittenBeforeCursorsExistedStillLoads() throws Exception {
        Files.writeString(dir.resolve("old.checkpoint"), "1700000000000-3\n");
        FileCheckpointStore store = new FileCheckpointStore(dir);
        assertEquals(Optional.of(EventId.of(1700000000000L, 3)), store.load("old"));
        assertEquals(Optional.of(Cursor.parse("1700000000000-3")), store.loadCursor("old"));
        store.saveCursor("new", Cursor.parse("1700000000000-4"));
        assertEquals("1700000000000-4\n", Files.readString(dir.resolve("new.checkpoint")), "the same text as save");
    }

    @Test
    void aStoreOfIdsOnlyKeepsOneIdCursorsAndRefusesOthers() {
        java.util.Map<String, EventId> ids = new java.util.HashMap<>();
        CheckpointStore store = new CheckpointStore() {
            @Override
            public Optional<EventId> load(String key) {
                return Optional.ofNullable(ids.get(key));
            }

            @Override
            public void save(String key, EventId checkpoint) {
                ids.put(key, checkpoint);
            }

            @Override
            public void delete(String key) {
                ids.remove(key);
            }
        };
        store.saveCursor("k", Cursor.parse("9"));
        assertEquals(EventId.ofSequence(9), ids.get("k"));
        assertEquals(Optional.of(Cursor.parse("9")), store.loadCursor("k"));
        StreamException e = assertThrows(StreamException.class, () -> store.saveCursor("k", Cursor.parse("1,2")));
        assertEquals(ErrorKind.UNSUPPORTED, e.kind());
        assertThrows(StreamException.class, () -> store.saveCursor("k", Cursor.parse("-")));
        assertEquals(EventId.ofSequence(9), ids.get("k"), "a refused cursor leaves the checkpoint alone");
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
