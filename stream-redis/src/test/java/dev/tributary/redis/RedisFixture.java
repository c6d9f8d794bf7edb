package dev.tributary.redis;

import dev.tributary.ClientConfig;
import dev.tributary.tck.BrokerControl;
import dev.tributary.tck.BrokerFixture;
import dev.tributary.tck.fixture.Brokers;
import dev.tributary.tck.fixture.LocalProcessBroker;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Redis server of the integration tests, one per JVM ({@link #shared()}): the URI in
 * {@code TRIBUTARY_REDIS_URI} if set (then no control, so the F rules skip), else {@code redis-server}
 * from the PATH on a free loopback port in a temporary directory with AOF on
 * ({@code appendfsync always}), controllable by signals. A Docker engine is not used (see README).
 */
public final class RedisFixture implements BrokerFixture {
    private static RedisFixture shared;

    private final ClientConfig config;
    private final Local broker;

    private RedisFixture(ClientConfig config, Local broker) {
        this.config = config;
        this.broker = broker;
    }

    /** The fixture of this JVM, started on first use. */
    public static synchronized RedisFixture shared() {
        if (shared != null) {
            return shared;
        }
        String env = System.getenv("TRIBUTARY_REDIS_URI");
        if (env != null && !env.isBlank()) {
            shared = new RedisFixture(ClientConfig.parse(env), null);
            return shared;
        }
        Optional<Path> bin = LocalProcessBroker.onPath("redis-server");
        if (bin.isEmpty()) {
            throw Brokers.unavailable("redis", "TRIBUTARY_REDIS_URI is not set and redis-server is not on the PATH "
                    + "(install the redis-server package)");
        }
        Local local = new Local(bin.get(), List.of());
        Runtime.getRuntime().addShutdownHook(new Thread(local::close, "redis-fixture-cleanup"));
        local.start();
        shared = new RedisFixture(testConfig("redis://127.0.0.1:" + local.port()), local);
        return shared;
    }

    /** The settings the kit's clients use: short timeouts so the fault rules run quickly. */
    static ClientConfig testConfig(String uri) {
        return ClientConfig.builder(uri).requestTimeout(Duration.ofSeconds(2)).connectTimeout(Duration.ofSeconds(2))
                .closeTimeout(Duration.ofSeconds(3)).build();
    }

    @Override
    public ClientConfig config() {
        return config;
    }

    @Override
    public Optional<BrokerControl> control() {
        return Optional.ofNullable(broker);
    }

    /** The local broker process, if this fixture owns one. */
    Optional<Local> local() {
        return Optional.ofNullable(broker);
    }

    @Override
    public String describe() {
        return broker == null ? "redis at " + config.safeUri() + " (from TRIBUTARY_REDIS_URI)"
                : "redis-server on 127.0.0.1:" + broker.port() + " in " + broker.dir();
    }

    /** A redis-server child process; extra arguments configure TLS, ACL users and the like. */
    static final class Local extends LocalProcessBroker {
        private final Path binary;
        private final List<String> extra;
        private final boolean tlsOnly;

        Local(Path binary, List<String> extra) {
            this(binary, extra, false);
        }

        Local(Path binary, List<String> extra, boolean tlsOnly) {
            super("redis", Duration.ofSeconds(30));
            this.binary = binary;
            this.extra = extra;
            this.tlsOnly = tlsOnly;
        }

        @Override
        protected List<String> command() {
            List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--bind", "127.0.0.1", "--dir",
                    dir().toString(), "--appendonly", "yes", "--appendfsync", "always", "--save", "",
                    "--protected-mode", "no", "--daemonize", "no", "--logfile", ""));
            if (tlsOnly) {
                cmd.addAll(List.of("--port", "0", "--tls-port", Integer.toString(port())));
            } else {
                cmd.addAll(List.of("--port", Integer.toString(port())));
            }
            cmd.addAll(extra);
            return cmd;
        }

        @Override
        protected boolean isReady() {
            if (tlsOnly) {
                return portOpen(port());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port()), 500);
                s.setSoTimeout(1000);
                OutputStream out = s.getOutputStream();
                out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                byte[] buf = new byte[64];
                int n = in.read(buf);
                // +PONG when ready; -NOAUTH also means it serves requests (a password is set)
                String reply = n > 0 ? new String(buf, 0, n, StandardCharsets.US_ASCII) : "";
                return reply.startsWith("+PONG") || reply.startsWith("-NOAUTH");
            } catch (IOException e) {
                return false;
            }
        }
    }
}
