package dev.tributary.examples.orders;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The read side: orders by id, fed by the "projection" group. In memory for the example; a real
 * service would write to its database and would then also survive restarts.
 */
@Component
public class OrderProjection {
    private final Map<String, OrderCreated> orders = new ConcurrentHashMap<>();

    /** Idempotent: the group delivers at least once, so the same event may come twice. */
    void apply(OrderCreated event) {
        orders.put(event.orderId(), event);
    }

    public Optional<OrderCreated> find(String orderId) {
        return Optional.ofNullable(orders.get(orderId));
    }
}
