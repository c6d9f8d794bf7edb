package dev.tributary.cli.bench;

import dev.tributary.EventId;
import dev.tributary.GroupConsumer;
import dev.tributary.GroupOptions;
import dev.tributary.Headers;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamName;
import dev.tributary.StreamOptions;
import dev.tributary.StreamRecord;
import dev.tributary.core.Codecs;
import dev.tributary.core.GroupProcessor;
import dev.tributary.core.Ordering;
import dev.tributary.core.Processor;
import dev.tributary.core.Publisher;
import dev.tributary.core.TailProcessor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Tributary side: {@code appendAsync} (or {@code appendBatchAsync}, or a {@link Publisher} with
 * its default settings and records spread over a number of keys) and a group consumer with ack.
 */
final class TributaryTarget implements BenchTarget {
    private final StreamClient client;
    private final String label;
    private final Settings settings;

    private StreamName stream;
    private String group;

    /** The publisher mode's setting of {@code idempotence}. */
    enum Publishing {
        /** The default: an idempotency id per value where the backend declares idempotent append. */
        IDEMPOTENT,
        /** {@code idempotence(false)}: plain appends. */
        PLAIN;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * How this side appends and what it creates.
     *
     * @param publisher         how the publisher mode publishes; null: {@code appendAsync}
     * @param publisherInFlight the publisher's maxInFlight; null: its default
     * @param publisherKeys     how many keys the publisher mode's records take in turn
     * @param publisherOrdering the publisher mode's ordering
     * @param partitions        partitions of each round's stream
     * @param readAhead         whether the group processors read ahead
     */
    record Settings(
            Publishing publisher,
            Integer publisherInFlight,
            int publisherKeys,
            Ordering publisherOrdering,
            int partitions,
            boolean readAhead) {}

