/**
 * Implementation of the Kafka backend; not API. {@link dev.tributary.kafka.internal.KafkaStreamClient}
 * extends the SPI skeleton and delegates by concern: the Kafka clients and their shutdown
 * ({@code KafkaConnector}), appends on the shared append window ({@code KafkaAppender}), topics and
 * trims ({@code StreamOps}, {@code AdminOps}), reads by offset with a bounded consumer pool
 * ({@code Fetcher}, {@code ConsumerPool}, {@code KafkaReader}), and groups ({@code GroupManager},
 * {@code KafkaGroupConsumer} doing the I/O of one member, whose delivery bookkeeping is the pure
 * {@code GroupLedger} / {@code PartitionLedger} / {@code DeliveryWindow}). Settings come from the URI
 * through the SPI's option reader ({@code KafkaSettings}, {@code KafkaAddress}, {@code KafkaExtras}).
 */
package dev.tributary.kafka.internal;
