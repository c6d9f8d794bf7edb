package dev.tributary.spi;

import dev.tributary.ErrorKind;
import dev.tributary.Limits;
import dev.tributary.StreamEvent;
import dev.tributary.StreamName;
import dev.tributary.StreamReader;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The skeleton of a {@link StreamReader}: a backend writes {@link #doPoll}, {@link #position()} and
 * {@link #doClose()}; this class owns the closed flag and the checks, in one order for every
 * backend.
 *
 * <h2>Contract kept here</h2>
 * <ul>
 *   <li>{@link #poll} runs: closed check → count and wait checks → {@link #doPoll}. A poll that was
 *       blocked (or failing) when the reader or its client closed ends {@link ErrorKind#CLOSED},
 *       whatever the backend's native client reported while it shut down. Events a poll already read
 *       are returned even if close ran meanwhile, so the cursor never moves past events the
 *       application did not get.</li>
 *   <li>{@link #close()} is idempotent: the first call runs {@link #doClose()} (which must wake a
 *       blocked {@code doPoll}) and tells the client, which stops tracking the reader.</li>
 *   <li>{@link #stream()} and {@link #position()} answer after close, so a cursor can be saved
 *       once its reader is closed.</li>
 * </ul>
 */
public abstract class AbstractStreamReader extends PollingEndpoint implements StreamReader {
    private final StreamName stream;

    /**
     * @param stream      the stream read
     * @param limits      the backend's limits (for the count check)
     * @param description what the reader is, for messages (no secrets), e.g. {@code "reader of orders"}
     */
    protected AbstractStreamReader(StreamName stream, Limits limits, String description) {
        super(limits, description);
        this.stream = Objects.requireNonNull(stream, "stream");
    }

    @Override
    public final StreamName stream() {
        return stream;
    }

    /**
     * Reads up to {@code maxCount} events after the cursor, waiting up to {@code wait} for the first
     * one, and advances the cursor past what it returns. Arguments are already checked. Must return
     * promptly once {@link #doClose()} ran.
     */
    @Override
    protected abstract List<StreamEvent> doPoll(int maxCount, Duration wait);
}
