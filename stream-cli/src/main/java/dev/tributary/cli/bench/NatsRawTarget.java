package dev.tributary.cli.bench;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.time.Duration;
import java.util.List;

/**
 * Raw jnats: JetStream {@code publishAsync} per record on a file-store stream, and a durable pull
 * consumer whose members {@code fetch(batch)} and {@code ack()} each message.
 */
final class NatsRawTarget implements BenchTarget {
    private final Connection connection;
    private final JetStream js;
    private final JetStreamManagement jsm;
    private String stream;

    NatsRawTarget(String uri) throws Exception {
        Options o = new Options.Builder()
                .server(RawUris.withoutQuery(uri))
                .connectionTimeout(Duration.ofSeconds(10))
                .maxReconnects(-1)
                .build();
        this.connection = Nats.connect(o);
        this.js = connection.jetStream();
        this.jsm = connection.jetStreamManagement();
    }

    @Override
    public String label() {
        return "raw jnats";
    }

    @Override
    public String method() {
        return "jnats JetStream publishAsync per record (file store); durable pull consumer fetch(batch) + ack per message";
    }

    @Override
    public void prepare(String streamName) throws Exception {
        stream = streamName;
        jsm.addStream(StreamConfiguration.builder()
                .name(stream)
                .subjects(stream)
                .storageType(StorageType.File)
                .build());
    }

    @Override
    public PhaseResult append(Workload w, Progress progress) throws Exception {
        return Drivers.append(w, progress, "append  raw jnats", (index, payload, done) -> {
            var unused = js.publishAsync(stream, payload).whenComplete((ack, e) -> done.complete(e));
        });
    }

    @Override
    public PhaseResult consume(Workload w, Progress progress) throws Exception {
        PullSubscribeOptions options =
                PullSubscribeOptions.builder().durable("bench").build();
        return Drivers.consume(w, progress, "consume raw jnats", index -> {
            JetStreamSubscription sub = js.subscribe(stream, options);
            return new Drivers.Member() {
                @Override
                public int pollAndAck(int max) {
                    List<Message> msgs = sub.fetch(max, Duration.ofMillis(500));
                    for (Message m : msgs) {
                        m.ack();
                    }
                    return msgs.size();
                }

                @Override
                public void close() {
                    sub.unsubscribe();
                }
            };
        });
    }

    @Override
    public void cleanup() throws Exception {
        if (stream != null) {
            jsm.deleteStream(stream);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
