package dev.tributary.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/** The whole service on the memory backend: POST an order, then see the projection and the notification. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "tributary.uri=memory:orders_test")
class OrdersApplicationTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Value("${local.server.port}")
    int port;

    @Autowired
    Notifications notifications;

    @Test
    void aPostedOrderReachesTheProjectionAndTheNotifications() throws Exception {
        HttpResponse<String> created = send(HttpRequest.newBuilder(uri("/orders"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"customer\":\"ada@example.com\",\"item\":\"tea\",\"quantity\":2}")));
        assertThat(created.statusCode()).isEqualTo(202);
        Matcher m = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(created.body());
        assertThat(m.find()).isTrue();
        String id = m.group(1);

        awaitTrue(() -> send(HttpRequest.newBuilder(uri("/orders/" + id)).GET()).statusCode() == 200);
        HttpResponse<String> order =
                send(HttpRequest.newBuilder(uri("/orders/" + id)).GET());
        assertThat(order.body()).contains("\"orderId\":\"" + id + "\"", "\"item\":\"tea\"", "\"quantity\":2");

        awaitTrue(() -> notifications.sent().stream().anyMatch(n -> n.contains(id)));
        assertThat(notifications.sent()).anyMatch(n -> n.startsWith("ada@example.com: order " + id));

        HttpResponse<String> health =
                send(HttpRequest.newBuilder(uri("/actuator/health")).GET());
        assertThat(health.body()).contains("\"tributary\"", "\"projection\"", "\"notifications\"");
    }

    @Test
    void anUnknownOrderIsNotFound() {
        assertThat(send(HttpRequest.newBuilder(uri("/orders/nope")).GET()).statusCode())
                .isEqualTo(404);
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within 10 s").isLessThan(until);
            Thread.sleep(20);
        }
    }
}
