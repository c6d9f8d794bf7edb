package dev.tributary.tck.selftest;

import dev.tributary.AckResult;
import dev.tributary.Capability;
import dev.tributary.EventId;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamName;
import dev.tributary.Trim;
import dev.tributary.spi.ForwardingGroupConsumer;
import dev.tributary.spi.ForwardingStreamClient;
import dev.tributary.spi.ForwardingStreamReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * Broken backends that the first versions of P3, P8, L4, G5 and H5 let pass; see {@link BrokenBackendsTest}.
 * Each breaks a promise of stream-api's javadoc the way a real backend bug would.
 */
final class BrokenStrengthKits {
    private BrokenStrengthKits() {}

    /** A reader's poll never waits: an empty stream answers empty at once (callers spin). */
    static class PollIgnoresWait extends BrokenKits.Broken {
        @Override
        StreamClient wrap(StreamClient memory) {
            return BrokenKits.withReaderPolls(memory, (reader, maxCount, wait) -> reader.poll(maxCount, Duration.ZERO));
        }
    }

    /** position() answers null until the first poll (found by the PIT smoke run: no rule asked before reading). */
    static class NoPositionBeforeRead extends BrokenKits.Broken {
        @Override
        StreamClient wrap(StreamClient memory) {
            return BrokenKits.withReaders(memory, reader -> new ForwardingStreamReader(reader) {
                private boolean polled;

                @Override
                public List<StreamEvent> poll(int maxCount, Duration wait) {
                    polled = true;
                    return super.poll(maxCount, wait);
                }

                @Override
                public Position position() {
                    return polled ? super.position() : null;
                }
            });
        }
    }

    /** A reader's poll on an empty stream sleeps out its whole wait before looking again (no wake on append). */
    static class PollSleepsOutItsWait extends BrokenKits.Broken {
        @Override
        StreamClient wrap(StreamClient memory) {
            return BrokenKits.withReaderPolls(memory, (reader, maxCount, wait) -> {
                List<StreamEvent> got = reader.poll(maxCount, Duration.ZERO);
                if (!got.isEmpty() || wait.isZero()) {
                    return got;
                }
                LockSupport.parkNanos(wait.toNanos());
                return reader.poll(maxCount, Duration.ZERO);
            });
        }
    }

    /** StreamReader.close() only marks the reader; its blocked poll runs out its wait (the client's close still wakes it). */
    static class ReaderCloseDoesNotWake extends BrokenKits.Broken {
        @Override
        StreamClient wrap(StreamClient memory) {
            return BrokenKits.withReaders(memory, reader -> new ForwardingStreamReader(reader) {
                @Override
                public void close() {
                    // left to the client's close
                }
            });
        }
    }

    /** Acks are buffered until the member's next poll and dropped when it closes (an uncommitted async commit). */
    static class AcksLostOnClose extends BrokenKits.Broken {
        @Override
        StreamClient wrap(StreamClient memory) {
            return BrokenKits.withGroupConsumers(memory, member -> new ForwardingGroupConsumer(member) {
                private final List<EventId> buffered = new ArrayList<>();

                @Override
                public List<StreamEvent> poll(int maxCount, Duration wait) {
                    synchronized (buffered) {
                        if (!buffered.isEmpty()) {
                            super.ack(List.copyOf(buffered));
                            buffered.clear();
                        }
                    }
                    return super.poll(maxCount, wait);
                }

                @Override
                public AckResult ack(Collection<EventId> ids) {
                    synchronized (buffered) {
                        buffered.addAll(ids);
                    }
                    return new AckResult(ids.size(), 0);
                }
            });
        }
    }

    /** Declares a non-exact trim by length, then never trims anything (a no-op is "at least N"). */
    static class ApproximateTrimNeverTrims extends BrokenKits.Broken {
        @Override
        StreamClient wrap(StreamClient memory) {
            return new ForwardingStreamClient(memory) {
                @Override
                public Set<Capability> capabilities() {
                    return BrokenKits.without(super.capabilities(), Capability.EXACT_TRIM);
                }

                @Override
                public long trim(StreamName stream, Trim trim) {
                    return trim instanceof Trim.ToLength ? -1 : super.trim(stream, trim);
                }
            };
        }
    }
}
