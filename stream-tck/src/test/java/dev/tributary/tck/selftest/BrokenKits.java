package dev.tributary.tck.selftest;

import dev.tributary.AckResult;
import dev.tributary.Capability;
import dev.tributary.ClientConfig;
import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.GroupConsumer;
import dev.tributary.Header;
import dev.tributary.Headers;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamInfo;
import dev.tributary.StreamName;
import dev.tributary.StreamReader;
import dev.tributary.StreamRecord;
import dev.tributary.spi.ForwardingGroupConsumer;
import dev.tributary.spi.ForwardingStreamClient;
import dev.tributary.spi.ForwardingStreamReader;
import dev.tributary.tck.BrokerFixture;
import dev.tributary.tck.StreamClientTck;
import dev.tributary.tck.memory.MemoryTckTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;

/**
 * Deliberately broken backends: thin wrappers of the memory backend, each breaking one promise of
 * the contract. {@link BrokenBackendsTest} runs the kit on each and checks that the expected rule
 * catches it. (Not named *Test: surefire must not run these kits directly.)
 */
final class BrokenKits {
    private BrokenKits() {}

    /** The kit on the memory store, every client wrapped by {@link #wrap}. */
    abstract static class Broken extends StreamClientTck {
        @Override
        protected BrokerFixture fixture() {
            return MemoryTckTest.FIXTURE;
        }

        @Override
        protected StreamClient openClient() {
            return wrap(super.openClient());
        }

        @Override
        protected StreamClient openClient(ClientConfig config) {
            return wrap(super.openClient(config));
        }

        abstract StreamClient wrap(StreamClient memory);
    }

    /** {@code memory} with every reader it opens wrapped by {@code readers}: what most reader breakages need. */
    static StreamClient withReaders(StreamClient memory, UnaryOperator<StreamReader> readers) {
        return new ForwardingStreamClient(memory) {
            @Override
            public StreamReader openReader(StreamName stream, Position from) {
                return readers.apply(super.openReader(stream, from));
            }
        };
    }

    /** A broken reader poll: {@code reader} is the memory backend's reader, whose own poll it may call. */
    @FunctionalInterface
    interface ReaderPoll {
        List<StreamEvent> poll(StreamReader reader, int maxCount, Duration wait);
    }

    /** {@code memory} with the poll of every reader it opens replaced by {@code poll}: the commonest reader breakage. */
    static StreamClient withReaderPolls(StreamClient memory, ReaderPoll poll) {
        return withReaders(memory, reader -> new ForwardingStreamReader(reader) {
            @Override
            public List<StreamEvent> poll(int maxCount, Duration wait) {
                return poll.poll(reader, maxCount, wait);
            }
        });
    }

    /** {@code memory} with every group member it opens wrapped by {@code members}. */
    static StreamClient withGroupConsumers(StreamClient memory, UnaryOperator<GroupConsumer> members) {
        return new ForwardingStreamClient(memory) {
            @Override
            public GroupConsumer openGroupConsumer(StreamName stream, String group, String member) {
                return members.apply(super.openGroupConsumer(stream, group, member));
            }
        };
    }

    /** A copy of {@code declared} without {@code dropped}: for backends that hide a capability they have. */
    static Set<Capability> without(Set<Capability> declared, Capability dropped) {
        Set<Capability> caps = EnumSet.noneOf(Capability.class);
        caps.addAll(declared);
        caps.remove(dropped);
        return caps;
    }

    /** Reads drop every event whose sequence is a multiple of 7. */
    static class DropsEvents extends Broken {
        @Override
        StreamClient wrap(StreamClient memory) {
            return withReaderPolls(memory, (reader, maxCount, wait) -> {
                List<StreamEvent> out = new ArrayList<>(reader.poll(maxCount, wait));
                out.removeIf(e -> e.id().sequence() % 7 == 0);
                return out;
            });
        }
    }

