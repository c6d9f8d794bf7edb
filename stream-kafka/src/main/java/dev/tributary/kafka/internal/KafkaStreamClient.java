package dev.tributary.kafka.internal;

import dev.tributary.Capability;
import dev.tributary.ClientConfig;
import dev.tributary.EventId;
import dev.tributary.Health;
import dev.tributary.Limits;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamInfo;
import dev.tributary.StreamName;
import dev.tributary.StreamOptions;
import dev.tributary.StreamRecord;
import dev.tributary.Trim;
import dev.tributary.spi.AbstractStreamClient;
import dev.tributary.spi.AbstractStreamReader;
import dev.tributary.spi.AppendWindow;
import dev.tributary.spi.GroupBackend;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;

/**
 * The Kafka {@link StreamClient} on the SPI skeleton ({@link AbstractStreamClient} owns the closed
 * flag, the checks, the open readers and members, and the close sequence). What is Kafka's is
 * delegated by concern: {@link KafkaConnector} (the Kafka clients and their shutdown),
 * {@link KafkaAppender} (the shared producer on the append window), {@link StreamOps} (topics,
 * trims), {@link Fetcher} (reads by offset), {@link GroupManager} (groups). Thread-safe.
 */
public final class KafkaStreamClient extends AbstractStreamClient {
    /** Largest UTF-8 size of key plus headers. */
    static final int MAX_HEADER_BYTES = 32 * 1024;

    static final int MAX_BATCH = 10_000;
    static final int MAX_READ = 10_000;

    private final KafkaSettings settings;
    private final KafkaConnector connector;
    private final StreamOps streams;
    private final KafkaAppender appender;
    private final Fetcher fetcher;
    private final Ranges ranges;
    private final GroupManager groups;

    /** Opens the client: creates the Kafka clients (which connect lazily) and checks the broker answers. */
    public KafkaStreamClient(ClientConfig config, Clock clock) {
        this(KafkaSettings.from(config), config.safeUri(), clock);
    }

    private KafkaStreamClient(KafkaSettings settings, String safeUri, Clock clock) {
        this(settings, KafkaConnector.open(settings, safeUri), safeUri, clock);
    }

    private KafkaStreamClient(KafkaSettings settings, KafkaConnector connector, String safeUri, Clock clock) {
        super(
                "kafka",
                capabilities(settings),
                limits(settings),
                "Kafka client of " + safeUri,
                settings.closeTimeout(),
                new AppendWindow(
                        "Kafka client of " + safeUri, settings.maxInFlight(), settings.requestTimeout(), null));
        this.settings = settings;
        this.connector = connector;
        this.streams = new StreamOps(settings, connector.admin(), clock);
        this.appender = new KafkaAppender(connector.producer(), appendWindow(), streams, this::isClosed);
        this.fetcher = new Fetcher(streams, connector.pool(), this::isClosed);
        this.ranges = new Ranges(streams, fetcher);
        this.groups = new GroupManager(streams, connector, clock, limits());
    }

    private static Set<Capability> capabilities(KafkaSettings settings) {
        EnumSet<Capability> caps = EnumSet.of(
                Capability.CONSUMER_GROUPS,
                Capability.TIME_POSITION,
                Capability.TRIM_BY_LENGTH,
                Capability.EXACT_TRIM,
                Capability.TRIM_BY_AGE,
                Capability.TRIM_BY_ID);
        if (settings.partitioned()) {
            caps.add(Capability.PARTITIONED); // trims apply to each partition; below(id) to the id's
        }
        return caps;
    }

    private static Limits limits(KafkaSettings settings) {
        return new Limits(settings.maxPayloadBytes(), MAX_HEADER_BYTES, MAX_BATCH, MAX_READ);
    }

    @Override
    protected EventId doParseId(String text) {
        return Records.parse(text, settings.partitioned());
    }

