package dev.tributary.tck.selftest;

import dev.tributary.ClientConfig;
import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamClients;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamReader;
import dev.tributary.StreamRecord;
import dev.tributary.spi.ForwardingStreamReader;
import dev.tributary.tck.BrokerControl;
import dev.tributary.tck.BrokerFixture;
import dev.tributary.tck.StreamClientTck;
import dev.tributary.tck.Tck;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The kit on a {@link SimulatedBroker} (memory behind an outage switch), so the F rules run in the
 * self-test: a well-behaved client that passes them, and clients broken in the ways the F rules
 * exist to catch. (Not named *Test: run by {@link FaultRulesSelfTest}.)
 */
final class FaultKits {
    private FaultKits() {}

    /** The kit on a simulated broker; clients are {@link SimulatedBroker.Client}s, possibly broken by {@link #wrap}. */
    static class Simulated extends StreamClientTck {
        private final SimulatedBroker broker = new SimulatedBroker();
        private final ClientConfig config = ClientConfig.parse("memory:tck-" + Tck.runId() + "-sim");
        private final BrokerFixture fixture = new BrokerFixture() {
            @Override
            public ClientConfig config() {
                return config;
            }

            @Override
            public Optional<BrokerControl> control() {
                return Optional.of(broker);
            }

            @Override
            public String describe() {
                return "simulated broker over " + config.safeUri();
            }
        };

        @Override
        protected BrokerFixture fixture() {
            return fixture;
        }

        @Override
        protected StreamClient openClient() {
            return openClient(config);
        }

        @Override
        protected StreamClient openClient(ClientConfig c) {
            StreamClient memory =
                    StreamClients.open(ClientConfig.parse(config.uri().toString()));
            return wrap(memory, broker, c.requestTimeout());
        }

        StreamClient wrap(StreamClient memory, SimulatedBroker b, Duration timeout) {
            return new SimulatedBroker.Client(memory, b, timeout);
        }
    }

    /** A broken appendAsync of a simulated client; {@code gated} is the client's own (gated) appendAsync. */
    @FunctionalInterface
    interface BrokenAppend {
        CompletableFuture<EventId> append(
                SimulatedBroker.Client client,
                StreamName stream,
                StreamRecord record,
                Supplier<CompletableFuture<EventId>> gated);
    }

    /** A simulated client whose appendAsync is {@code append}: what the append breakages need. */
    static StreamClient withAppends(StreamClient memory, SimulatedBroker b, Duration timeout, BrokenAppend append) {
        return new SimulatedBroker.Client(memory, b, timeout) {
            @Override
            public CompletableFuture<EventId> appendAsync(StreamName stream, StreamRecord record) {
                return append.append(this, stream, record, () -> super.appendAsync(stream, record));
            }
        };
    }

    /** Appends made while the broker is down wait in an unbounded buffer and are written when it returns. */
    static class BuffersDuringOutage extends Simulated {
        @Override
        StreamClient wrap(StreamClient memory, SimulatedBroker b, Duration timeout) {
            return withAppends(memory, b, timeout, (client, stream, record, gated) -> {
                if (!b.down()) {
                    return gated.get();
                }
                return CompletableFuture.supplyAsync(() -> {
                    while (b.down()) {
                        Tck.sleep(Duration.ofMillis(20));
                    }
                    return memory.append(stream, record);
                });
            });
        }
    }

    /** While the broker is down, appends are acknowledged with a made-up id and dropped. */
    static class AcknowledgesAndDropsWhileDown extends Simulated {
        private static final AtomicLong FAKE = new AtomicLong(1L << 40);

        @Override
        StreamClient wrap(StreamClient memory, SimulatedBroker b, Duration timeout) {
            return withAppends(
                    memory,
                    b,
                    timeout,
                    (client, stream, record, gated) -> b.down()
                            ? CompletableFuture.completedFuture(EventId.ofSequence(FAKE.incrementAndGet()))
                            : gated.get());
        }
    }

    /** Calls hang for as long as the broker is paused: no request timeout. */
    static class NoRequestTimeout extends Simulated {
        @Override
        StreamClient wrap(StreamClient memory, SimulatedBroker b, Duration timeout) {
            return new SimulatedBroker.Client(memory, b, Duration.ofHours(1));
        }
    }

    /** A reader that meets an outage fails for good: the application would have to reopen it. */
    static class ReaderDoesNotRecover extends Simulated {
        @Override
        StreamClient wrap(StreamClient memory, SimulatedBroker b, Duration timeout) {
            return new SimulatedBroker.Client(memory, b, timeout) {
                @Override
                public StreamReader openReader(StreamName stream, Position from) {
                    return new ForwardingStreamReader(super.openReader(stream, from)) {
                        private boolean broken;

                        @Override
                        public List<StreamEvent> poll(int maxCount, Duration wait) {
                            if (broken) {
                                throw new StreamException(ErrorKind.INTERNAL, "connection lost; reopen the reader");
                            }
                            try {
                                return super.poll(maxCount, wait);
                            } catch (StreamException e) {
                                broken = true;
                                throw e;
                            }
                        }
                    };
                }
            };
        }
    }

    /** close() waits for a graceful goodbye from the broker for 8 s when it does not answer. */
    static class SlowCloseWhenPaused extends Simulated {
        @Override
        StreamClient wrap(StreamClient memory, SimulatedBroker b, Duration timeout) {
            return new SimulatedBroker.Client(memory, b, timeout) {
                @Override
                public void close() {
                    try {
                        broker.gate(Duration.ofSeconds(8), new java.util.concurrent.atomic.AtomicBoolean());
                    } catch (StreamException ignored) {
                        // gave up waiting for the goodbye
                    }
                    super.close();
                }
            };
        }
    }

    /** Appends that reached the paused broker are reported CLOSED ("not sent") when the client closes. */
    static class ClosedAlthoughSent extends Simulated {
        @Override
        StreamClient wrap(StreamClient memory, SimulatedBroker b, Duration timeout) {
            return withAppends(memory, b, timeout, (client, stream, record, gated) -> {
                if (b.paused()) {
                    var unused = memory.appendAsync(stream, record); // the frozen broker got the bytes
                    client.gate(); // ... and the client reports CLOSED when it closes meanwhile
                }
                return gated.get();
            });
        }
    }
}
