package dev.tributary.opentelemetry;

import io.opentelemetry.api.common.AttributeKey;

/**
 * The OpenTelemetry messaging semantic-convention names this module emits, as constants (the
 * messaging conventions are still "development" status and live only in the incubating semconv
 * artifact, so they are kept here rather than pulled in as a dependency).
 *
 * <p>Span names follow the current conventions, {@code {operation name} {destination}}:
 * {@code send orders}, {@code receive orders}, {@code process orders}. Kinds: send is
 * {@code PRODUCER}, receive is {@code CLIENT}, process is {@code CONSUMER}.
 */
public final class MessagingConventions {
    private MessagingConventions() {}

    /** The backend's name: {@code redis}, {@code kafka}, {@code nats}, {@code memory}. */
    public static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
    /** The stream name (without the backend's namespace prefix). */
    public static final AttributeKey<String> DESTINATION_NAME = AttributeKey.stringKey("messaging.destination.name");
    /** {@code send}, {@code receive} or {@code process}. */
    public static final AttributeKey<String> OPERATION_TYPE = AttributeKey.stringKey("messaging.operation.type");
    /** The operation as this library calls it; the same words as the type here. */
    public static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("messaging.operation.name");
    /** The event id ({@code EventId.toString()}) on spans of one message. */
    public static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
    /** The consumer group of group reads and group processors. */
    public static final AttributeKey<String> CONSUMER_GROUP_NAME =
            AttributeKey.stringKey("messaging.consumer.group.name");
    /** The number of messages of a batch operation (set only for more than one). */
    public static final AttributeKey<Long> BATCH_MESSAGE_COUNT = AttributeKey.longKey("messaging.batch.message_count");
    /** The error kind or exception class of a failed operation. */
    public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    /** The operation name of appends. */
    public static final String SEND = "send";
    /** The operation name of polls. */
    public static final String RECEIVE = "receive";
    /** The operation name of a handler's work on a message. */
    public static final String PROCESS = "process";
}
