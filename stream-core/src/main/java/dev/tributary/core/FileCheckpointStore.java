package dev.tributary.core;

import dev.tributary.Cursor;
import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.Optional;

/**
 * Checkpoints in files: one file {@code <key>.checkpoint} per key in a directory, holding the id's
 * {@link EventId#toString()} form, or a partitioned stream's {@link Cursor} in its text form (a one-partition
 * cursor after an id is that id's text, so files written before cursors existed still load). A save writes a temporary file in the same directory, forces it to
 * disk, moves it over the old file atomically and syncs the directory, so a crash leaves the old or
 * the new checkpoint, never a torn one.
 *
 * <p>I/O failures are {@link ErrorKind#RETRYABLE} (a full disk may clear); a file that does not hold
 * an id is {@link ErrorKind#CONFIGURATION}.
 */
public final class FileCheckpointStore implements CheckpointStore {
    private static final String SUFFIX = ".checkpoint";

    private final Path directory;

    /** Stores checkpoints in {@code directory}, which is created if missing. */
    public FileCheckpointStore(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory");
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new StreamException(
                    ErrorKind.CONFIGURATION, "cannot create checkpoint directory " + directory + ": " + e, e);
        }
    }

    /** The directory the checkpoint files are kept in. */
    public Path directory() {
        return directory;
    }

    @Override
    public Optional<EventId> load(String key) {
        Optional<String> text = read(key);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Cursor cursor = parse(key, text.get());
        return Optional.of(CheckpointStore.idOf(cursor)
                .orElseThrow(() -> new StreamException(
                        ErrorKind.CONFIGURATION,
                        "checkpoint file " + file(key) + " holds the cursor " + cursor
                                + ", not one id: read it with loadCursor")));
    }

    @Override
    public Optional<Cursor> loadCursor(String key) {
        return read(key).map(text -> parse(key, text));
    }

    @Override
    public void save(String key, EventId checkpoint) {
        write(key, Objects.requireNonNull(checkpoint, "checkpoint").toString());
    }

    /** Writes the cursor's text form; a one-partition cursor after an id is that id's text, as {@link #save} writes. */
    @Override
    public void saveCursor(String key, Cursor cursor) {
        write(key, Objects.requireNonNull(cursor, "cursor").toString());
    }

    private Optional<String> read(String key) {
        Path file = file(key);
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8).trim());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StreamException(ErrorKind.RETRYABLE, "cannot read checkpoint " + file + ": " + e, e);
        }
    }

    private Cursor parse(String key, String text) {
        try {
            return Cursor.parse(text);
        } catch (StreamException e) {
            throw new StreamException(
                    ErrorKind.CONFIGURATION,
                    "checkpoint file " + file(key) + " does not hold an event id or a cursor; fix or delete it",
                    e);
        }
    }

    private void write(String key, String text) {
        Path file = file(key);
        Path tmp = null;
        try {
            tmp = Files.createTempFile(directory, key + ".", ".tmp");
            try (FileChannel ch =
                    FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
            syncDirectory();
        } catch (IOException e) {
            throw new StreamException(ErrorKind.RETRYABLE, "cannot write checkpoint " + file + ": " + e, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: a stray temp file does not affect the checkpoint
                }
            }
        }
    }

    @Override
    public void delete(String key) {
        Path file = file(key);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new StreamException(ErrorKind.RETRYABLE, "cannot delete checkpoint " + file + ": " + e, e);
        }
    }

    /** Makes the rename itself durable where the platform allows opening a directory (Linux, macOS). */
    private void syncDirectory() {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not supported on this platform (Windows): the file's own force() is what we can do
        }
    }

    private Path file(String key) {
        return directory.resolve(StreamName.check(key, "checkpoint key") + SUFFIX);
    }

    @Override
    public String toString() {
        return "FileCheckpointStore[" + directory + "]";
    }
}
