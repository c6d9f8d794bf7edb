package dev.tributary.kafka.internal;

import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.Limits;
import dev.tributary.Position;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.spi.AbstractStreamReader;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A tail cursor over a one-partition stream. The start is resolved when needed: {@code latest} at
 * open (to the end offset then), {@code earliest} and {@code at(time)} at each poll until the first
 * event is read; afterwards the cursor is the offset after the last event returned. Each poll
 * borrows a consumer of the client's pool ({@link Fetcher#fetch}); {@link #doClose()} wakes it.
 */
final class KafkaReader extends AbstractStreamReader {
    private final Fetcher fetcher;
    private final Position start;
    private final ActiveLease lease = new ActiveLease(this::isClosed);
    private final CountDownLatch closing = new CountDownLatch(1);
    /** Offset of the next event to read, or -1 while the start is unresolved. */
    private long next;

    private volatile EventId lastRead;

    private KafkaReader(Fetcher fetcher, StreamName stream, Limits limits, Position start, long resolvedNext) {
        super(stream, limits, "Kafka reader of " + stream.value());
        this.fetcher = fetcher;
        this.start = start;
        this.next = resolvedNext;
    }

    /** Opens a reader at a checked position: {@code latest} resolves to the end offset now. */
    static KafkaReader open(Fetcher fetcher, StreamName stream, Limits limits, Position from) {
        if (from instanceof Position.Latest) {
            long end = fetcher.end(stream);
            return new KafkaReader(fetcher, stream, limits, resolvedLatest(end), end);
        }
        if (from instanceof Position.After a) {
            return new KafkaReader(fetcher, stream, limits, from, Records.offset(a.id(), false) + 1);
        }
        return new KafkaReader(fetcher, stream, limits, from, -1);
    }

    @Override
    protected List<StreamEvent> doPoll(int maxCount, Duration wait) {
        long from = next >= 0 ? next : fetcher.resolveStart(stream(), start);
        if (from < 0) {
            // the stream does not exist (yet): nothing to read; wait as asked, waking on close
            waitMissing(wait);
            return List.of();
        }
        Fetcher.Fetch f = fetcher.fetch(stream(), 0, from, Long.MAX_VALUE, maxCount, wait, lease);
        if (!f.events().isEmpty()) {
            lastRead = f.events().get(f.events().size() - 1).id();
            next = f.next();
        } else if (next >= 0) {
            next = Math.max(next, f.next());
        }
        return f.events();
    }

    /** Waits up to {@code wait} for a missing stream to appear, checking every 250 ms; wakes on close. */
    private void waitMissing(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!isClosed()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                if (closing.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(250)), TimeUnit.NANOSECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StreamException(ErrorKind.RETRYABLE, "interrupted while waiting", e);
            }
            if (fetcher.exists(stream())) {
                return;
            }
        }
    }

    @Override
    public Position position() {
        EventId last = lastRead;
        return last != null ? Position.after(last) : start;
    }

    @Override
    protected void doClose() {
        closing.countDown();
        lease.wake();
    }

    /** A start position of a latest reader resolved at open: after the last event, or earliest if none. */
    static Position resolvedLatest(long end) {
        if (end <= 0) {
            return Position.earliest();
        }
        return Position.after(Records.id(0, end - 1, false));
    }
}
