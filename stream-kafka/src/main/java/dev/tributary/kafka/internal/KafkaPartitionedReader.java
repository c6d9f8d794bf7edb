package dev.tributary.kafka.internal;

import dev.tributary.Cursor;
import dev.tributary.EventId;
import dev.tributary.Limits;
import dev.tributary.Position;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.spi.AbstractStreamReader;
import dev.tributary.spi.Interleaving;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A tail cursor over every partition of a partitioned stream (a client opened with {@code partitions=N}).
 * Each partition has its own next offset; a partition whose start is {@code earliest} or a time is
 * resolved again at each poll until it has read something, {@code latest} is resolved at open. A poll
 * reads every partition without waiting and returns the first {@code maxCount} of them interleaved by
 * timestamp, then partition, keeping the rest for the next polls (a partition is fetched again once
 * what it brought is returned, so nothing is fetched twice); when none has anything it waits on one partition at a time, in turns of
 * at most {@value #TURN_MS} ms, so an event in any partition is seen within about one turn per
 * partition. Each fetch borrows a consumer of the client's pool; {@link #doClose()} wakes it.
 */
final class KafkaPartitionedReader extends AbstractStreamReader {
    /** The longest a poll waits on one partition before it looks at the next. */
    static final long TURN_MS = 50;

    private final Fetcher fetcher;
    private final ActiveLease lease = new ActiveLease(this::isClosed);
    /** Each partition's start; {@code null} until the stream exists (then every partition starts at {@link #start}). */
    private volatile List<Position> starts;

    private final Position start;
    /** Each partition's next offset, -1 while its start is unresolved; {@code null} until the stream exists. */
    private volatile long[] next;

    private int turn;
    /**
     * Per partition, the events a fetch brought that no poll returned yet (the interleaving keeps at
     * most {@code maxCount} of all partitions' fetches); a partition is fetched again only once its
     * events are all returned. At most one fetch per partition; {@code null} until the first fetch.
     */
    private List<List<StreamEvent>> buffered;

    private KafkaPartitionedReader(
            Fetcher fetcher, StreamName stream, Limits limits, Position start, List<Position> starts, long[] next) {
        super(stream, limits, "Kafka reader of " + stream.value());
        this.fetcher = fetcher;
        this.start = start;
        this.starts = starts;
        this.next = next;
    }

    /**
     * Opens a reader at a checked position: {@code latest} resolves to every partition's end now;
     * {@code after(cursor)} must cover the stream's partitions.
     */
    static KafkaPartitionedReader open(Fetcher fetcher, StreamName stream, Limits limits, Position from) {
        if (from instanceof Position.After a) {
            throw StreamException.invalid("stream " + stream + " is partitioned: one id (" + a.id()
                    + ") does not say where the other partitions stand; start after a cursor instead");
        }
        if (from instanceof Position.Latest) {
            long[] ends = fetcher.ends(stream);
            if (ends == null) {
                return new KafkaPartitionedReader(fetcher, stream, limits, Position.earliest(), null, null);
            }
            List<Position> starts = new ArrayList<>(ends.length);
            for (long e : ends) {
                starts.add(e == 0 ? Position.earliest() : Position.after(EventId.ofSequence(e - 1)));
            }
            return new KafkaPartitionedReader(fetcher, stream, limits, from, starts, ends.clone());
        }
        if (from instanceof Position.AfterCursor c) {
            long[] ends = fetcher.ends(stream);
            if (ends != null && ends.length != c.cursor().partitionCount()) {
                throw StreamException.invalid("cursor " + c.cursor() + " covers "
                        + c.cursor().partitionCount() + " partitions, stream " + stream + " has " + ends.length);
            }
            return new KafkaPartitionedReader(
                    fetcher, stream, limits, from, c.cursor().positions(), null);
        }
        long[] ends = fetcher.ends(stream); // earliest or a time: every partition starts there
        return new KafkaPartitionedReader(
                fetcher, stream, limits, from, ends == null ? null : Collections.nCopies(ends.length, from), null);
    }

    @Override
    protected List<StreamEvent> doPoll(int maxCount, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long[] cur = resolve();
            if (cur == null) {
                sleepTurn(deadline);
                if (System.nanoTime() - deadline >= 0) {
                    return List.of();
                }
                continue;
            }
            if (buffered == null || buffered.size() != cur.length) {
                buffered = new ArrayList<>(Collections.nCopies(cur.length, List.of()));
            }
            boolean any = false;
            for (List<StreamEvent> b : buffered) {
                any |= !b.isEmpty();
            }
            long left = deadline - System.nanoTime();
            int waitOn = left > 0 && !any ? Math.floorMod(turn++, cur.length) : -1;
            for (int p = 0; p < cur.length; p++) {
                if (!buffered.get(p).isEmpty()) {
                    continue; // what an earlier fetch brought is served first: no fetch, no seek back
                }
                Fetcher.Fetch f;
                if (left <= 0 || (p == waitOn && !any)) {
                    // a poll without a wait asks the broker about every partition; a waiting poll only
                    // about the partition whose turn it is, while nothing is at hand
                    Duration w = left <= 0
                            ? Duration.ZERO
                            : Duration.ofNanos(
                                    Math.min(left, Duration.ofMillis(TURN_MS).toNanos()));
                    f = fetcher.fetch(stream(), p, cur[p], Long.MAX_VALUE, maxCount, w, lease);
                } else {
                    // the others take what their consumer has fetched, without an admin round trip each
                    f = fetcher.fetchReady(stream(), p, cur[p], maxCount, lease);
                }
                buffered.set(p, f.events());
                any |= !f.events().isEmpty();
            }
            if (any) {
                List<StreamEvent> out = Interleaving.first(buffered, maxCount);
                long[] moved = next.clone(); // partitions that returned nothing keep following their start
                int[] taken = new int[cur.length];
                for (StreamEvent e : out) {
                    moved[e.partition()] = e.id().local().sequence() + 1;
                    taken[e.partition()]++;
                }
                for (int p = 0; p < taken.length; p++) {
                    List<StreamEvent> b = buffered.get(p);
                    if (taken[p] > 0) {
                        buffered.set(p, taken[p] == b.size() ? List.of() : List.copyOf(b.subList(taken[p], b.size())));
                    }
                }
                next = moved;
                return out;
            }
            if (System.nanoTime() - deadline >= 0) {
                return List.of();
            }
        }
    }

    /**
     * Every partition's next offset, the unresolved ones (nothing read, start earliest or a time)
     * resolved now; null while the stream is missing. {@link #next} keeps them unresolved.
     */
    private long[] resolve() {
        List<Position> s = starts;
        if (s == null) {
            long[] ends = fetcher.ends(stream());
            if (ends == null) {
                return null;
            }
            s = Collections.nCopies(ends.length, start);
            starts = s;
        }
        long[] cur = next;
        if (cur == null) {
            // the first look checks the cursor's offsets against each partition's retained head and end
            long[] first = fetcher.resolveStarts(stream(), s);
            if (first == null) {
                return null;
            }
            cur = new long[s.size()];
            for (int p = 0; p < cur.length; p++) {
                cur[p] = s.get(p) instanceof Position.After ? first[p] : -1;
            }
            next = cur;
        }
        boolean unresolved = false;
        for (long n : cur) {
            unresolved |= n < 0;
        }
        if (!unresolved) {
            return cur;
        }
        long[] resolved = fetcher.resolveStarts(stream(), s);
        if (resolved == null) {
            return null;
        }
        long[] out = cur.clone();
        for (int p = 0; p < out.length; p++) {
            if (out[p] < 0) {
                out[p] = resolved[p];
            }
        }
        return out;
    }

    private void sleepTurn(long deadline) {
        long left =
                Math.min(deadline - System.nanoTime(), Duration.ofMillis(250).toNanos());
        if (left > 0 && !isClosed()) {
            try {
                Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StreamException(dev.tributary.ErrorKind.RETRYABLE, "interrupted while waiting", e);
            }
        }
    }

    @Override
    public Position position() {
        return Position.after(cursor());
    }

    @Override
    public Cursor cursor() {
        List<Position> s = starts;
        long[] cur = next;
        if (s == null) {
            return Cursor.of(List.of(start)); // the stream did not exist yet: its one known place
        }
        List<Position> out = new ArrayList<>(s.size());
        for (int p = 0; p < s.size(); p++) {
            long n = cur == null ? -1 : cur[p];
            out.add(n < 0 ? s.get(p) : n == 0 ? Position.earliest() : Position.after(EventId.ofSequence(n - 1)));
        }
        return Cursor.of(out);
    }

    @Override
    protected void doClose() {
        lease.wake();
    }
}
