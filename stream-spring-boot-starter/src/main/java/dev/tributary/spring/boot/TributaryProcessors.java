package dev.tributary.spring.boot;

import dev.tributary.StreamClient;
import dev.tributary.StreamName;
import dev.tributary.core.BatchHandler;
import dev.tributary.core.Codec;
import dev.tributary.core.GroupProcessor;
import dev.tributary.core.Handler;
import dev.tributary.core.ProcessorListener;
import dev.tributary.core.TailProcessor;
import java.util.Objects;

/**
 * Builders of processors on the application's {@code StreamClient}, preset with the context's
 * {@link ProcessorListener} beans (the Micrometer listener among them when metrics are on):
 *
 * <pre>{@code
 * @Bean
 * GroupProcessor<OrderCreated> billing(TributaryProcessors processors) {
 *     return processors.group("orders", "billing", OrderCreated.class)
 *             .handler(processors.traced(m -> bill(m.value())))
 *             .build();
 * }
 * }</pre>
 *
 * <p>Return the built processor from a {@code @Bean} method and do not start it: the starter
 * starts every {@code Processor} bean once the context is refreshed and stops it gracefully at
 * shutdown. Calling {@code listener(..)} on a builder replaces the preset listener; to keep the
 * meters, declare your listener as a bean instead (all listener beans are combined).
 */
public final class TributaryProcessors {
    private final StreamClient client;
    private final TributaryJson json;
    private final ProcessorListener listener;
    private final ProcessorHandlerDecorator handlers;

    /**
     * @param listener the listener every builder starts with, or null for none
     * @param handlers what {@link #traced} applies, or null to leave handlers as they are
     */
    public TributaryProcessors(
            StreamClient client, TributaryJson json, ProcessorListener listener, ProcessorHandlerDecorator handlers) {
        this.client = Objects.requireNonNull(client, "client");
        this.json = Objects.requireNonNull(json, "json");
        this.listener = listener;
        this.handlers = handlers;
    }

    /** A builder of a member of {@code group} on {@code stream} reading JSON values of {@code type}. */
    public <T> GroupProcessor.Builder<T> group(String stream, String group, Class<T> type) {
        return group(stream, group, json.codec(type));
    }

    /** A builder of a member of {@code group} on {@code stream} decoding with {@code codec}. */
    public <T> GroupProcessor.Builder<T> group(String stream, String group, Codec<T> codec) {
        GroupProcessor.Builder<T> b = GroupProcessor.builder(client, StreamName.of(stream), group, codec);
        return listener != null ? b.listener(listener) : b;
    }

    /** A builder of a tail processor on {@code stream} reading JSON values of {@code type}. */
    public <T> TailProcessor.Builder<T> tail(String stream, Class<T> type) {
        return tail(stream, json.codec(type));
    }

    /** A builder of a tail processor on {@code stream} decoding with {@code codec}. */
    public <T> TailProcessor.Builder<T> tail(String stream, Codec<T> codec) {
        TailProcessor.Builder<T> b = TailProcessor.builder(client, StreamName.of(stream), codec);
        return listener != null ? b.listener(listener) : b;
    }

    /** {@code handler} with a process span per call when tracing is on; else {@code handler} itself. */
    public <T> Handler<T> traced(Handler<T> handler) {
        return handlers != null ? handlers.handler(client, handler) : handler;
    }

    /** {@code handler} with a process span per batch when tracing is on; else {@code handler} itself. */
    public <T> BatchHandler<T> tracedBatch(BatchHandler<T> handler) {
        return handlers != null ? handlers.batchHandler(client, handler) : handler;
    }

    /** The client the processors read through. */
    public StreamClient client() {
        return client;
    }
}
