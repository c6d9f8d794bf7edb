package dev.tributary.nats;

import dev.tributary.ClientConfig;
import dev.tributary.StreamClient;
import dev.tributary.StreamName;
import dev.tributary.tck.BrokerControl;
import dev.tributary.tck.FaultProxyFixture;
import dev.tributary.tck.fixture.Brokers;
import dev.tributary.tck.fixture.DockerBroker;
import dev.tributary.tck.fixture.FaultProxy;
import dev.tributary.tck.fixture.LazyFaultProxy;
import dev.tributary.tck.fixture.LocalProcessBroker;
import dev.tributary.tck.fixture.SharedBrokerFixture;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The NATS server of the integration tests, shared by every test class of one JVM.
 *
 * <ol>
 *   <li>{@code TRIBUTARY_NATS_URL} set: that server (no control, the F rules are skipped);</li>
 *   <li>else, where a Docker engine answers, a {@code nats:2.10-alpine} container
 *       ({@link DockerBroker}), controlled with docker stop/start/kill/pause;</li>
 *   <li>else {@code nats-server} from the PATH, started with {@code -js} on a free loopback port with a
 *       temporary store directory and user/password authentication (so that wrong credentials can be
 *       tested), controlled with signals — what CI installs;</li>
 *   <li>else unavailable: skipped loudly, or failed when {@code -Dtributary.require.brokers=true}.</li>
 * </ol>
 * A server this fixture started also gets a {@link FaultProxy} in front (started on first use) for the
 * network fault rules.
 */
public final class NatsFixture extends SharedBrokerFixture {
    static final String ENV = "TRIBUTARY_NATS_URL";
    static final String DOCKER_IMAGE = "nats:2.10-alpine";
    static final String USER = "tributary";
    private static NatsFixture shared;
    private static String unavailable;

    private final int port;
    private final String password;
    private final LazyFaultProxy proxy;

    private NatsFixture(String uri, LocalNats broker, BrokerControl control, int port, String password) {
        super(ClientConfig.builder(uri).build(), control, describe(uri, broker, control, port));
        this.port = port;
        this.password = password;
        this.proxy = control == null ? null : new LazyFaultProxy("nats", port, config());
    }

    /** The shared fixture, started on first use. */
    public static synchronized NatsFixture shared() {
        if (shared == null && unavailable == null) {
            String env = System.getenv(ENV);
            if (env != null && !env.isBlank()) {
                shared = new NatsFixture(env.trim(), null, null, -1, null);
            } else {
                String pass = randomSecret();
                int dockerPort = LocalProcessBroker.freePort();
                Optional<DockerBroker> d = DockerBroker.tryStart(
                        "nats",
                        DOCKER_IMAGE,
                        dockerPort,
                        4222,
                        Map.of(),
                        List.of("-js", "--user", USER, "--pass", pass),
                        Duration.ofSeconds(60));
                if (d.isPresent()) {
                    shared = new NatsFixture(
                            "nats://" + USER + ":" + pass + "@127.0.0.1:" + dockerPort,
                            null,
                            d.get(),
                            dockerPort,
                            pass);
                } else if (LocalProcessBroker.onPath("nats-server").isPresent()) {
                    LocalNats b = new LocalNats("nats", pass, null);
                    // kill the server and delete its store when the test JVM ends
                    Runtime.getRuntime().addShutdownHook(new Thread(b::close, "nats-fixture-cleanup"));
                    try {
                        b.start();
                        shared = new NatsFixture(
                                "nats://" + USER + ":" + pass + "@127.0.0.1:" + b.port(), b, b, b.port(), pass);
                    } catch (RuntimeException e) {
                        unavailable = "nats-server did not start: " + e.getMessage();
                    }
                } else {
                    unavailable = "set " + ENV + ", run a Docker engine or put nats-server on the PATH";
                }
            }
        }
        if (shared == null) {
            throw Brokers.unavailable("nats", unavailable);
        }
        return shared;
    }

    /** A plain jnats connection to this server, as another application opens it; the caller closes it. */
    public Connection plainJnats() throws IOException, InterruptedException {
        return Nats.connect(
                new Options.Builder().server(config().uri().toString()).build());
    }

    /** A stream with a name of its own ({@code what} and a time stamp), created on {@code c}. */
    static StreamName createFresh(StreamClient c, String what) {
        StreamName s = StreamName.of(what + "-" + Long.toString(System.nanoTime(), 36));
        c.createStream(s);
        return s;
    }

    static String randomSecret() {
        byte[] b = new byte[12];
        new SecureRandom().nextBytes(b);
        return "s3cr3t" + HexFormat.of().formatHex(b);
    }

    /** The same server with a wrong password, when this fixture owns the server. */
    public Optional<ClientConfig> wrongCredentials() {
        if (password == null) {
            return Optional.empty();
        }
        return Optional.of(ClientConfig.builder("nats://" + USER + ":wrong-" + password + "@127.0.0.1:" + port)
                .build());
    }

    /** The password of the local server (for secret-leak checks), if this fixture owns the server. */
    public Optional<String> password() {
        return Optional.ofNullable(password);
    }

    /** A fault proxy in front of the server this fixture started (none for a URL from the environment). */
    @Override
    public Optional<FaultProxyFixture> proxy() {
        return Optional.ofNullable(proxy).map(LazyFaultProxy::get);
    }

    private static String describe(String uri, LocalNats broker, BrokerControl control, int port) {
        if (broker != null) {
            return "nats-server -js on 127.0.0.1:" + port;
        }
        return control != null
                ? "nats in Docker (" + DOCKER_IMAGE + ") on 127.0.0.1:" + port
                : "nats from " + ENV + " (" + ClientConfig.maskUri(uri) + ")";
    }

    /** A local nats-server with JetStream, user/password auth and optionally TLS. */
    public static final class LocalNats extends LocalProcessBroker {
        private final String password;
        private final Path[] tls;

        /** @param tls null, or {cert file, key file} */
        public LocalNats(String name, String password, Path[] tls) {
            super(name, Duration.ofSeconds(20));
            this.password = password;
            this.tls = tls;
        }

        @Override
        protected List<String> command() {
            Path conf = dir().resolve("nats.conf");
            StringBuilder c = new StringBuilder();
            c.append("listen: 127.0.0.1:").append(port()).append('\n');
            c.append("jetstream { store_dir: \"").append(dir().resolve("store")).append("\" }\n");
            c.append("authorization { user: ")
                    .append(USER)
                    .append(", password: \"")
                    .append(password)
                    .append("\" }\n");
            if (tls != null) {
                c.append("tls { cert_file: \"")
                        .append(tls[0])
                        .append("\", key_file: \"")
                        .append(tls[1])
                        .append("\" }\n");
            }
            try {
                Files.writeString(conf, c.toString(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return List.of(
                    LocalProcessBroker.onPath("nats-server").orElseThrow().toString(), "-c", conf.toString());
        }

        /** The JetStream store, deleted by {@link #wipe()} (kill, delete, start: rule F7). */
        @Override
        protected List<Path> dataFiles() {
            return List.of(dir().resolve("store"));
        }
    }
}