    TributaryTarget(StreamClient client, String label, Settings settings) {
        this.client = client;
        this.label = label;
        this.settings = settings;
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public void prepare(String streamName) {
        stream = StreamName.of(streamName);
        group = "bench";
        client.createStream(stream, StreamOptions.partitions(settings.partitions()));
    }

    @Override
    public PhaseResult append(Workload w, Progress progress) throws Exception {
        if (w.batchAppend()) {
            return appendBatches(w, progress);
        }
        if (settings.publisher() != null) {
            return appendPublished(w, progress);
        }
        return Drivers.append(w, progress, "append  " + label, (producer, payload, done) -> {
            var unused = client.appendAsync(stream, StreamRecord.of(payload)).whenComplete((id, e) -> done.complete(e));
        });
    }

    /** Through one {@link Publisher} (default settings; publish waits for room when full), keys in turn. */
    private PhaseResult appendPublished(Workload w, Progress progress) throws Exception {
        AtomicLong next = new AtomicLong();
        Publisher.Builder<byte[]> b = Publisher.builder(client, stream, Codecs.bytes())
                .whenFull(Duration.ofMinutes(1))
                .idempotence(settings.publisher() == Publishing.IDEMPOTENT)
                .ordering(settings.publisherOrdering());
        if (settings.publisherInFlight() != null) {
            b.maxInFlight(settings.publisherInFlight());
        }
        try (Publisher<byte[]> p = b.build()) {
            return Drivers.append(w, progress, "append  " + label, (producer, payload, done) -> {
                String key = "k" + (next.getAndIncrement() % settings.publisherKeys());
                var unused = p.publish(payload, key, Headers.empty()).whenComplete((id, e) -> done.complete(e));
            });
        }
    }

    /** Batches of {@link Workload#batch()} records; each record's latency is its batch's. */
    private PhaseResult appendBatches(Workload w, Progress progress) throws Exception {
        int size = Math.min(w.batch(), client.limits().maxBatchSize());
        Workload perBatch = new Workload(
                (w.records() + size - 1) / size,
                w.size(),
                1,
                w.producers(),
                w.consumers(),
                Math.max(1, w.window() / size),
                false);
        PhaseResult r =
                Drivers.append(perBatch, progress, "append  " + label + " (batches)", (producer, payload, done) -> {
                    List<StreamRecord> batch = new ArrayList<>(size);
                    StreamRecord rec = StreamRecord.of(payload);
                    for (int i = 0; i < size; i++) {
                        batch.add(rec);
                    }
                    var unused = client.appendBatchAsync(stream, batch).whenComplete((ids, e) -> done.complete(e));
                });
        long count = r.count() * size;
        return new PhaseResult(count, count * w.size(), r.nanos(), r.latency());
    }

    @Override
    public PhaseResult consume(Workload w, Progress progress) throws Exception {
        client.createGroup(stream, group, GroupOptions.defaults().withStart(Position.earliest()));
        int max = Math.min(w.batch(), client.limits().maxReadCount());
        return Drivers.consume(w, progress, "consume " + label, index -> {
            GroupConsumer c = client.openGroupConsumer(stream, group, "m" + index);
            return new Drivers.Member() {
                @Override
                public int pollAndAck(int ignored) {
                    List<StreamEvent> events = c.poll(max, Duration.ofMillis(500));
                    if (events.isEmpty()) {
                        return 0;
                    }
                    List<EventId> ids = new ArrayList<>(events.size());
                    for (StreamEvent e : events) {
                        ids.add(e.id());
                    }
                    c.ack(ids);
                    return events.size();
                }

                @Override
                public void close() {
                    c.close();
                }
            };
        });
    }

    /**
     * A TailProcessor from the stream's start, counting in a batch handler: default settings except its
     * batch, which is {@link Workload#batch()} like the raw tail loop's reads.
     */
    @Override
    public PhaseResult tail(Workload w, Progress progress) throws Exception {
        return Drivers.process(w, progress, "tail    " + label, handled -> {
            TailProcessor<byte[]> p = TailProcessor.builder(client, stream, Codecs.bytes())
                    .name("bench-tail")
                    .startFrom(Position.earliest())
                    .batchSize(w.batch())
                    .batchHandler(batch -> handled.accept(batch.size()))
                    .build();
            p.start();
            return p;
        });
    }

    /**
     * {@link Workload#consumers()} GroupProcessors in a new group from the start: default settings except
     * read-ahead (as asked) and their batch, which is {@link Workload#batch()} like the raw members' polls
     * (on Kafka a commit per poll on both sides).
     */
    @Override
    public PhaseResult process(Workload w, Progress progress) throws Exception {
        return Drivers.process(w, progress, "process " + label, handled -> {
            List<Processor> members = new ArrayList<>();
            for (int i = 0; i < w.consumers(); i++) {
                Processor p = GroupProcessor.builder(client, stream, "bench-process", Codecs.bytes())
                        .name("bench-process")
                        .member("m" + i)
                        .groupOptions(GroupOptions.defaults().withStart(Position.earliest()))
                        .readAhead(settings.readAhead())
                        .batchSize(w.batch())
                        .batchHandler(batch -> handled.accept(batch.size()))
                        .build();
                members.add(p);
                p.start();
            }
            return () -> members.forEach(Processor::close);
        });
    }

    /**
     * A Publisher (default settings, keys in turn) to a GroupProcessor (default settings, read-ahead as asked) in a group
     * made at the stream's end before it starts.
     */
    @Override
    public PhaseResult latency(Workload w, Progress progress, int rate) throws Exception {
        String latencyGroup = "bench-latency";
        client.createGroup(stream, latencyGroup, GroupOptions.defaults().withStart(Position.latest()));
        AtomicLong next = new AtomicLong();
        try (Publisher<byte[]> pub = Publisher.builder(client, stream, Codecs.bytes())
                .whenFull(Duration.ofMinutes(1))
                .build()) {
            return Latency.run(
                    w,
                    progress,
                    "latency " + label,
                    rate,
                    (payload, failed) -> {
                        String key = "k" + (next.getAndIncrement() % settings.publisherKeys());
                        var unused = pub.publish(payload, key, Headers.empty()).whenComplete((id, e) -> {
                            if (e != null) {
                                failed.accept(e);
                            }
                        });
                    },
                    handled -> {
                        Processor p = GroupProcessor.builder(client, stream, latencyGroup, Codecs.bytes())
                                .name("bench-latency")
                                .createGroup(false)
                                .readAhead(settings.readAhead())
                                .handler(m -> handled.accept(m.value()))
                                .build();
                        p.start();
                        return p;
                    });
        }
    }

    @Override
    public void cleanup() {
        if (stream != null) {
            client.deleteStream(stream);
        }
    }

    @Override
    public void close() {
        // the client belongs to the bench command
    }
}
