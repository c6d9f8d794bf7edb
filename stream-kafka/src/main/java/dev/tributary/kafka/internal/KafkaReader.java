package dev.tributary.kafka.internal;

import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.Position;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamReader;
import dev.tributary.spi.Checks;
import java.time.Duration;
import java.util.List;

/**
 * A tail cursor over a one-partition stream. The start is resolved when needed: {@code latest} at
 * open (to the end offset then), {@code earliest} and {@code at(time)} at each poll until the first
 * event is read; afterwards the cursor is the offset after the last event returned. Each poll
 * borrows a consumer of the client's pool (see {@link KafkaStreamClient#fetch}).
 */
final class KafkaReader implements StreamReader {
    private final KafkaStreamClient client;
    private final StreamName stream;
    private final Position start;
    private final Object lock = new Object();
    private ConsumerPool.Lease active;
    private volatile boolean closed;
    /** Offset of the next event to read, or -1 while the start is unresolved. */
    private long next;
    private EventId lastRead;

    KafkaReader(KafkaStreamClient client, StreamName stream, Position start, long resolvedNext) {
        this.client = client;
        this.stream = stream;
        this.start = start;
        this.next = resolvedNext;
    }

    @Override
    public StreamName stream() {
        return stream;
    }

    @Override
    public List<StreamEvent> poll(int maxCount, Duration wait) {
        if (closed) {
            throw StreamException.closed("reader of " + stream);
        }
        client.checkOpen();
        Checks.count(maxCount, client.limits());
        Checks.wait(wait);
        long from = next >= 0 ? next : client.resolveStart(stream, start);
        if (from < 0) {
            // the stream does not exist (yet): nothing to read; wait as asked, waking on close
            client.waitMissing(stream, wait, () -> closed);
            if (closed) {
                throw StreamException.closed("reader of " + stream);
            }
            return List.of();
        }
        KafkaStreamClient.Fetch f = client.fetch(stream, 0, from, Long.MAX_VALUE, maxCount, wait, this::setActive,
                () -> closed);
        if (!f.events().isEmpty()) {
            lastRead = f.events().get(f.events().size() - 1).id();
            next = f.next();
        } else if (next >= 0) {
            next = Math.max(next, f.next());
        }
        return f.events();
    }

    private void setActive(ConsumerPool.Lease lease) {
        synchronized (lock) {
            active = lease;
        }
    }

    @Override
    public Position position() {
        if (lastRead != null) {
            return Position.after(lastRead);
        }
        return start;
    }

    @Override
    public void close() {
        closed = true;
        synchronized (lock) {
            if (active != null) {
                active.consumer.wakeup();
            }
        }
    }

    /** A start position of a latest reader resolved at open: after the last event, or earliest if none. */
    static Position resolvedLatest(long end, boolean partitioned) {
        if (end <= 0) {
            return Position.earliest();
        }
        return Position.after(Records.id(0, end - 1, partitioned));
    }

    static StreamException partitionedUnsupported(String what) {
        return new StreamException(ErrorKind.INVALID_ARGUMENT, what + " needs a one-partition stream (one total order); "
                + "a partitioned stream (partitions > 1) is read through consumer groups");
    }
}
