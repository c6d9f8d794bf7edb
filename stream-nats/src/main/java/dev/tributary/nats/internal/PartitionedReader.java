package dev.tributary.nats.internal;

import dev.tributary.Cursor;
import dev.tributary.Position;
import dev.tributary.StreamEvent;
import dev.tributary.StreamName;
import dev.tributary.spi.AbstractStreamReader;
import dev.tributary.spi.Interleaving;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A tail cursor over every partition of a partitioned stream: one {@link NatsReader} per partition
 * (each its own ephemeral pull consumer on its partition's JetStream stream), merged by
 * {@link Interleaving}. A poll first takes what every partition has at hand without waiting; when
 * none has anything it waits on one partition at a time, in turns of at most {@value #TURN_MS} ms, so
 * an event in any partition is seen within about one turn per partition. What a partition's reader
 * returned beyond what the interleaving kept is held here and served first; the cursor moves only
 * past what this reader returned.
 */
final class PartitionedReader extends AbstractStreamReader {
    /** The longest a poll waits on one partition before it looks at the next. */
    static final long TURN_MS = 50;

    private final List<NatsReader> readers;
    private final List<List<StreamEvent>> held;
    /** Each partition's place: its start until something of it was returned, then after that. */
    private volatile Cursor cursor;

    private int turn;

    PartitionedReader(NatsStreamClient client, StreamName stream, int count, Position from) {
        super(stream, client.limits(), "reader of '" + stream + "' (" + count + " partitions)");
        List<Position> starts = NatsPartitions.starts(stream, count, from, "a reader");
        this.readers = NatsPartitions.openEach(
                count,
                p -> new NatsReader(client, stream, client.partitions().target(stream, p), starts.get(p)),
                NatsReader::close);
        this.held = new ArrayList<>(Collections.nCopies(count, List.<StreamEvent>of()));
        List<Position> at = new ArrayList<>(count);
        readers.forEach(r -> at.add(r.position())); // latest is resolved by the partition's reader
        try {
            this.cursor = Cursor.of(at);
        } catch (RuntimeException e) {
            readers.forEach(NatsReader::close);
            throw e;
        }
    }

    @Override
    protected List<StreamEvent> doPoll(int maxCount, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            boolean any = false;
            for (int p = 0; p < readers.size(); p++) {
                if (held.get(p).isEmpty()) {
                    held.set(p, poll(p, maxCount, Duration.ZERO));
                }
                any |= !held.get(p).isEmpty();
            }
            if (any) {
                return take(maxCount);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return List.of();
            }
            int p = Math.floorMod(turn++, readers.size());
            held.set(p, poll(p, maxCount, Duration.ofNanos(Math.min(left, TURN_MS * 1_000_000))));
        }
    }

    /** The first {@code maxCount} of what the partitions hold, interleaved; the rest stays held. */
    private List<StreamEvent> take(int maxCount) {
        List<StreamEvent> out = Interleaving.first(held, maxCount);
        int[] taken = new int[readers.size()];
        for (StreamEvent e : out) {
            taken[e.partition()]++;
        }
        cursor = cursor.advance(out);
        for (int p = 0; p < taken.length; p++) {
            List<StreamEvent> h = held.get(p);
            if (taken[p] > 0) {
                held.set(p, taken[p] == h.size() ? List.of() : List.copyOf(h.subList(taken[p], h.size())));
            }
        }
        return out;
    }

    private List<StreamEvent> poll(int p, int maxCount, Duration wait) {
        return NatsPartitions.poll(stream(), p, readers.get(p)::poll, maxCount, wait);
    }

    @Override
    public Cursor cursor() {
        return cursor;
    }

    @Override
    public Position position() {
        return Position.after(cursor());
    }

    @Override
    protected void doClose() {
        readers.forEach(NatsReader::close);
    }
}
