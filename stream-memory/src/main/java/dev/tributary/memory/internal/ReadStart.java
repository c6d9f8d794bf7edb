package dev.tributary.memory.internal;

import dev.tributary.EventId;
import dev.tributary.Position;
import dev.tributary.StreamException;
import java.time.Instant;

/**
 * A position in the memory backend's terms: earliest, latest, after a sequence, or at a time. Readers
 * resolve {@code LATEST} to {@code AFTER} when they open; {@code AFTER} is where a cursor stands once
 * it has read something.
 */
record ReadStart(Kind kind, long afterSeq, Instant time) {
    enum Kind {
        EARLIEST,
        LATEST,
        AFTER,
        AT_TIME
    }

    static ReadStart of(Position p) {
        if (p instanceof Position.Earliest) {
            return new ReadStart(Kind.EARLIEST, 0, null);
        }
        if (p instanceof Position.Latest) {
            return new ReadStart(Kind.LATEST, 0, null);
        }
        if (p instanceof Position.After a) {
            return after(MemoryStreamClient.seq(a.id(), "position id"));
        }
        return new ReadStart(Kind.AT_TIME, 0, ((Position.AtTime) p).time());
    }

    /**
     * One start per partition of {@code log}'s stream ({@code null}: a missing stream, read as one
     * partition until it exists), {@code latest} resolved to each partition's last sequence now.
     *
     * @throws dev.tributary.StreamException INVALID_ARGUMENT for a cursor of another partition count,
     *                                       or {@code after(id)} on a partitioned stream
     */
    static ReadStart[] resolve(Position p, StreamLog log) {
        StreamLog[] parts = log == null ? null : log.parts();
        int n = parts != null
                ? parts.length
                : p instanceof Position.AfterCursor c ? c.cursor().partitionCount() : 1;
        ReadStart[] out = new ReadStart[n];
        if (p instanceof Position.AfterCursor c) {
            if (c.cursor().partitionCount() != n) {
                throw StreamException.invalid(
                        "cursor " + c.cursor() + " covers " + c.cursor().partitionCount() + " partitions, stream '"
                                + (log == null ? "(missing)" : log.name) + "' has " + n);
            }
            for (int i = 0; i < n; i++) {
                out[i] = of(c.cursor().position(i));
            }
            return out;
        }
        if (p instanceof Position.After a) {
            if (n > 1) {
                throw StreamException.invalid("stream '" + log.name + "' has " + n + " partitions: one id (" + a.id()
                        + ") does not say where the others stand; start after a cursor instead");
            }
            if (a.id().isPartitioned()) {
                throw StreamException.invalid("'" + a.id() + "' is a partitioned id, stream '"
                        + (log == null ? "(missing)" : log.name) + "' has one partition");
            }
        }
        for (int i = 0; i < n; i++) {
            out[i] = p instanceof Position.Latest ? after(parts == null ? 0 : parts[i].lastSeq()) : of(p);
        }
        return out;
    }

    static ReadStart after(long seq) {
        return new ReadStart(Kind.AFTER, seq, null);
    }

    /**
     * The first sequence to read from {@code log} (which may be {@code lastSeq + 1}: nothing yet).
     * Not for {@code LATEST}, which callers resolve first.
     *
     * @throws dev.tributary.StreamException DATA_LOSS for an {@code AFTER} behind the retained head
     */
    long firstSeq(StreamLog log, String who) {
        switch (kind) {
            case EARLIEST:
                return log.firstSeq();
            case AFTER:
                return log.continueAfter(afterSeq, who);
            case AT_TIME:
                return log.firstSeqAtOrAfter(time);
            default:
                throw new IllegalStateException("latest must be resolved before reading");
        }
    }

    Position toPosition() {
        switch (kind) {
            case EARLIEST:
                return Position.earliest();
            case AFTER:
                return Position.after(EventId.ofSequence(afterSeq));
            case AT_TIME:
                return Position.at(time);
            default:
                return Position.latest();
        }
    }
}
