package dev.tributary.spring.boot;

import dev.tributary.StreamClient;

/**
 * Wraps the client the starter opens, before it becomes the {@code StreamClient} bean. The starter
 * contributes one for metrics ({@link #METRICS_ORDER}) and one for tracing ({@link #TRACING_ORDER})
 * when those are on; an application may add its own as a bean.
 *
 * <p>Decorators are applied in {@link org.springframework.core.annotation.Order} order: the first
 * wraps the backend's client, each later one wraps the result. The returned client must forward
 * {@code close()} to the one it wraps (as {@link dev.tributary.spi.ForwardingStreamClient} does),
 * since the bean's destruction closes only the outermost. Decorators do not apply to a
 * {@code StreamClient} bean the application defines itself.
 */
@FunctionalInterface
public interface StreamClientDecorator {
    /** Order of the tracing decorator: close to the backend, so the meters also time the tracing work. */
    int TRACING_ORDER = 100;
    /** Order of the metrics decorator. */
    int METRICS_ORDER = 200;

    /** The client to use in place of {@code client}. */
    StreamClient decorate(StreamClient client);
}
