package dev.tributary.cli.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tributary.cli.CliException;
import dev.tributary.micrometer.TributaryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A Prometheus scrape endpoint for one command run: a {@link PrometheusMeterRegistry} with a
 * {@link TributaryMetrics} over it, served as {@code GET http://127.0.0.1:PORT/metrics} (Prometheus
 * text format 0.0.4) by the JDK's {@code com.sun.net.httpserver} on one daemon thread.
 *
 * <p>Loopback only: the endpoint has no authentication, so it is not exposed to the network; put a
 * proxy in front (or scrape from the same host) to reach it from elsewhere. A scrape renders what the
 * meters hold and never calls a broker: group lag comes from a polling {@code GroupLagMetrics}.
 * Any other path answers 404, any other method 405.
 */
public final class MetricsEndpoint implements AutoCloseable {
    /** The content type of the Prometheus text exposition format 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** The path of the scrape. */
    public static final String PATH = "/metrics";

    private final PrometheusMeterRegistry registry;
    private final TributaryMetrics metrics;
    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsEndpoint(PrometheusMeterRegistry registry, HttpServer server, ExecutorService executor) {
        this.registry = registry;
        // a view for a person, not a hot path: the scrape shows p50/p95/p99 (opt-in since they cost per append)
        this.metrics =
                TributaryMetrics.builder(registry).percentiles(0.5, 0.95, 0.99).build();
        this.server = server;
        this.executor = executor;
    }

    /**
     * Listens on {@code 127.0.0.1:port} ({@code 0}: a free port, see {@link #port()}).
     *
     * @param port the port, 0 to 65535
     * @return the endpoint, serving; the caller closes it
     * @throws CliException (usage) for a port out of range; (runtime) when the port cannot be bound,
     *         e.g. because it is in use
     */
    public static MetricsEndpoint start(int port) {
        if (port < 0 || port > 65_535) {
            throw CliException.usage("--metrics-port must be 0 to 65535, got " + port);
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        } catch (IOException e) {
            registry.close();
            throw new CliException(
                    dev.tributary.cli.Errors.RUNTIME,
                    "cannot serve metrics on 127.0.0.1:" + port + ": " + e.getMessage()
                            + " (choose another --metrics-port, or 0 for any free port)",
                    e);
        }
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "tributary-metrics-http");
            t.setDaemon(true);
            return t;
        });
        MetricsEndpoint endpoint = new MetricsEndpoint(registry, server, executor);
        server.createContext("/", endpoint::handle);
        server.setExecutor(executor);
        server.start();
        return endpoint;
    }

    /** {@return the meters' factory: instrument clients and processors with it} */
    public TributaryMetrics metrics() {
        return metrics;
    }

    /** {@return the port the endpoint listens on} */
    public int port() {
        return server.getAddress().getPort();
    }

    /** {@return the scrape URL, {@code http://127.0.0.1:PORT/metrics}} */
    public String url() {
        return "http://127.0.0.1:" + port() + PATH;
    }

    /** {@return what a scrape answers now, in the Prometheus text format} */
    public String scrape() {
        return registry.scrape();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestURI().getPath().equals(PATH)) {
                reply(exchange, 404, "text/plain; charset=utf-8", "not found; the metrics are at " + PATH + "\n");
            } else if (!exchange.getRequestMethod().equals("GET")
                    && !exchange.getRequestMethod().equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                reply(exchange, 405, "text/plain; charset=utf-8", "use GET\n");
            } else {
                reply(exchange, 200, CONTENT_TYPE, scrape());
            }
        }
    }

    private static void reply(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Stops serving at once and closes the registry. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        registry.close();
    }
}
