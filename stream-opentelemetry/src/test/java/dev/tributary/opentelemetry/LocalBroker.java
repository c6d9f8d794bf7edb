package dev.tributary.opentelemetry;

import dev.tributary.tck.fixture.Brokers;
import dev.tributary.tck.fixture.LocalProcessBroker;
import java.time.Duration;
import java.util.List;

/**
 * A throw-away local broker process for the integration tests, from the kit's fixture: a
 * redis-server without persistence or a nats-server with JetStream, each on a free loopback port
 * with its own temporary directory. A missing binary is reported by {@link Brokers#unavailable}
 * (skipped loudly, or failed where brokers are required, as in CI).
 */
abstract class LocalBroker extends LocalProcessBroker {
    private final String scheme;

    private LocalBroker(String name, String scheme) {
        super(name, Duration.ofSeconds(20));
        this.scheme = scheme;
    }

    /** Starts the broker of {@code backend} ({@code redis} or {@code nats}); the caller closes it. */
    static LocalBroker start(String backend) {
        LocalBroker broker = switch (backend) {
            case "redis" -> new Redis();
            case "nats" -> new Nats();
            default -> throw new IllegalArgumentException(backend);
        };
        String binary = broker.binary();
        if (LocalProcessBroker.onPath(binary).isEmpty()) {
            throw Brokers.unavailable(backend, binary + " is not on the PATH (install the " + binary + " package)");
        }
        try {
            broker.start();
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    /** The URI a client opens the broker with. */
    String uri() {
        return scheme + "://127.0.0.1:" + port();
    }

    abstract String binary();

    static final class Redis extends LocalBroker {
        Redis() {
            super("redis-opentelemetry-it", "redis");
        }

        @Override
        String binary() {
            return "redis-server";
        }

        @Override
        protected List<String> command() {
            return List.of("redis-server", "--bind", "127.0.0.1", "--port", Integer.toString(port()), "--dir",
                    dir().toString(), "--save", "", "--appendonly", "no", "--protected-mode", "no");
        }
    }

    static final class Nats extends LocalBroker {
        Nats() {
            super("nats-opentelemetry-it", "nats");
        }

        @Override
        String binary() {
            return "nats-server";
        }

        @Override
        protected List<String> command() {
            return List.of("nats-server", "-a", "127.0.0.1", "-p", Integer.toString(port()), "-js", "-sd",
                    dir().toString());
        }
    }
}
