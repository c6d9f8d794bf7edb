package dev.tributary.core.internal;

import dev.tributary.Cursor;
import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.Position;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamInfo;
import dev.tributary.StreamReader;
import dev.tributary.core.CheckpointStore;
import dev.tributary.core.CircuitBreaker;
import dev.tributary.core.GapPolicy;
import dev.tributary.core.Processor;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop of a tail processor: open a reader after the checkpoint (or at the start position), read
 * full batches without pausing, hand them over, then save the checkpoint = the last id read (on a
 * partitioned stream, the reader's cursor).
 */
public final class TailLoop<T> implements Lifecycle.Body {
    private static final Logger LOG = LoggerFactory.getLogger(TailLoop.class);

    private final Settings<T> s;
    private final CheckpointStore store;
    private final Position start;
    private final CircuitBreaker breaker;
    private Processor processor;

    public TailLoop(Settings<T> settings, CheckpointStore store, Position start, CircuitBreaker breaker) {
        this.s = settings;
        this.store = store;
        this.start = start;
        this.breaker = breaker;
    }

    /** Set once, before the first start. */
    public void bind(Processor p) {
        this.processor = p;
    }

    @Override
    public void run(Lifecycle.Run run) {
        LoopRun<T> tools = LoopRun.start(s, processor, breaker, run, null);
        Retrying source = tools.source();
        Retrying local = tools.local();
        Dispatcher<T> dispatcher = tools.dispatcher();
        int count = Math.min(s.batchSize(), s.client().limits().maxReadCount());

        Optional<Cursor> saved = local.call("checkpoint-load", () -> store.loadCursor(s.name()));
        Position from = start;
        EventId lastRead = null;
        Cursor readCursor = null; // a partitioned stream's: where the reader stands in every partition
        if (saved.isPresent()) {
            Optional<EventId> id = CheckpointStore.idOf(saved.get());
            if (id.isPresent()) {
                // Re-parse through the client so that a checkpoint of another backend fails clearly.
                lastRead = s.client().parseId(id.get().toString());
                from = Position.after(lastRead);
            } else {
                from = Position.after(saved.get()); // a partitioned stream's cursor
                readCursor = saved.get();
            }
        }
        final Position openAt = from;
        StreamReader reader = source.call("open", () -> s.client().openReader(s.stream(), openAt));
        run.setWaker(reader::close);
        long nextLag = s.lagInterval().isZero() ? Long.MAX_VALUE : s.clock().millis();
        LagProbe lagProbe = new LagProbe(s, run);
        long received = 0;
        try {
            while (!run.stopRequested()) {
                final StreamReader r = reader;
                List<StreamEvent> events;
                try {
                    events = source.call("poll", () -> r.poll(count, s.pollWait()));
                } catch (StreamException e) {
                    if (e.kind() == ErrorKind.DATA_LOSS) {
                        reader = onGap(reader, e, source, run);
                        continue;
                    }
                    if (e.kind() == ErrorKind.CLOSED && run.stopRequested()) {
                        break;
                    }
                    throw e;
                }
                received += events.size();
                if (!events.isEmpty()) {
                    Dispatcher.Result result = dispatcher.handle(events, id -> {}, () -> false);
                    EventId last = events.get(events.size() - 1).id();
                    if (last.isPartitioned()) {
                        // one id cannot say where the other partitions stand: keep the reader's cursor
                        Cursor cursor = r.cursor();
                        local.run("checkpoint", () -> store.saveCursor(s.name(), cursor));
                        readCursor = cursor;
                    } else {
                        local.run("checkpoint", () -> store.save(s.name(), last));
                    }
                    lastRead = last;
                    s.listener().onCheckpoint(s.name(), last);
                    s.listener().onBatch(s.name(), events.size(), result.filtered(), result.deadLettered(), last);
                }
                if (s.clock().millis() >= nextLag) {
                    final EventId readSoFar = lastRead;
                    final Cursor cursorSoFar = readCursor;
                    final long receivedSoFar = received;
                    lagProbe.request(() ->
                            new LagProbe.Check(cursorSoFar != null ? lag(cursorSoFar) : lag(readSoFar), receivedSoFar));
                    nextLag = s.clock().millis() + s.lagInterval().toMillis();
                }
            }
        } finally {
            run.setWaker(null);
            lagProbe.close();
            closeQuietly(reader);
        }
    }

    private StreamReader onGap(StreamReader reader, StreamException e, Retrying source, Lifecycle.Run run) {
        Position expected = reader.position();
        LOG.warn(
                "processor '{}': gap in '{}': the reader wanted to continue {} but those events were trimmed before they were read; policy {}",
                s.name(),
                s.stream(),
                expected,
                s.gapPolicy());
        s.listener().onGap(s.name(), s.stream(), expected, s.gapPolicy());
        if (s.gapPolicy() == GapPolicy.FAIL) {
            throw e;
        }
        closeQuietly(reader);
        run.setWaker(null);
        StreamReader fresh = source.call("open", () -> s.client().openReader(s.stream(), Position.earliest()));
        run.setWaker(fresh::close);
        LOG.warn("processor '{}': continuing '{}' at {} after the gap", s.name(), s.stream(), fresh.position());
        s.listener().onGapSkipped(s.name(), s.stream(), fresh.position());
        return fresh;
    }

    /** Events not yet read after {@code lastRead}, by the broker's figures; -1 when ids cannot tell. */
    private long lag(EventId lastRead) {
        StreamInfo info = s.client().info(s.stream());
        if (info.lastId().isEmpty()) {
            return 0;
        }
        if (lastRead == null) {
            return info.length();
        }
        EventId newest = info.lastId().get();
        if (!newest.isAfter(lastRead)) {
            return 0;
        }
        if (!newest.isPair() && !lastRead.isPair()) {
            return Math.min(info.length(), newest.sequence() - lastRead.sequence());
        }
        return -1;
    }

    /**
     * Events not yet read after {@code cursor} over every partition, summed from each partition's figures; -1
     * when a partition's ids cannot tell (time-based ids, a position at a time) or the counts differ.
     */
    private long lag(Cursor cursor) {
        List<StreamInfo> parts = s.client().info(s.stream()).partitions();
        if (parts.size() != cursor.partitionCount()) {
            return -1;
        }
        long sum = 0;
        for (int i = 0; i < parts.size(); i++) {
            StreamInfo part = parts.get(i);
            Position p = cursor.position(i);
            if (part.lastId().isEmpty()) {
                continue;
            }
            if (p instanceof Position.Earliest) {
                sum += part.length();
            } else if (p instanceof Position.After a
                    && !a.id().isPair()
                    && !part.lastId().get().isPair()) {
                sum += Math.max(0, Math.min(part.length(), part.lastId().get().sequence() - a.id().sequence()));
            } else {
                return -1;
            }
        }
        return sum;
    }

    static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.debug("closing {} failed: {}", c, e.toString());
        }
    }
}
