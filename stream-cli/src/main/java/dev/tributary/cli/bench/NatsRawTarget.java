package dev.tributary.cli.bench;

import io.nats.client.Connection;
import io.nats.client.ConsumerContext;
import io.nats.client.ErrorListener;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.time.Duration;
import java.util.List;

/**
 * Raw jnats: JetStream {@code publishAsync} per record on a file-store stream, and a durable pull
 * consumer whose members {@code fetch(batch)} and {@code ack()} each message; the tail loop is an
 * ordered push consumer.
 */
final class NatsRawTarget extends RawTarget {
    private final Connection connection;
    private final JetStream js;
    private final JetStreamManagement jsm;
    private String stream;

    NatsRawTarget(String uri) throws Exception {
        Options o = new Options.Builder()
                .server(RawUris.withoutQuery(uri))
                .connectionTimeout(Duration.ofSeconds(10))
                .maxReconnects(-1)
                .errorListener(new ErrorListener() {}) // no log line per flow-control message of the ordered consumer
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

    /** An ordered push consumer (what jnats offers for tails) from the stream's start, {@code nextMessage} in a loop. */
    @Override
    public PhaseResult tail(Workload w, Progress progress) throws Exception {
        return tailLoop(w, progress, () -> {
            JetStreamSubscription sub = js.subscribe(
                    stream,
                    PushSubscribeOptions.builder()
                            .ordered(true)
                            .configuration(ConsumerConfiguration.builder()
                                    .deliverPolicy(DeliverPolicy.All)
                                    .build())
                            .build());
            return () -> {
                Message m = sub.nextMessage(Duration.ofMillis(500));
                if (m == null) {
                    return 0;
                }
                int n = 1;
                // what has already arrived, without waiting: the loop counts in batches like the others
                while (n < w.batch() && (m = sub.nextMessage(Duration.ZERO)) != null) {
                    n++;
                }
                return n;
            };
        });
    }

    /**
     * {@code publishAsync} to a durable consumer of new messages read with jnats' {@code consume}
     * (continuous pulls with a prefetch, what jnats recommends for this), acking each message.
     */
    @Override
    public PhaseResult latency(Workload w, Progress progress, int rate) throws Exception {
        jsm.addOrUpdateConsumer(
                stream,
                ConsumerConfiguration.builder()
                        .durable("bench-latency")
                        .deliverPolicy(DeliverPolicy.New)
                        .ackPolicy(AckPolicy.Explicit)
                        .build()); // made before the first send
        ConsumerContext consumer = js.getConsumerContext(stream, "bench-latency");
        return Latency.run(
                w,
                progress,
                "latency raw jnats",
                rate,
                (payload, failed) -> {
                    var unused = js.publishAsync(stream, payload).whenComplete((ack, e) -> {
                        if (e != null) {
                            failed.accept(e);
                        }
                    });
                },
                handled -> consumer.consume(m -> {
                    handled.accept(m.getData());
                    m.ack();
                }));
    }

    /** Pull subscriptions of one durable consumer ({@code durable}: a consumer of its own per phase). */
    @Override
    PhaseResult group(Workload w, Progress progress, String durable, String title) throws Exception {
        PullSubscribeOptions options =
                PullSubscribeOptions.builder().durable(durable).build();
        return Drivers.consume(w, progress, title, index -> {
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
