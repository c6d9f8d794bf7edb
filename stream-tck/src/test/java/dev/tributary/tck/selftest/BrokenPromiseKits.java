package dev.tributary.tck.selftest;

import dev.tributary.EventId;
import dev.tributary.GroupOptions;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import dev.tributary.spi.ForwardingStreamClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/** Broken backends for the second-wave promise rules (L7, A12, G11); see {@link BrokenBackendsTest}. */
final class BrokenPromiseKits {
    private BrokenPromiseKits() {}

    /** Each append's future completes with the id of the append before it (replies matched to the wrong requests). */
    static class SwapsAppendIds extends BrokenKits.Broken {
        @Override
        StreamClient wrap(StreamClient memory) {
            AtomicReference<EventId> previous = new AtomicReference<>();
            java.util.concurrent.atomic.AtomicLong count = new java.util.concurrent.atomic.AtomicLong();
            return new ForwardingStreamClient(memory) {
                @Override
                public CompletableFuture<EventId> appendAsync(StreamName stream, StreamRecord record) {
                    return super.appendAsync(stream, record).thenApply(id -> {
                        EventId before = previous.getAndSet(id);
                        return before != null && id.isAfter(before) && count.incrementAndGet() % 10 == 0 ? before : id;
                    });
                }
            };
        }
    }

    /** createGroup ignores the start position: every group starts at earliest. */
    static class IgnoresGroupStart extends BrokenKits.Broken {
        @Override
        StreamClient wrap(StreamClient memory) {
            return new ForwardingStreamClient(memory) {
                @Override
                public void createGroup(StreamName stream, String group, GroupOptions options) {
                    super.createGroup(stream, group, options == null ? null : options.withStart(Position.earliest()));
                }
            };
        }
    }

    /** A poll on an interrupted thread swallows the interrupt (clears the flag). */
    static class ClearsInterruptFlag extends BrokenKits.Broken {
        @Override
        StreamClient wrap(StreamClient memory) {
            return BrokenKits.withReaderPolls(memory, (reader, maxCount, wait) -> {
                boolean interrupted = Thread.interrupted();
                return reader.poll(maxCount, interrupted ? Duration.ZERO : wait);
            });
        }
    }
}