    /** A batch is stored with its first two records swapped; the ids are returned sorted, as if in order. */
    static class ReordersBatch extends Broken {
        @Override
        StreamClient wrap(StreamClient memory) {
            return new ForwardingStreamClient(memory) {
                @Override
                public CompletableFuture<List<EventId>> appendBatchAsync(
                        StreamName stream, List<StreamRecord> records) {
                    List<StreamRecord> swapped = new ArrayList<>(records == null ? List.of() : records);
                    if (swapped.size() >= 2) {
                        StreamRecord first = swapped.get(0);
                        swapped.set(0, swapped.get(1));
                        swapped.set(1, first);
                    }
                    return super.appendBatchAsync(stream, records == null ? null : swapped)
                            .thenApply(ids -> ids.stream().sorted().toList());
                }
            };
        }
    }

    /** latest stays symbolic: every poll that has read nothing yet re-resolves it, losing events appended in between. */
    static class SymbolicLatest extends Broken {
        @Override
        StreamClient wrap(StreamClient memory) {
            return new ForwardingStreamClient(memory) {
                @Override
                public StreamReader openReader(StreamName stream, Position from) {
                    if (!(from instanceof Position.Latest)) {
                        return super.openReader(stream, from);
                    }
                    StreamClient inner = delegate();
                    return new StreamReader() {
                        private StreamReader current = inner.openReader(stream, Position.latest());
                        private boolean readSomething;

                        @Override
                        public StreamName stream() {
                            return stream;
                        }

                        @Override
                        public List<StreamEvent> poll(int maxCount, Duration wait) {
                            if (!readSomething) {
                                current.close();
                                current = inner.openReader(stream, Position.latest());
                            }
                            List<StreamEvent> got = current.poll(maxCount, wait);
                            readSomething = !got.isEmpty();
                            return got;
                        }

                        @Override
                        public Position position() {
                            return readSomething ? current.position() : Position.latest();
                        }

                        @Override
                        public void close() {
                            current.close();
                        }
                    };
                }
            };
        }
    }

    /** after(id) includes the event with that id. */
    static class InclusiveAfter extends Broken {
        @Override
        StreamClient wrap(StreamClient memory) {
            return new ForwardingStreamClient(memory) {
                @Override
                public StreamReader openReader(StreamName stream, Position from) {
                    if (!(from instanceof Position.After after)) {
                        return super.openReader(stream, from);
                    }
                    return new ForwardingStreamReader(super.openReader(stream, Position.earliest())) {
                        @Override
                        public List<StreamEvent> poll(int maxCount, Duration wait) {
                            List<StreamEvent> out = new ArrayList<>(super.poll(maxCount, wait));
                            out.removeIf(e -> e.id().compareTo(after.id()) < 0);
                            return out;
                        }
                    };
                }

                @Override
                public List<StreamEvent> range(StreamName stream, Position from, EventId toInclusive, int maxCount) {
                    if (!(from instanceof Position.After after)) {
                        return super.range(stream, from, toInclusive, maxCount);
                    }
                    List<StreamEvent> all = new ArrayList<>(
                            super.range(stream, Position.earliest(), toInclusive, limits().maxReadCount()));
                    all.removeIf(e -> e.id().compareTo(after.id()) < 0);
                    return all.subList(0, Math.min(maxCount, all.size()));
                }
            };
        }
    }

    /** info throws on an empty stream instead of answering length 0. */
    static class InfoThrowsOnEmpty extends Broken {
        @Override
        StreamClient wrap(StreamClient memory) {
            return new ForwardingStreamClient(memory) {
                @Override
                public StreamInfo info(StreamName stream) {
                    StreamInfo i = super.info(stream);
                    if (i.exists() && i.length() == 0) {
                        throw new StreamException(ErrorKind.INTERNAL, "stream has no entries");
                    }
                    return i;
                }
            };
        }
    }

