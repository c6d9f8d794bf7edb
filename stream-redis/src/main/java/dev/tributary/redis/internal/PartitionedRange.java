package dev.tributary.redis.internal;

import dev.tributary.Cursor;
import dev.tributary.EventId;
import dev.tributary.Position;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.spi.Interleaving;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Positions and ranges over the partitions of a stream: where each partition starts for a position
 * given to the whole stream, a range read of every partition interleaved ({@link Interleaving}), and
 * events given their partitioned ids. One id cannot say where the other partitions stand, so
 * {@code after(id)} and a range end id are refused on a partitioned stream, naming the cursor.
 */
final class PartitionedRange {
    private PartitionedRange() {}

    /**
     * The start of each of {@code n} partitions: earliest and {@code at(time)} apply to each, a cursor
     * of {@code n} partitions gives each its own; {@code latest} is the caller's to resolve.
     *
     * @throws StreamException INVALID_ARGUMENT for {@code after(id)} or a cursor of another count
     */
    static List<Position> starts(Position from, int n, StreamName stream) {
        if (from instanceof Position.AfterCursor c) {
            List<Position> out = new ArrayList<>(n);
            for (int p = 0; p < n; p++) {
                out.add(partitionStart(c.cursor(), n, p, stream));
            }
            return out;
        }
        if (from instanceof Position.After a) {
            throw StreamException.invalid("after(" + a.id() + ") cannot say where the other partitions of stream "
                    + stream.value() + " (" + n + " partitions) stand: resume with Position.after(cursor), "
                    + "the cursor of a reader (StreamReader.cursor()) or of range pages (Cursor.advance)");
        }
        return Collections.nCopies(n, from);
    }

    /** Where partition {@code p} starts after {@code cursor}; INVALID_ARGUMENT for another partition count. */
    static Position partitionStart(Cursor cursor, int n, int p, StreamName stream) {
        if (cursor.partitionCount() != n) {
            throw StreamException.invalid("cursor " + cursor + " covers " + cursor.partitionCount()
                    + " partition(s), but stream " + stream.value() + " has " + n);
        }
        return cursor.position(p);
    }

    /**
     * The one position of a one-partition stream: a cursor must cover one partition.
     *
     * @throws StreamException INVALID_ARGUMENT for a cursor of several partitions
     */
    static Position onePartition(Position from, StreamName stream) {
        if (from instanceof Position.AfterCursor c) {
            return partitionStart(c.cursor(), 1, 0, stream);
        }
        return from;
    }

    /**
     * Up to {@code max} events of every partition after {@code from}, interleaved: each partition is
     * read up to {@code max} events after its start (with its gap check, whose DATA_LOSS names the
     * partition), then the first {@code max} of their interleaving are kept.
     */
    static List<StreamEvent> range(
            RedisStreamClient client, List<StreamKeys> parts, Position from, EventId toInclusive, int max) {
        StreamName stream = parts.get(0).stream();
        int n = parts.size();
        if (toInclusive != null) {
            throw StreamException.invalid("a range of stream " + stream.value() + " (" + n
                    + " partitions) cannot end at the one id " + toInclusive
                    + ": page it with a cursor (Position.after(cursor)) and maxCount instead");
        }
        if (from instanceof Position.Latest) {
            return List.of(); // nothing lies after the latest event of any partition
        }
        List<Position> starts = starts(from, n, stream);
        List<List<StreamEvent>> each = new ArrayList<>(n);
        for (int p = 0; p < n; p++) {
            Position start = starts.get(p);
            List<StreamEvent> got = RedisReader.readFrom(
                    client.channel,
                    client.admin,
                    client.codec,
                    parts.get(p),
                    RedisReader.cursorOf(start),
                    !(start instanceof Position.AtTime),
                    "+",
                    max,
                    null);
            each.add(inPartition(p, got));
        }
        return Interleaving.first(each, max);
    }

    /** {@code events} of partition {@code p}, with partitioned ids. */
    static List<StreamEvent> inPartition(int p, List<StreamEvent> events) {
        List<StreamEvent> out = new ArrayList<>(events.size());
        for (StreamEvent e : events) {
            out.add(new StreamEvent(
                    e.stream(),
                    EventId.inPartition(p, e.id()),
                    e.timestamp(),
                    e.key(),
                    e.headers(),
                    e.payload(),
                    e.deliveryCount(),
                    e.markedHeaders()));
        }
        return out;
    }
}
