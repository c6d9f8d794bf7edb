package dev.tributary.benchmarks;

import dev.tributary.Headers;
import dev.tributary.StreamClient;
import dev.tributary.StreamClients;
import dev.tributary.StreamName;
import dev.tributary.core.Codecs;
import dev.tributary.core.Publisher;
import java.time.Duration;

/**
 * Tributary's {@link Publisher} with its default settings (ordered per key, retries, an idempotency id per
 * event where the backend has idempotent appends, unless {@code idempotence} is off), over {@value #KEYS}
 * keys in turn as {@code tributary bench --publisher} does; {@code publish} waits up to a minute for room
 * rather than failing at once when the publisher is full.
 */
final class TributaryPublisherSide implements Side {
    /** Keys the events are spread over: order holds per key, so keys set the parallelism. */
    static final int KEYS = 1024;

    private final StreamClient client;
    private final boolean idempotent;
    private final byte[] payload = Window.payload();
    private final String[] keys = new String[KEYS];
    private Publisher<byte[]> publisher;

    TributaryPublisherSide(String uri, boolean idempotent) {
        this.client = StreamClients.open(uri);
        this.idempotent = idempotent;
        for (int i = 0; i < KEYS; i++) {
            keys[i] = "k" + i;
        }
    }

    @Override
    public void prepare(String stream, int records) {
        StreamName name = StreamName.of(stream);
        client.createStream(name);
        publisher = Publisher.builder(client, name, Codecs.bytes())
                .whenFull(Duration.ofMinutes(1))
                .idempotence(idempotent)
                .build();
    }

    @Override
    public void run(int records) throws Exception {
        Window window = new Window();
        for (int i = 0; i < records; i++) {
            window.acquire();
            var unused = publisher
                    .publish(payload, keys[i % KEYS], Headers.empty())
                    .whenComplete((id, e) -> window.complete(e));
        }
        window.awaitAll();
    }

    @Override
    public void finish() {
        if (publisher != null) {
            publisher.close();
            publisher = null;
        }
    }

    @Override
    public void close() {
        finish();
        client.close();
    }
}
