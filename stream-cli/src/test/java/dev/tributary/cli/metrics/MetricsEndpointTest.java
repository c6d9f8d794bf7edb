package dev.tributary.cli.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.StreamClient;
import dev.tributary.StreamClients;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import dev.tributary.cli.CliException;
import dev.tributary.cli.Errors;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The Prometheus endpoint of {@code demo --metrics-port}, scraped over HTTP as Prometheus would. */
class MetricsEndpointTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> send(String method, String url) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aScrapeShowsTheMetersOfAnInstrumentedClientInPrometheusTextFormat() throws Exception {
        try (MetricsEndpoint endpoint = MetricsEndpoint.start(0);
                StreamClient client = endpoint.metrics().instrument(StreamClients.open("memory:?"))) {
            assertTrue(endpoint.port() > 0);
            StreamName s = StreamName.of("scraped");
            client.createStream(s);
            for (int i = 0; i < 3; i++) {
                client.append(s, StreamRecord.of("x" + i));
            }
            HttpResponse<String> r = send("GET", endpoint.url());
            assertEquals(200, r.statusCode());
            assertEquals(
                    MetricsEndpoint.CONTENT_TYPE,
                    r.headers().firstValue("Content-Type").orElseThrow());
            assertTrue(r.body().contains("# TYPE tributary_append_records_total counter"), r.body());
            assertTrue(
                    r.body().contains("tributary_append_records_total{backend=\"memory\",stream=\"scraped\"} 3.0"),
                    r.body());
            assertTrue(
                    r.body()
                            .contains("tributary_append_seconds_count{backend=\"memory\",outcome=\"success\","
                                    + "stream=\"scraped\"} 3"),
                    r.body());
        }
    }

    @Test
    void otherPathsAndMethodsAreRefused() throws Exception {
        try (MetricsEndpoint endpoint = MetricsEndpoint.start(0)) {
            String base = "http://127.0.0.1:" + endpoint.port();
            assertEquals(404, send("GET", base + "/").statusCode());
            assertEquals(404, send("GET", base + "/metricsx").statusCode());
            HttpResponse<String> post = send("POST", endpoint.url());
            assertEquals(405, post.statusCode());
            assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElseThrow());
            HttpResponse<String> head = send("HEAD", endpoint.url());
            assertEquals(200, head.statusCode());
            assertEquals("", head.body());
        }
    }

    @Test
    void aClosedEndpointNoLongerAnswers() throws Exception {
        MetricsEndpoint endpoint = MetricsEndpoint.start(0);
        String url = endpoint.url();
        assertEquals(200, send("GET", url).statusCode());
        endpoint.close();
        assertThrows(ConnectException.class, () -> send("GET", url));
    }

    @Test
    void aPortInUseFailsWithARuntimeErrorThatSaysWhatToDo() {
        try (MetricsEndpoint first = MetricsEndpoint.start(0)) {
            CliException e = assertThrows(CliException.class, () -> MetricsEndpoint.start(first.port()));
            assertEquals(Errors.RUNTIME, e.exitCode());
            assertTrue(e.getMessage().contains("127.0.0.1:" + first.port()), e.getMessage());
            assertTrue(e.getMessage().contains("choose another --metrics-port"), e.getMessage());
        }
        assertEquals(
                Errors.USAGE,
                assertThrows(CliException.class, () -> MetricsEndpoint.start(70_000))
                        .exitCode());
    }
}
