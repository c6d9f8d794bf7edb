package dev.tributary.redis.internal;

import dev.tributary.Cursor;
import dev.tributary.Position;
import dev.tributary.StreamEvent;
import dev.tributary.StreamName;
import dev.tributary.spi.AbstractStreamReader;
import dev.tributary.spi.Interleaving;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A tail reader over every partition of a partitioned stream: one {@link RedisReader} per partition
 * key (each with its own gap check, whose DATA_LOSS names the partition), merged by
 * {@link Interleaving}.
 *
 * <p>A poll reads, without blocking, each partition that has nothing left over from an earlier read,
 * up to {@code maxCount} events, and returns the first {@code maxCount} of the interleaving; what a
 * partition read beyond that is kept (at most one read per partition) and returned by later polls,
 * so the cursor — each partition's last <em>returned</em> event — loses and repeats nothing. When no
 * partition has anything and the caller allows a wait, {@link PartitionWait} blocks on all partition
 * keys at once (one connection; on a Cluster, per slot in turns), then the poll reads again.
 */
final class PartitionedReader extends AbstractStreamReader {
    private final RedisReader[] parts;
    private final List<ArrayDeque<StreamEvent>> leftOver;
    /** Where each partition continues: its start, or after its last returned event. */
    private final Position[] at;

    private final PartitionWait wait;

    private PartitionedReader(RedisStreamClient client, StreamName stream, RedisReader[] parts, List<StreamKeys> keys) {
        super(stream, client.limits(), "reader of stream " + stream.value() + " (" + parts.length + " partitions)");
        this.parts = parts;
        this.leftOver = new ArrayList<>(parts.length);
        this.at = new Position[parts.length];
        for (int p = 0; p < parts.length; p++) {
            leftOver.add(new ArrayDeque<>());
            at[p] = parts[p].position();
        }
        this.wait = new PartitionWait(
                client.channel, client.pool, keys, client.settings.mode == RedisSettings.Mode.CLUSTER);
    }

    /** A reader of every partition in {@code keys} from {@code from} ({@code latest}: each partition's end now). */
    static PartitionedReader open(RedisStreamClient client, List<StreamKeys> keys, Position from) {
        StreamName stream = keys.get(0).stream();
        List<Position> starts = from instanceof Position.Latest
                ? Collections.nCopies(keys.size(), from)
                : PartitionedRange.starts(from, keys.size(), stream);
        RedisReader[] parts = new RedisReader[keys.size()];
        for (int p = 0; p < parts.length; p++) {
            parts[p] = RedisReader.open(client, keys.get(p), starts.get(p));
        }
        return new PartitionedReader(client, stream, parts, keys);
    }

    @Override
    protected List<StreamEvent> doPoll(int maxCount, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<StreamEvent> got = readOnce(maxCount);
            long remaining = deadline - System.nanoTime();
            if (!got.isEmpty() || remaining <= 0 || isClosed()) {
                return got;
            }
            wait.await(remaining, p -> parts[p].waitId(), this::isClosed);
        }
    }

    /** Reads every partition with nothing left over, without blocking; returns the interleaving's first events. */
    private List<StreamEvent> readOnce(int maxCount) {
        List<List<StreamEvent>> each = new ArrayList<>(parts.length);
        for (int p = 0; p < parts.length; p++) {
            ArrayDeque<StreamEvent> left = leftOver.get(p);
            if (left.isEmpty()) {
                left.addAll(PartitionedRange.inPartition(p, parts[p].doPoll(maxCount, Duration.ZERO)));
            }
            each.add(List.copyOf(left));
        }
        List<StreamEvent> out = Interleaving.first(each, maxCount);
        synchronized (at) {
            for (StreamEvent e : out) { // a prefix of each partition's events, in order
                int p = e.partition();
                leftOver.get(p).removeFirst();
                at[p] = Position.after(e.id().local());
            }
        }
        return out;
    }

    @Override
    public Cursor cursor() {
        synchronized (at) {
            return Cursor.of(List.of(at));
        }
    }

    @Override
    public Position position() {
        return Position.after(cursor());
    }

    /** Wakes a blocked wait and closes the partitions' readers. */
    @Override
    protected void doClose() {
        wait.wake();
        for (RedisReader r : parts) {
            r.close();
        }
    }
}
