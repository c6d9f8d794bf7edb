package dev.tributary.spring.boot;

import dev.tributary.StreamClient;
import dev.tributary.StreamName;
import dev.tributary.core.Codec;
import dev.tributary.core.Publisher;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import org.springframework.beans.factory.DisposableBean;

/**
 * Makes {@link Publisher}s on the application's {@code StreamClient}, typically inside
 * {@code @Bean} methods:
 *
 * <pre>{@code
 * @Bean
 * Publisher<OrderCreated> orderCreated(TributaryPublishers publishers) {
 *     return publishers.json("orders", OrderCreated.class);
 * }
 * }</pre>
 *
 * <p>Every publisher made by {@link #json} or {@link #create} is closed when this factory is
 * destroyed (closing waits, bounded, for values in flight), which Spring does after the processors
 * have stopped and before the client is closed. Closing twice is harmless, so publishers that are
 * beans themselves may also be closed by Spring. Thread-safe.
 */
public final class TributaryPublishers implements DisposableBean {
    private final StreamClient client;
    private final TributaryJson json;
    private final Deque<Publisher<?>> made = new ArrayDeque<>();

    /** Publishers on {@code client} with JSON payloads from {@code json}. */
    public TributaryPublishers(StreamClient client, TributaryJson json) {
        this.client = Objects.requireNonNull(client, "client");
        this.json = Objects.requireNonNull(json, "json");
    }

    /** A publisher of JSON values of {@code type} to {@code stream}, with the default settings. */
    public <T> Publisher<T> json(String stream, Class<T> type) {
        return create(stream, json.codec(type));
    }

    /** A publisher of values encoded with {@code codec} to {@code stream}, with the default settings. */
    public <T> Publisher<T> create(String stream, Codec<T> codec) {
        return track(builder(stream, codec).build());
    }

    /**
     * A builder for other settings (in flight, retry, ids). What it builds is the caller's to close
     * (declare it as a bean, and Spring closes it), or hand it to {@link #track}.
     */
    public <T> Publisher.Builder<T> builder(String stream, Codec<T> codec) {
        return Publisher.builder(client, StreamName.of(stream), codec);
    }

    /** Closes {@code publisher} together with the publishers this factory made; returns it. */
    public synchronized <T> Publisher<T> track(Publisher<T> publisher) {
        made.push(Objects.requireNonNull(publisher, "publisher"));
        return publisher;
    }

    /** Closes the publishers made here, newest first. */
    @Override
    public void destroy() {
        Publisher<?> p;
        while ((p = next()) != null) {
            p.close();
        }
    }

    private synchronized Publisher<?> next() {
        return made.poll();
    }
}