    @Override
    protected Health doHealth() {
        long t0 = System.nanoTime();
        long limit = settings.requestTimeout().toMillis();
        try {
            DescribeClusterResult r = connector.admin().admin().describeCluster();
            Collection<Node> nodes = r.nodes().get(limit, TimeUnit.MILLISECONDS);
            String cluster = r.clusterId().get(limit, TimeUnit.MILLISECONDS);
            return new Health(
                    true,
                    Duration.ofNanos(System.nanoTime() - t0),
                    "Kafka cluster " + cluster + ", " + nodes.size() + " broker(s)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Health(false, Duration.ofNanos(System.nanoTime() - t0), "interrupted");
        } catch (Exception e) {
            Throwable c = KafkaErrors.cause(e);
            return new Health(
                    false,
                    Duration.ofNanos(System.nanoTime() - t0),
                    "Kafka at " + settings.bootstrap() + " did not answer: "
                            + c.getClass().getSimpleName());
        }
    }

    // ---- streams ----

    @Override
    protected void doCreateStream(StreamName stream) {
        streams.create(stream);
    }

    /** Only a client opened with {@code partitions=N} (N &gt; 1) declares PARTITIONED and gets here. */
    @Override
    protected void doCreateStream(StreamName stream, StreamOptions options) {
        streams.create(stream, options.partitions());
    }

    @Override
    protected boolean doDeleteStream(StreamName stream) {
        groups.deleteAllOf(stream);
        appender.forget(streams.topic(stream));
        return streams.delete(stream);
    }

    // ---- appends ----

    @Override
    protected CompletableFuture<EventId> doAppend(StreamName stream, StreamRecord record) {
        checkNoIdempotencyId(record);
        streams.requireTopic(stream);
        return appender.append(stream, record);
    }

    @Override
    protected CompletableFuture<List<EventId>> doAppendBatch(StreamName stream, List<StreamRecord> records) {
        for (StreamRecord r : records) {
            checkNoIdempotencyId(r);
        }
        streams.requireTopic(stream);
        return appender.appendBatch(stream, records);
    }

    /** Kafka cannot keep the contract of an idempotency id (see the provider): UNSUPPORTED before any I/O. */
    private void checkNoIdempotencyId(StreamRecord record) {
        if (record.idempotencyId() != null) {
            throw StreamException.unsupported(Capability.IDEMPOTENT_APPEND, backend());
        }
    }

    // ---- reads ----

    @Override
    protected AbstractStreamReader doOpenReader(StreamName stream, Position from) {
        if (settings.partitioned()) {
            return KafkaPartitionedReader.open(fetcher, stream, limits(), from);
        }
        return KafkaReader.open(fetcher, stream, limits(), from);
    }

    @Override
    protected List<StreamEvent> doRange(StreamName stream, Position from, EventId toInclusive, int maxCount) {
        if (settings.partitioned()) {
            return ranges.rangePartitioned(stream, from, toInclusive, maxCount);
        }
        return ranges.range(stream, from, toInclusive, maxCount);
    }

    @Override
    protected StreamInfo doInfo(StreamName stream) {
        String topic = streams.topic(stream);
        OptionalInt n = connector.admin().partitions(topic);
        if (n.isEmpty()) {
            return StreamInfo.missing(stream);
        }
        List<TopicPartition> tps = AdminOps.tps(topic, n.getAsInt());
        Optional<Map<TopicPartition, Long>> begins = connector.admin().beginning(tps);
        Optional<Map<TopicPartition, Long>> ends = connector.admin().end(tps);
        if (begins.isEmpty() || ends.isEmpty()) {
            return StreamInfo.missing(stream);
        }
        List<StreamInfo> each = new ArrayList<>(tps.size());
        for (TopicPartition tp : tps) {
            long b = begins.get().get(tp);
            long e = ends.get().get(tp);
            StreamEvent f = e > b ? fetcher.one(stream, tp.partition(), b, e) : null;
            StreamEvent l = e > b ? fetcher.one(stream, tp.partition(), e - 1, e) : null;
            each.add(
                    f == null || l == null
                            ? StreamInfo.empty(stream)
                            : StreamInfo.of(
                                    stream, e - b, f.id().local(), f.timestamp(), l.id().local(), l.timestamp()));
        }
        if (each.size() > 1) {
            StreamInfo all = StreamInfo.ofPartitions(stream, each);
            if (settings.partitioned()) {
                return all;
            }
            // a one-partition client describing a topic of several (its reads fail CONFIGURATION): totals only
            return new StreamInfo(
                    stream,
                    true,
                    all.length(),
                    all.firstId().map(EventId::local),
                    all.lastId().map(EventId::local),
                    all.firstTimestamp(),
                    all.lastTimestamp());
        }
        StreamInfo only = each.get(0);
        return only.length() == 0 ? StreamInfo.empty(stream) : only;
    }

    @Override
    protected long doTrim(StreamName stream, Trim trim) {
        return streams.trim(stream, trim);
    }

    // ---- groups ----

    @Override
    protected GroupBackend groupBackend() {
        return groups;
    }

    // ---- close ----

    /** Readers, members and pending appends are settled by the base; this closes the Kafka clients. */
    @Override
    protected void doClose(Duration remaining) {
        connector.shutdown(remaining);
    }

    @Override
    public String toString() {
        return "KafkaStreamClient[" + settings.bootstrap()
                + settings.namespace().map(n -> ", namespace=" + n).orElse("") + "]" + (isClosed() ? " (closed)" : "");
    }
}
