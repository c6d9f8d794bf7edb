/**
 * Tributary beside the Java libraries users compare it with (Spring Data Redis, Spring Kafka, Redisson) and
 * the raw clients, doing the same work against the same broker: {@link dev.tributary.benchmarks.Peers}.
 * Not a published module.
 */
package dev.tributary.benchmarks;
