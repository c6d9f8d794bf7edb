/**
 * The Tributary contract: one event-stream API with Redis Streams, Kafka and NATS JetStream (or the
 * in-memory backend) behind it. Start at {@link dev.tributary.StreamClients} and
 * {@link dev.tributary.StreamClient}; every semantic rule is stated on the interface it belongs to.
 */
package dev.tributary;
