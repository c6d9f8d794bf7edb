package dev.tributary.examples.orders;

/** The event published to the {@code orders} stream (header {@code event-type: order.created}), as JSON. */
public record OrderCreated(String orderId, String customer, String item, int quantity) {}
