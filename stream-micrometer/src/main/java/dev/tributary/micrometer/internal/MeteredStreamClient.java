package dev.tributary.micrometer.internal;

import dev.tributary.AckResult;
import dev.tributary.EventId;
import dev.tributary.GroupConsumer;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamName;
import dev.tributary.StreamReader;
import dev.tributary.StreamRecord;
import dev.tributary.spi.ForwardingGroupConsumer;
import dev.tributary.spi.ForwardingStreamClient;
import dev.tributary.spi.ForwardingStreamReader;
import io.micrometer.core.instrument.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Counts and times what passes through a client. Appends: the returned future completes only after
 * the meters are updated, with the same value or the same exception as the backend's future.
 */
public final class MeteredStreamClient extends ForwardingStreamClient {
    private final ClientMeters meters;
    private final LongAdder inFlight;
    private final Clock clock;

    public MeteredStreamClient(StreamClient delegate, MeterContext ctx) {
        super(delegate);
        this.meters = new ClientMeters(ctx, delegate.backend());
        this.inFlight = ctx.inFlight(delegate.backend());
        this.clock = ctx.registry().config().clock();
    }

    @Override
    public CompletableFuture<EventId> appendAsync(StreamName stream, StreamRecord record) {
        return track(stream, 1, () -> delegate().appendAsync(stream, record));
    }

    @Override
    public CompletableFuture<List<EventId>> appendBatchAsync(StreamName stream, List<StreamRecord> records) {
        int n = records == null || records.isEmpty() ? 1 : records.size();
        return track(stream, n, () -> delegate().appendBatchAsync(stream, records));
    }

    private <R> CompletableFuture<R> track(StreamName stream, int records, Supplier<CompletableFuture<R>> call) {
        ClientMeters.Append m = meters.append(stream);
        long start = clock.monotonicTime();
        CompletableFuture<R> f;
        try {
            f = call.get();
        } catch (RuntimeException e) {
            m.failed(Kinds.of(e), records); // rejected before I/O: counted, not timed
            throw e;
        }
        if (f.isDone() && !f.isCompletedExceptionally()) {
            // completed already (memory backend, a cached result): meter it now and hand back the
            // backend's own future rather than a second one; in flight went up and down at once
            m.success.record(clock.monotonicTime() - start, TimeUnit.NANOSECONDS);
            m.records.increment(records);
            return f;
        }
        inFlight.add(records);
        CompletableFuture<R> out = new CompletableFuture<>();
        var unused = f.whenComplete((value, error) -> {
            inFlight.add(-records);
            long nanos = clock.monotonicTime() - start;
            if (error == null) {
                m.success.record(nanos, TimeUnit.NANOSECONDS);
                m.records.increment(records);
                out.complete(value);
            } else {
                m.failure.record(nanos, TimeUnit.NANOSECONDS);
                m.failed(Kinds.of(error), records);
                out.completeExceptionally(
                        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
            }
        });
        return out;
    }

    @Override
    public StreamReader openReader(StreamName stream, Position from) {
        StreamReader r = delegate().openReader(stream, from);
        return new Reader(r, meters.read(stream, null));
    }

    @Override
    public GroupConsumer openGroupConsumer(StreamName stream, String group, String member) {
        GroupConsumer c = delegate().openGroupConsumer(stream, group, member);
        return new Consumer(c, meters.read(stream, group));
    }

    /** Runs a reader's or member's poll, counting its events, or its failure by kind. */
    private static List<StreamEvent> counted(ClientMeters.Read m, java.util.function.Supplier<List<StreamEvent>> poll) {
        List<StreamEvent> events;
        try {
            events = poll.get();
        } catch (RuntimeException e) {
            m.failed(Kinds.of(e));
            throw e;
        }
        m.events.increment(events.size());
        return events;
    }

    private static final class Reader extends ForwardingStreamReader {
        private final ClientMeters.Read m;

        Reader(StreamReader delegate, ClientMeters.Read m) {
            super(delegate);
            this.m = m;
        }

        @Override
        public List<StreamEvent> poll(int maxCount, Duration wait) {
            return counted(m, () -> delegate().poll(maxCount, wait));
        }
    }

    private static final class Consumer extends ForwardingGroupConsumer {
        private final ClientMeters.Read m;

        Consumer(GroupConsumer delegate, ClientMeters.Read m) {
            super(delegate);
            this.m = m;
        }

        @Override
        public List<StreamEvent> poll(int maxCount, Duration wait) {
            return counted(m, () -> delegate().poll(maxCount, wait));
        }

        @Override
        public AckResult ack(Collection<EventId> ids) {
            AckResult r = delegate().ack(ids);
            m.acks.increment(r.acked());
            m.acksUnknown.increment(r.unknown());
            return r;
        }

        @Override
        public void nack(Collection<EventId> ids) {
            delegate().nack(ids);
            m.nacks.increment(ids.size());
        }
    }
}
