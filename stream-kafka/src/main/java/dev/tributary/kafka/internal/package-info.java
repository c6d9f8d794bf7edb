/**
 * Implementation of the Kafka backend; not API. One shared idempotent producer per client, a
 * bounded pool of assigned consumers for tail and range reads, one Kafka consumer per group member
 * used only on its polling thread, and an admin client for topics, offsets and groups.
 */
package dev.tributary.kafka.internal;
