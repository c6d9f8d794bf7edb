package dev.tributary.tck.selftest;

import dev.tributary.AckResult;
import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.GroupConsumer;
import dev.tributary.GroupInfo;
import dev.tributary.Health;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamInfo;
import dev.tributary.StreamName;
import dev.tributary.StreamReader;
import dev.tributary.StreamRecord;
import dev.tributary.Trim;
import dev.tributary.spi.ForwardingGroupConsumer;
import dev.tributary.spi.ForwardingStreamClient;
import dev.tributary.spi.ForwardingStreamReader;
import dev.tributary.tck.BrokerControl;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A simulated broker for the fault rules' self-test: the memory store behind a switch. Stopped or
 * killed, every call fails at once with RETRYABLE ("connection refused"); paused, every call waits
 * up to the client's request timeout, then fails RETRYABLE ("timed out"), as a frozen process does.
 * Data survives, as with a broker that persists.
 */
final class SimulatedBroker implements BrokerControl {
    private enum State {
        UP,
        DOWN,
        PAUSED
    }

    private final Object lock = new Object();
    private State state = State.UP;

    @Override
    public void stop() {
        set(State.DOWN);
    }

    @Override
    public void start() {
        synchronized (lock) {
            if (state == State.DOWN) {
                set(State.UP);
            }
        }
    }

    @Override
    public void kill() {
        set(State.DOWN);
    }

    @Override
    public void pause() {
        set(State.PAUSED);
    }

    @Override
    public void resume() {
        synchronized (lock) {
            if (state == State.PAUSED) {
                set(State.UP);
            }
        }
    }

    private void set(State s) {
        synchronized (lock) {
            state = s;
            lock.notifyAll();
        }
    }

    boolean paused() {
        synchronized (lock) {
            return state == State.PAUSED;
        }
    }

    boolean down() {
        synchronized (lock) {
            return state == State.DOWN;
        }
    }

    /** Wakes gate waits so that they see a closed client. */
    void wake() {
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    /**
     * Passes when the broker is up; fails RETRYABLE when it is down, or when it stays paused for
     * {@code timeout}; fails CLOSED when the client closes while waiting.
     */
    void gate(Duration timeout, AtomicBoolean closed) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (true) {
                if (closed.get()) {
                    throw StreamException.closed("simulated client");
                }
                if (state == State.UP) {
                    return;
                }
                if (state == State.DOWN) {
                    throw new StreamException(ErrorKind.RETRYABLE, "connection refused (simulated broker is down)");
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new StreamException(
                            ErrorKind.RETRYABLE,
                            "request timed out after " + timeout + " (simulated broker is paused)");
                }
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StreamException(ErrorKind.RETRYABLE, "interrupted");
                }
            }
        }
    }

    /** A client of this broker: every broker call passes the gate first. */
    static class Client extends ForwardingStreamClient {
        final SimulatedBroker broker;
        final Duration timeout;
        final AtomicBoolean closed = new AtomicBoolean();

        Client(StreamClient memory, SimulatedBroker broker, Duration timeout) {
            super(memory);
            this.broker = broker;
            this.timeout = timeout;
        }

        void gate() {
            broker.gate(timeout, closed);
        }

        @Override
        public Health health() {
            try {
                gate();
                return super.health();
            } catch (StreamException e) {
                if (e.kind() == ErrorKind.CLOSED) {
                    throw e;
                }
                return new Health(false, Duration.ZERO, e.getMessage());
            }
        }

        @Override
        public void createStream(StreamName stream) {
            gate();
            super.createStream(stream);
        }

        @Override
        public boolean deleteStream(StreamName stream) {
            gate();
            return super.deleteStream(stream);
        }

        @Override
        public CompletableFuture<EventId> appendAsync(StreamName stream, StreamRecord record) {
            try {
                gate();
            } catch (StreamException e) {
                if (e.kind() == ErrorKind.CLOSED) {
                    throw e;
                }
                return CompletableFuture.failedFuture(e);
            }
            return super.appendAsync(stream, record);
        }

        @Override
        public CompletableFuture<List<EventId>> appendBatchAsync(StreamName stream, List<StreamRecord> records) {
            gate();
            return super.appendBatchAsync(stream, records);
        }

        @Override
        public StreamReader openReader(StreamName stream, Position from) {
            gate();
            return new ForwardingStreamReader(super.openReader(stream, from)) {
                @Override
                public List<StreamEvent> poll(int maxCount, Duration wait) {
                    gate();
                    return super.poll(maxCount, wait);
                }
            };
        }

        @Override
        public List<StreamEvent> range(StreamName stream, Position from, EventId toInclusive, int maxCount) {
            gate();
            return super.range(stream, from, toInclusive, maxCount);
        }

        @Override
        public StreamInfo info(StreamName stream) {
            gate();
            return super.info(stream);
        }

        @Override
        public long trim(StreamName stream, Trim trim) {
            gate();
            return super.trim(stream, trim);
        }

        @Override
        public void createGroup(StreamName stream, String group, dev.tributary.GroupOptions options) {
            gate();
            super.createGroup(stream, group, options);
        }

        @Override
        public GroupConsumer openGroupConsumer(StreamName stream, String group, String member) {
            gate();
            return new ForwardingGroupConsumer(super.openGroupConsumer(stream, group, member)) {
                @Override
                public List<StreamEvent> poll(int maxCount, Duration wait) {
                    gate();
                    return super.poll(maxCount, wait);
                }

                @Override
                public AckResult ack(Collection<EventId> ids) {
                    gate();
                    return super.ack(ids);
                }

                @Override
                public void nack(Collection<EventId> ids) {
                    gate();
                    super.nack(ids);
                }
            };
        }

        @Override
        public GroupInfo groupInfo(StreamName stream, String group) {
            gate();
            return super.groupInfo(stream, group);
        }

        @Override
        public List<GroupInfo> groups(StreamName stream) {
            gate();
            return super.groups(stream);
        }

        @Override
        public boolean deleteGroup(StreamName stream, String group) {
            gate();
            return super.deleteGroup(stream, group);
        }

        @Override
        public void close() {
            closed.set(true);
            broker.wake();
            super.close();
        }
    }
}
