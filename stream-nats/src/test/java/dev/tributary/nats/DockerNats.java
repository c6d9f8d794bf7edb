package dev.tributary.nats;

import dev.tributary.tck.BrokerControl;
import dev.tributary.tck.fixture.LocalProcessBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A NATS server in a Docker container, driven through the {@code docker} command line (no extra
 * test dependency): {@code nats:2.10-alpine -js} with user/password, published on a free loopback
 * port, controlled with {@code docker stop/start/kill/pause/unpause}. Used by {@link NatsFixture} only
 * where no {@code nats-server} binary is installed and a Docker engine answers.
 *
 * <p>Not exercised on the machine this module was written on (it has the binary and no Docker
 * engine); the binary is what CI uses.
 */
final class DockerNats implements BrokerControl {
    static final String IMAGE = "nats:2.10-alpine";

    private final String name;
    private final int port;

    private DockerNats(String name, int port) {
        this.name = name;
        this.port = port;
    }

    /** Starts a container when a Docker engine answers; empty otherwise. */
    static Optional<DockerNats> tryStart(String user, String password) {
        if (LocalProcessBroker.onPath("docker").isEmpty() || run(15, "docker", "info", "--format", "{{.ServerVersion}}") != 0) {
            return Optional.empty();
        }
        int port = LocalProcessBroker.freePort();
        String name = "tributary-nats-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> cmd = new ArrayList<>(List.of("docker", "run", "-d", "--name", name, "-p",
                "127.0.0.1:" + port + ":4222", IMAGE, "-js", "--user", user, "--pass", password));
        if (run(300, cmd.toArray(new String[0])) != 0) {
            run(30, "docker", "rm", "-f", name);
            return Optional.empty();
        }
        DockerNats d = new DockerNats(name, port);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> run(30, "docker", "rm", "-f", name), name + "-rm"));
        if (!d.awaitPort(true)) {
            run(30, "docker", "rm", "-f", name);
            return Optional.empty();
        }
        return Optional.of(d);
    }

    int port() {
        return port;
    }

    @Override
    public void stop() {
        run(60, "docker", "stop", "-t", "10", name);
        awaitPort(false);
    }

    @Override
    public void start() {
        run(60, "docker", "start", name);
        if (!awaitPort(true)) {
            throw new IllegalStateException("container " + name + " did not accept connections after start");
        }
    }

    @Override
    public void kill() {
        run(60, "docker", "kill", name);
        awaitPort(false);
    }

    @Override
    public void pause() {
        run(60, "docker", "pause", name);
    }

    @Override
    public void resume() {
        run(60, "docker", "unpause", name);
    }

    private boolean awaitPort(boolean open) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (LocalProcessBroker.portOpen(port) == open) {
                if (open) {
                    sleep(500); // the published port opens before the server inside is ready
                }
                return true;
            }
            sleep(100);
        }
        return false;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs a command; returns its exit code, or -1 when it failed to run or timed out. */
    static int run(int timeoutSeconds, String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            if (p.exitValue() != 0 && !cmd[1].equals("info")) {
                System.err.println("docker " + cmd[1] + " failed: " + new String(out, StandardCharsets.UTF_8).trim());
            }
            return p.exitValue();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
