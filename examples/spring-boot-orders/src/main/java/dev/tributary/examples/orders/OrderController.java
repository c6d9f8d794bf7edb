package dev.tributary.examples.orders;

import dev.tributary.EventId;
import dev.tributary.Headers;
import dev.tributary.core.Publisher;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * POST /orders publishes {@code order.created} and answers 202 with the order id: the order exists
 * once the event is stored, and the projection catches up a moment later (GET /orders/{id} answers
 * 404 until then).
 */
@RestController
public class OrderController {
    private final Publisher<OrderCreated> publisher;
    private final OrderProjection projection;

    public OrderController(Publisher<OrderCreated> publisher, OrderProjection projection) {
        this.publisher = publisher;
        this.projection = projection;
    }

    /** The body of POST /orders. */
    public record NewOrder(String customer, String item, int quantity) {}

    @PostMapping("/orders")
    public ResponseEntity<Map<String, String>> create(@RequestBody NewOrder order) {
        if (order.customer() == null || order.item() == null || order.quantity() < 1) {
            return ResponseEntity.badRequest().body(Map.of("error", "customer, item and quantity >= 1 are required"));
        }
        String id = UUID.randomUUID().toString();
        // The key keeps the events of one order in order on partitioned backends.
        EventId eventId = publisher
                .publish(
                        new OrderCreated(id, order.customer(), order.item(), order.quantity()),
                        id,
                        Headers.of("event-type", "order.created"))
                .join();
        return ResponseEntity.accepted()
                .location(URI.create("/orders/" + id))
                .body(Map.of("id", id, "eventId", eventId.toString()));
    }

    @GetMapping("/orders/{id}")
    public ResponseEntity<OrderCreated> get(@PathVariable("id") String id) {
        return ResponseEntity.of(projection.find(id));
    }
}
