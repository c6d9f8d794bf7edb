package dev.tributary.tck.processor;

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
import dev.tributary.spi.ForwardingStreamClient;
import dev.tributary.spi.ForwardingStreamReader;
import dev.tributary.tck.BrokerControl;
import dev.tributary.tck.BrokerFixture;
import dev.tributary.tck.Tck;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The processor rules against the memory backend behind a switch that plays an unreachable broker:
 * while "stopped", every read and append fails with RETRYABLE, as a real client's would. This runs
 * C5 (which needs {@link BrokerControl}) without a broker process, and checks the kit's C5 itself.
 */
class SimulatedOutageProcessorTckTest extends ProcessorTck {
    private static volatile boolean down;

    private static final BrokerControl CONTROL = new BrokerControl() {
        @Override
        public void stop() {
            down = true;
        }

        @Override
        public void start() {
            down = false;
        }

        @Override
        public void kill() {
            down = true;
        }

        @Override
        public void pause() {
            down = true;
        }

        @Override
        public void resume() {
            down = false;
        }
    };

    private static final BrokerFixture FIXTURE = new BrokerFixture() {
        private final ClientConfig config = ClientConfig.parse("memory:tck-outage-" + Tck.runId());

        @Override
        public ClientConfig config() {
            return config;
        }

        @Override
        public Optional<BrokerControl> control() {
            return Optional.of(CONTROL);
        }
    };

    private static void check() {
        if (down) {
            throw new StreamException(ErrorKind.RETRYABLE, "simulated: connection refused");
        }
    }

    @Override
    protected BrokerFixture fixture() {
        return FIXTURE;
    }

    @Override
    protected StreamClient openClient() {
        return openClient(FIXTURE.config());
    }

    @Override
    protected StreamClient openClient(ClientConfig config) {
        return new ForwardingStreamClient(StreamClients.open(config)) {
            @Override
            public CompletableFuture<EventId> appendAsync(StreamName stream, StreamRecord record) {
                check();
                return super.appendAsync(stream, record);
            }

            @Override
            public StreamReader openReader(StreamName stream, Position from) {
                check();
                return new ForwardingStreamReader(super.openReader(stream, from)) {
                    @Override
                    public List<StreamEvent> poll(int maxCount, Duration wait) {
                        check();
                        return super.poll(maxCount, wait);
                    }
                };
            }
        };
    }
}
