package dev.tributary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code demo --metrics-port}: the demo's meters can be scraped while it runs, on the memory backend. */
class DemoMetricsTest {
    /** A member has handled events: the story is under way. */
    private static final Pattern HANDLED = Pattern.compile(
            "tributary_processor_handled_events_total\\{[^}]*processor=\"demo-member-\\d\"[^}]*} [1-9]");

    private static final Pattern URL = Pattern.compile("metrics: (http://127\\.0\\.0\\.1:\\d+/metrics)");

    /** A writer whose text other threads can read while the command runs. */
    static final class SharedText extends Writer {
        private final StringBuffer text = new StringBuffer();

        @Override
        public void write(char[] buf, int off, int len) {
            text.append(buf, off, len);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}

        String text() {
            return text.toString();
        }
    }

    @Test
    void aScrapeDuringTheDemoShowsClientProcessorAndGroupMeters() throws Exception {
        SharedText out = new SharedText();
        SharedText err = new SharedText();
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> Tributary.commandLine(
                        new ByteArrayInputStream(new byte[0]), new PrintWriter(out, true), new PrintWriter(err, true))
                .execute(
                        "demo",
                        "--events",
                        "3000",
                        "--rate",
                        "1000",
                        "--ack-timeout",
                        "500ms",
                        "--disconnect",
                        "300ms",
                        "--payload-size",
                        "256",
                        "--no-progress",
                        "--metrics-port",
                        "0"));
        String url = awaitUrl(err, run);
        HttpClient http = HttpClient.newHttpClient();
        String body = "";
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!run.isDone()
                && System.nanoTime() < deadline
                && !(HANDLED.matcher(body).find()
                        && body.contains("tributary_append_records_total{")
                        && body.contains("tributary_group_lag_events{"))) {
            try {
                body = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                        .body();
            } catch (java.net.ConnectException demoEnded) {
                break; // the assertions below show what the last scrape saw
            }
            Thread.sleep(100);
        }
        assertEquals(0, run.get(), () -> out.text() + err.text());
        assertTrue(HANDLED.matcher(body).find(), body);
        for (String series : List.of(
                "tributary_append_records_total{backend=\"memory\",stream=\"demo-",
                "tributary_read_events_total{backend=\"memory\",group=\"demo-workers\"",
                "tributary_processor_handled_events_total{backend=\"memory\",group=\"demo-workers\","
                        + "processor=\"demo-member-",
                "tributary_processor_handled_events_total{backend=\"memory\",group=\"(none)\","
                        + "processor=\"demo-live-tail\"",
                "tributary_group_lag_events{backend=\"memory\",group=\"demo-workers\"",
                "tributary_group_pending_events{backend=\"memory\",group=\"demo-workers\"")) {
            assertTrue(body.contains(series), body);
        }
    }

    @Test
    void aBadMetricsPortIsAUsageError() {
        Cli.Result r = Cli.run("demo", "--metrics-port", "70000");
        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.err().contains("--metrics-port must be 0 to 65535, got 70000"), r::toString);
    }

    private static String awaitUrl(SharedText err, CompletableFuture<Integer> run) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline && !run.isDone()) {
            Matcher m = URL.matcher(err.text());
            if (m.find()) {
                return m.group(1);
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no metrics URL on stderr: " + err.text());
    }
}
