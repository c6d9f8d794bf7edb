/**
 * The NATS JetStream backend of Tributary: {@link dev.tributary.nats.NatsStreamProvider}, found through
 * {@link java.util.ServiceLoader} for {@code nats://} and {@code tls://} URIs. Everything else lives in
 * {@code dev.tributary.nats.internal} and is not API. The URI options, the message layout, the header
 * encoding and the durability settings are documented in the module's README.
 */
package dev.tributary.nats;
