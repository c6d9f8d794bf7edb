/**
 * The Kafka backend of Tributary: {@link dev.tributary.kafka.KafkaStreamProvider}, found through
 * {@link java.util.ServiceLoader} for {@code kafka://host:port[,host:port…]} and
 * {@code kafka+ssl://…} URIs. A stream is a topic (one partition by default, so one total order);
 * ids are offsets; payload, key and headers are the Kafka record's value, key and headers. See the
 * module README for the URI options, the record layout and the durability settings we recommend.
 */
package dev.tributary.kafka;
