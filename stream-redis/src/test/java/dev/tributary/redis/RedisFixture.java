package dev.tributary.redis;

import dev.tributary.ClientConfig;
import dev.tributary.tck.BrokerControl;
import dev.tributary.tck.FaultProxyFixture;
import dev.tributary.tck.fixture.Brokers;
import dev.tributary.tck.fixture.DockerBroker;
import dev.tributary.tck.fixture.FaultProxy;
import dev.tributary.tck.fixture.LazyFaultProxy;
import dev.tributary.tck.fixture.LocalProcessBroker;
import dev.tributary.tck.fixture.RedisServerNode;
import dev.tributary.tck.fixture.SharedBrokerFixture;
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
import java.util.Map;
import java.util.Optional;

/**
 * The Redis server of the integration tests, one per JVM ({@link #shared()}): the URI in
 * {@code TRIBUTARY_REDIS_URI} if set (then no control, so the F rules skip), else — where a Docker
 * engine answers — a {@code redis:7.2} container on a fixed loopback port ({@link DockerBroker},
 * controlled with docker stop/start/kill/pause), else {@code redis-server} from the PATH on a free
 * loopback port in a temporary directory, controllable by signals. Both run with AOF on
 * ({@code appendfsync always}). A broker this fixture started also gets a {@link FaultProxy} in front
 * (started on first use) for the network fault rules.
 */
public final class RedisFixture extends SharedBrokerFixture {
    private static RedisFixture shared;

    static final String DOCKER_IMAGE = "redis:7.2";

    private final Local broker;
    private final LazyFaultProxy proxy;

    private RedisFixture(ClientConfig config, Local broker, BrokerControl control, String description) {
        super(config, control, description);
        this.broker = broker;
        this.proxy = control == null
                ? null
                : new LazyFaultProxy("redis", config.uri().getPort(), config);
    }

    /** The fixture of this JVM, started on first use. */
    public static synchronized RedisFixture shared() {
        if (shared != null) {
            return shared;
        }
        String env = System.getenv("TRIBUTARY_REDIS_URI");
        if (env != null && !env.isBlank()) {
            ClientConfig c = ClientConfig.parse(env);
            shared = new RedisFixture(c, null, null, "redis at " + c.safeUri() + " (from TRIBUTARY_REDIS_URI)");
            return shared;
        }
        int dockerPort = LocalProcessBroker.freePort();
        Optional<DockerBroker> docker = DockerBroker.tryStart(
                "redis",
                DOCKER_IMAGE,
                dockerPort,
                6379,
                Map.of(),
                List.of("redis-server", "--appendonly", "yes", "--appendfsync", "always", "--save", ""),
                Duration.ofSeconds(60));
        if (docker.isPresent()) {
            shared = new RedisFixture(
                    testConfig("redis://127.0.0.1:" + dockerPort),
                    null,
                    docker.get(),
                    "redis in Docker (" + DOCKER_IMAGE + ") on 127.0.0.1:" + dockerPort);
            return shared;
        }
        Optional<Path> bin = LocalProcessBroker.onPath("redis-server");
        if (bin.isEmpty()) {
            throw Brokers.unavailable(
                    "redis",
                    "TRIBUTARY_REDIS_URI is not set, no Docker engine answers and "
                            + "redis-server is not on the PATH (install the redis-server package)");
        }
        Local local = new Local(bin.get(), List.of());
        Runtime.getRuntime().addShutdownHook(new Thread(local::close, "redis-fixture-cleanup"));
        local.start();
        shared = new RedisFixture(
                testConfig("redis://127.0.0.1:" + local.port()),
                local,
                local,
                "redis-server on 127.0.0.1:" + local.port() + " in " + local.dir());
        return shared;
    }

    /** The settings the kit's clients use: short timeouts so the fault rules run quickly. */
    static ClientConfig testConfig(String uri) {
        return ClientConfig.builder(uri)
                .requestTimeout(Duration.ofSeconds(2))
                .connectTimeout(Duration.ofSeconds(2))
                .closeTimeout(Duration.ofSeconds(3))
                .build();
    }

    /** A fault proxy in front of the broker this fixture started (none for a URI from the environment). */
    @Override
    public Optional<FaultProxyFixture> proxy() {
        return Optional.ofNullable(proxy).map(LazyFaultProxy::get);
    }

    /** The local broker process, if this fixture owns one. */
    Optional<Local> local() {
        return Optional.ofNullable(broker);
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
            List<String> cmd = new ArrayList<>(List.of(binary.toString()));
            cmd.addAll(RedisServerNode.foregroundArgs(dir()));
            cmd.addAll(List.of("--appendonly", "yes", "--appendfsync", "always", "--save", ""));
            if (tlsOnly) {
                cmd.addAll(List.of("--port", "0", "--tls-port", Integer.toString(port())));
            } else {
                cmd.addAll(List.of("--port", Integer.toString(port())));
            }
            cmd.addAll(extra);
            return cmd;
        }

        /** The append-only files and any snapshot: what rule F7's wipe deletes. */
        @Override
        protected List<Path> dataFiles() {
            return List.of(dir().resolve("appendonlydir"), dir().resolve("appendonly.aof"), dir().resolve("dump.rdb"));
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