    /** ack is not idempotent: every id is reported acked, every time. */
    static class AckNotIdempotent extends Broken {
        @Override
        StreamClient wrap(StreamClient memory) {
            return withGroupConsumers(memory, member -> new ForwardingGroupConsumer(member) {
                @Override
                public AckResult ack(Collection<EventId> ids) {
                    super.ack(ids);
                    return new AckResult(ids.size(), 0);
                }
            });
        }
    }

    /** Header values are re-decoded as ISO-8859-1: non-ASCII characters are mangled. */
    static class ManglesNonAsciiHeaders extends Broken {
        static StreamRecord mangle(StreamRecord r) {
            if (r == null) {
                return null;
            }
            Headers.Builder b = Headers.builder();
            for (Header h : r.headers()) {
                b.add(h.key(), new String(h.value().getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
            }
            return r.withHeaders(b.build());
        }

        @Override
        StreamClient wrap(StreamClient memory) {
            return new ForwardingStreamClient(memory) {
                @Override
                public CompletableFuture<EventId> appendAsync(StreamName stream, StreamRecord record) {
                    return super.appendAsync(stream, mangle(record));
                }

                @Override
                public CompletableFuture<List<EventId>> appendBatchAsync(
                        StreamName stream, List<StreamRecord> records) {
                    return super.appendBatchAsync(
                            stream,
                            records == null
                                    ? null
                                    : records.stream()
                                            .map(ManglesNonAsciiHeaders::mangle)
                                            .toList());
                }
            };
        }
    }

    /** close() does not wake a blocked read: the poll sleeps out its whole wait. */
    static class CloseDoesNotWake extends Broken {
        @Override
        StreamClient wrap(StreamClient memory) {
            return withReaderPolls(memory, (reader, maxCount, wait) -> {
                long deadline = System.nanoTime() + wait.toNanos();
                StreamException closed = null;
                while (true) {
                    long left = deadline - System.nanoTime();
                    if (closed == null) {
                        try {
                            List<StreamEvent> got =
                                    reader.poll(maxCount, Duration.ofNanos(Math.max(0, Math.min(left, 50_000_000L))));
                            if (!got.isEmpty() || left <= 0) {
                                return got;
                            }
                        } catch (StreamException e) {
                            if (e.kind() != ErrorKind.CLOSED) {
                                throw e;
                            }
                            closed = e;
                        }
                    } else if (left > 0) {
                        LockSupport.parkNanos(Math.min(left, 50_000_000L));
                    } else {
                        throw closed;
                    }
                }
            });
        }
    }

    /** Events whose ack timeout expired are never delivered again. */
    static class NeverRedelivers extends Broken {
        @Override
        StreamClient wrap(StreamClient memory) {
            return withGroupConsumers(memory, member -> new ForwardingGroupConsumer(member) {
                @Override
                public List<StreamEvent> poll(int maxCount, Duration wait) {
                    List<StreamEvent> out = new ArrayList<>(super.poll(maxCount, wait));
                    out.removeIf(e -> e.deliveryCount() > 1);
                    return out;
                }
            });
        }
    }

    /** Declares IDEMPOTENT_APPEND but drops the idempotency id: repeated appends store duplicates. */
    static class DeclaresIdempotenceItLacks extends Broken {
        @Override
        StreamClient wrap(StreamClient memory) {
            return new ForwardingStreamClient(memory) {
                @Override
                public Set<Capability> capabilities() {
                    Set<Capability> caps = EnumSet.of(Capability.IDEMPOTENT_APPEND);
                    caps.addAll(super.capabilities());
                    return caps;
                }

                @Override
                public CompletableFuture<EventId> appendAsync(StreamName stream, StreamRecord record) {
                    return super.appendAsync(stream, record == null ? null : record.withIdempotencyId(null));
                }
            };
        }
    }

    /** Does not declare TIME_POSITION, yet at(time) silently works instead of failing UNSUPPORTED. */
    static class UndeclaredTimePositionWorks extends Broken {
        @Override
        StreamClient wrap(StreamClient memory) {
            return new ForwardingStreamClient(memory) {
                @Override
                public Set<Capability> capabilities() {
                    return without(super.capabilities(), Capability.TIME_POSITION);
                }

                @Override
                public StreamReader openReader(StreamName stream, Position from) {
                    if (from instanceof Position.AtTime) {
                        return super.openReader(stream, Position.earliest());
                    }
                    return super.openReader(stream, from);
                }
            };
        }
    }

    /** A cursor below the retained head silently continues from the head instead of reporting DATA_LOSS. */
    static class IgnoresGaps extends Broken {
        @Override
        StreamClient wrap(StreamClient memory) {
            StreamClient inner = memory;
            return new ForwardingStreamClient(memory) {
                @Override
                public StreamReader openReader(StreamName stream, Position from) {
                    return new StreamReader() {
                        private StreamReader current = inner.openReader(stream, from);

                        @Override
                        public StreamName stream() {
                            return stream;
                        }

                        @Override
                        public List<StreamEvent> poll(int maxCount, Duration wait) {
                            try {
                                return current.poll(maxCount, wait);
                            } catch (StreamException e) {
                                if (e.kind() != ErrorKind.DATA_LOSS) {
                                    throw e;
                                }
                                current.close();
                                current = inner.openReader(stream, Position.earliest());
                                return current.poll(maxCount, wait);
                            }
                        }

                        @Override
                        public Position position() {
                            return current.position();
                        }

                        @Override
                        public void close() {
                            current.close();
                        }
                    };
                }

                @Override
                public List<StreamEvent> range(StreamName stream, Position from, EventId toInclusive, int maxCount) {
                    try {
                        return super.range(stream, from, toInclusive, maxCount);
                    } catch (StreamException e) {
                        if (e.kind() != ErrorKind.DATA_LOSS) {
                            throw e;
                        }
                        return super.range(stream, Position.earliest(), toInclusive, maxCount);
                    }
                }
            };
        }
    }

    /** close() does nothing: the client keeps working after close. */
    static class CloseIsANoOp extends Broken {
        @Override
        StreamClient wrap(StreamClient memory) {
            return new ForwardingStreamClient(memory) {
                @Override
                public void close() {
                    // broken: never closes
                }
            };
        }
    }

    /** info(null) throws a NullPointerException instead of INVALID_ARGUMENT. */
    static class NullPointerOnNullName extends Broken {
        @Override
        StreamClient wrap(StreamClient memory) {
            return new ForwardingStreamClient(memory) {
                @Override
                public StreamInfo info(StreamName stream) {
                    return super.info(java.util.Objects.requireNonNull(stream));
                }
            };
        }
    }

    /** Every client starts an I/O thread that close() never stops. */
    static class LeaksAThreadPerClient extends Broken {
        @Override
        StreamClient wrap(StreamClient memory) {
            Thread io = new Thread(
                    () -> {
                        while (true) {
                            LockSupport.park();
                        }
                    },
                    "acme-io-" + System.nanoTime());
            io.setDaemon(true);
            io.start();
            return new ForwardingStreamClient(memory);
        }
    }

    /** range swallows errors and answers an empty list. */
    static class RangeSwallowsErrors extends Broken {
        @Override
        StreamClient wrap(StreamClient memory) {
            return new ForwardingStreamClient(memory) {
                @Override
                public List<StreamEvent> range(StreamName stream, Position from, EventId toInclusive, int maxCount) {
                    try {
                        return super.range(stream, from, toInclusive, maxCount);
                    } catch (StreamException e) {
                        if (e.kind() == ErrorKind.INVALID_ARGUMENT) {
                            throw e;
                        }
                        return List.of();
                    }
                }
            };
        }
    }

    /** Declares a 1 KiB payload limit but does not enforce it. */
    static class UnenforcedLimit extends Broken {
        @Override
        StreamClient wrap(StreamClient memory) {
            return new ForwardingStreamClient(memory) {
                @Override
                public dev.tributary.Limits limits() {
                    dev.tributary.Limits l = super.limits();
                    return new dev.tributary.Limits(1024, l.maxHeaderBytes(), l.maxBatchSize(), l.maxReadCount());
                }
            };
        }
    }

    /** A 0-byte key is read back as no key. */
    static class EmptyKeyBecomesNoKey extends Broken {
        static StreamEvent fix(StreamEvent e) {
            if (e.key() == null || e.key().length > 0) {
                return e;
            }
            return new StreamEvent(
                    e.stream(), e.id(), e.timestamp(), null, e.headers(), e.payload(), e.deliveryCount());
        }

        @Override
        StreamClient wrap(StreamClient memory) {
            return withReaderPolls(
                    memory,
                    (reader, maxCount, wait) -> reader.poll(maxCount, wait).stream()
                            .map(EmptyKeyBecomesNoKey::fix)
                            .toList());
        }
    }

    /** info counts one event too many. */
    static class InfoLengthOffByOne extends Broken {
        @Override
        StreamClient wrap(StreamClient memory) {
            return new ForwardingStreamClient(memory) {
                @Override
                public StreamInfo info(StreamName stream) {
                    StreamInfo i = super.info(stream);
                    if (i.length() == 0) {
                        return i;
                    }
                    return new StreamInfo(
                            i.stream(),
                            i.exists(),
                            i.length() + 1,
                            i.firstId(),
                            i.lastId(),
                            i.firstTimestamp(),
                            i.lastTimestamp());
                }
            };
        }
    }

    /** groupInfo always reports nothing pending. */
    static class PendingAlwaysZero extends Broken {
        @Override
        StreamClient wrap(StreamClient memory) {
            return new ForwardingStreamClient(memory) {
                @Override
                public dev.tributary.GroupInfo groupInfo(StreamName stream, String group) {
                    dev.tributary.GroupInfo g = super.groupInfo(stream, group);
                    return new dev.tributary.GroupInfo(g.group(), 0, g.lag(), g.members(), g.lastDelivered());
                }
            };
        }
    }

    /** A member of a missing group reads nothing instead of failing NOT_FOUND. */
    static class MissingGroupReadsEmpty extends Broken {
        @Override
        StreamClient wrap(StreamClient memory) {
            return new ForwardingStreamClient(memory) {
                @Override
                public GroupConsumer openGroupConsumer(StreamName stream, String group, String member) {
                    GroupConsumer real;
                    try {
                        real = super.openGroupConsumer(stream, group, member);
                    } catch (StreamException e) {
                        if (e.kind() != ErrorKind.NOT_FOUND) {
                            throw e;
                        }
                        return new GroupConsumer() {
                            @Override
                            public StreamName stream() {
                                return stream;
                            }

                            @Override
                            public String group() {
                                return group;
                            }

                            @Override
                            public String member() {
                                return member;
                            }

                            @Override
                            public List<StreamEvent> poll(int maxCount, Duration wait) {
                                LockSupport.parkNanos(wait.toNanos());
                                return List.of();
                            }

                            @Override
                            public AckResult ack(Collection<EventId> ids) {
                                return new AckResult(0, ids.size());
                            }

                            @Override
                            public void nack(Collection<EventId> ids) {}

                            @Override
                            public void close() {}
                        };
                    }
                    return new ForwardingGroupConsumer(real) {
                        @Override
                        public List<StreamEvent> poll(int maxCount, Duration wait) {
                            try {
                                return super.poll(maxCount, wait);
                            } catch (StreamException e) {
                                if (e.kind() != ErrorKind.NOT_FOUND) {
                                    throw e;
                                }
                                return List.of();
                            }
                        }
                    };
                }
            };
        }
    }
}
