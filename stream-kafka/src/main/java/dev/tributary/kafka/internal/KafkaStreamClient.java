package dev.tributary.kafka.internal;

import dev.tributary.Capability;
import dev.tributary.ClientConfig;
import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.GroupConsumer;
import dev.tributary.GroupInfo;
import dev.tributary.GroupOptions;
import dev.tributary.Health;
import dev.tributary.Limits;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamInfo;
import dev.tributary.StreamName;
import dev.tributary.StreamReader;
import dev.tributary.StreamRecord;
import dev.tributary.Trim;
import dev.tributary.spi.Checks;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka {@link StreamClient}: one shared idempotent producer for every append, a bounded pool
 * of assigned consumers for tail and range reads, one admin client for topics, offsets and groups,
 * and one consumer per open group member. Thread-safe.
 */
public final class KafkaStreamClient implements StreamClient {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaStreamClient.class);
    private static final AtomicInteger CLIENTS = new AtomicInteger();
    /** Largest UTF-8 size of key plus headers. */
    static final int MAX_HEADER_BYTES = 32 * 1024;
    static final int MAX_BATCH = 10_000;
    static final int MAX_READ = 10_000;

    private final KafkaSettings settings;
    private final Clock clock;
    private final String clientId;
    private final Set<Capability> capabilities;
    private final Limits limits;
    private final KafkaProducer<byte[], byte[]> producer;
    private final AdminOps admin;
    private final ConsumerPool pool;
    private final Semaphore window;
    private final CountDownLatch closedLatch = new CountDownLatch(1);
    private final GroupManager groups;
    private final AtomicInteger consumerSeq = new AtomicInteger();
    /** The producer's count of requests written to a socket (null if Kafka stops exporting it). */
    private final org.apache.kafka.common.Metric requestsSent;
    /**
     * Topics whose metadata the producer could not get (a send blocked for max.block.ms): while a
     * topic is here, one append at a time probes, the others fail at once with RETRYABLE instead of
     * each blocking its caller.
     */
    private final Map<String, Semaphore> stalled = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean closed;

    /** Opens the client: creates the Kafka clients (which connect lazily) and checks the broker answers. */
    public KafkaStreamClient(ClientConfig config, Clock clock) {
        this.settings = KafkaSettings.from(config);
        this.clock = clock;
        this.clientId = "tributary-" + CLIENTS.incrementAndGet();
        this.capabilities = settings.partitioned()
                ? EnumSet.of(Capability.CONSUMER_GROUPS, Capability.PARTITIONED)
                : EnumSet.of(Capability.CONSUMER_GROUPS, Capability.TIME_POSITION, Capability.TRIM_BY_LENGTH,
                        Capability.EXACT_TRIM, Capability.TRIM_BY_AGE, Capability.TRIM_BY_ID);
        this.limits = new Limits(settings.maxPayloadBytes(), MAX_HEADER_BYTES, MAX_BATCH, MAX_READ);
        this.window = new Semaphore(settings.maxInFlight());
        Admin a = null;
        KafkaProducer<byte[], byte[]> p = null;
        try {
            a = Admin.create(settings.adminProps(clientId + "-admin"));
            this.admin = new AdminOps(a, settings.requestTimeout());
            p = new KafkaProducer<>(settings.producerProps(clientId + "-producer"), new ByteArraySerializer(),
                    new ByteArraySerializer());
            this.producer = p;
        } catch (KafkaException e) {
            closeQuietly(a, p);
            throw new StreamException(ErrorKind.CONFIGURATION, "cannot create Kafka clients for " + config.safeUri() + ": "
                    + settings.scrub(e.getMessage()));
        }
        this.requestsSent = producer.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals("request-total") && e.getKey().group().equals("producer-metrics"))
                .map(Map.Entry::getValue).findFirst().orElse(null);
        this.pool = new ConsumerPool(() -> new KafkaConsumer<>(settings.readerProps(nextConsumerId("reader")),
                new ByteArrayDeserializer(), new ByteArrayDeserializer()), settings.readerConsumers(), settings.closeTimeout());
        this.groups = new GroupManager(this);
        try {
            verifyConnection();
        } catch (StreamException e) {
            closeNow();
            throw e;
        }
    }

    /**
     * Checks that the cluster answers within the connect timeout: wrong credentials fail with
     * AUTHENTICATION, an unreachable cluster with RETRYABLE (the provider's contract).
     */
    private void verifyConnection() {
        try {
            admin.admin().describeCluster().nodes().get(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StreamException(ErrorKind.RETRYABLE, "interrupted while connecting to Kafka", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw KafkaErrors.map("connecting to Kafka at " + settings.bootstrap(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new StreamException(ErrorKind.RETRYABLE, "Kafka at " + settings.bootstrap() + " did not answer within "
                    + settings.connectTimeout() + " (connectTimeout); check the address, or retry when the broker is up", e);
        }
    }

    String nextConsumerId(String kind) {
        return clientId + "-" + kind + "-" + consumerSeq.incrementAndGet();
    }

    KafkaSettings settings() {
        return settings;
    }

    AdminOps admin() {
        return admin;
    }

    Clock clock() {
        return clock;
    }

    @Override
    public String backend() {
        return "kafka";
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities;
    }

    @Override
    public Limits limits() {
        return limits;
    }

    @Override
    public EventId parseId(String text) {
        checkOpen();
        return Records.parse(text, settings.partitioned());
    }

    void checkOpen() {
        if (closed) {
            throw StreamException.closed("Kafka client");
        }
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public Health health() {
        checkOpen();
        long t0 = System.nanoTime();
        try {
            DescribeClusterResult r = admin.admin().describeCluster();
            Collection<Node> nodes = r.nodes().get(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            String cluster = r.clusterId().get(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return new Health(true, Duration.ofNanos(System.nanoTime() - t0), "Kafka cluster " + cluster + ", "
                    + nodes.size() + " broker(s)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Health(false, Duration.ofNanos(System.nanoTime() - t0), "interrupted");
        } catch (Exception e) {
            Throwable c = KafkaErrors.cause(e);
            return new Health(false, Duration.ofNanos(System.nanoTime() - t0), "Kafka at " + settings.bootstrap()
                    + " did not answer: " + c.getClass().getSimpleName());
        }
    }

    // ---------------------------------------------------------------- streams

    String topic(StreamName stream) {
        return settings.topic(stream);
    }

    @Override
    public void createStream(StreamName stream) {
        checkOpen();
        Checks.stream(stream);
        String topic = topic(stream);
        short rf = settings.replicationFactor();
        NewTopic nt = new NewTopic(topic, Optional.of(settings.partitions()), rf < 0 ? Optional.empty() : Optional.of(rf))
                .configs(settings.topicConfig());
        try {
            admin.get("creating topic " + topic, admin.admin().createTopics(List.of(nt)).all());
        } catch (StreamException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        awaitVisible(stream);
    }

    /**
     * Waits until the broker serves the new topic's offsets: the controller has created it when
     * createTopics returns, but the broker's metadata follows a moment later.
     */
    private void awaitVisible(StreamName stream) {
        String topic = topic(stream);
        long deadline = System.nanoTime() + settings.requestTimeout().toNanos();
        while (true) {
            OptionalInt n = admin.refresh(topic);
            if (n.isPresent()) {
                partitions(stream);
                if (admin.end(AdminOps.tps(topic, n.getAsInt())).isPresent()) {
                    admin.known(topic, n.getAsInt());
                    return;
                }
            }
            if (System.nanoTime() - deadline > 0) {
                throw new StreamException(ErrorKind.RETRYABLE, "topic " + topic + " was created but the broker did not "
                        + "serve it within " + settings.requestTimeout());
            }
            sleepQuietly(20);
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StreamException(ErrorKind.RETRYABLE, "interrupted", e);
        }
    }

    /**
     * The partition count of the stream's topic, or empty if it does not exist; fails with
     * CONFIGURATION when a one-partition client meets a partitioned topic.
     */
    OptionalInt partitions(StreamName stream) {
        OptionalInt n = admin.partitions(topic(stream));
        if (n.isPresent() && n.getAsInt() > 1 && !settings.partitioned()) {
            throw new StreamException(ErrorKind.CONFIGURATION, "topic " + topic(stream) + " has " + n.getAsInt()
                    + " partitions but this client reads one-partition streams; open it with partitions=" + n.getAsInt());
        }
        return n;
    }

    @Override
    public boolean deleteStream(StreamName stream) {
        checkOpen();
        Checks.stream(stream);
        String topic = topic(stream);
        groups.deleteAllOf(stream);
        stalled.remove(topic);
        try {
            admin.get("deleting topic " + topic, admin.admin().deleteTopics(List.of(topic)).all());
            admin.forget(topic);
            return true;
        } catch (StreamException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                admin.forget(topic);
                return false;
            }
            throw e;
        }
    }

    // ---------------------------------------------------------------- appends

    @Override
    public CompletableFuture<EventId> appendAsync(StreamName stream, StreamRecord record) {
        checkOpen();
        Checks.stream(stream);
        checkRecord(record);
        requireTopic(stream);
        return send(stream, record);
    }

    private void checkRecord(StreamRecord record) {
        Checks.record(record, limits);
        if (record.idempotencyId() != null) {
            throw StreamException.unsupported(Capability.IDEMPOTENT_APPEND, backend());
        }
    }

    private void requireTopic(StreamName stream) {
        if (partitions(stream).isEmpty()) {
            throw new StreamException(ErrorKind.NOT_FOUND, "stream " + stream + " (topic " + topic(stream)
                    + ") does not exist; call createStream first");
        }
    }

    private CompletableFuture<EventId> send(StreamName stream, StreamRecord record) {
        CompletableFuture<EventId> result = new CompletableFuture<>();
        try {
            if (!window.tryAcquire(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                result.completeExceptionally(new StreamException(ErrorKind.BACKPRESSURE, settings.maxInFlight()
                        + " appends are in flight (maxInFlightAppends); none completed within " + settings.requestTimeout()));
                return result;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.completeExceptionally(new StreamException(ErrorKind.RETRYABLE, "interrupted while waiting for the append window", e));
            return result;
        }
        String stalledTopic = topic(stream);
        Semaphore probe = stalled.get(stalledTopic);
        if (probe != null && !probe.tryAcquire()) {
            window.release();
            result.completeExceptionally(new StreamException(ErrorKind.RETRYABLE, "append to " + stream
                    + " failed: no metadata for topic " + stalledTopic + " (broker unreachable?); another append is probing"
                    + " (transient; retry with backoff)"));
            return result;
        }
        boolean partitioned = settings.partitioned();
        Thread caller = Thread.currentThread();
        boolean[] inSend = {true};
        double sentBefore = requestsSent();
        String topic = topic(stream);
        ProducerRecord<byte[], byte[]> pr = Records.toProducer(topic, partitioned ? null : 0, record);
        try {
            producer.send(pr, (RecordMetadata md, Exception ex) -> {
                window.release();
                if (probe != null) {
                    probe.release();
                }
                if (ex == null) {
                    if (probe != null) {
                        stalled.remove(topic, probe);
                    }
                    result.complete(Records.id(md.partition(), md.offset(), partitioned));
                } else if (inSend[0] && Thread.currentThread() == caller) {
                    // failed inside send(): never reached the accumulator, so nothing was stored
                    result.completeExceptionally(notSent(stream, ex));
                } else {
                    // a delivery timeout is indeterminate only if a request went out since this append;
                    // with the broker unreachable nothing was written to any socket, so nothing was stored
                    boolean maybeSent = requestsSent == null || requestsSent() != sentBefore;
                    result.completeExceptionally(KafkaErrors.forAppend("append to " + stream, ex, maybeSent));
                }
            });
        } catch (RuntimeException e) {
            // send() threw instead of calling back (closed producer, interrupt): nothing was stored
            if (!result.isDone()) {
                window.release();
                if (probe != null) {
                    probe.release();
                }
                result.completeExceptionally(closed ? StreamException.closed("Kafka client") : notSent(stream, e));
            }
        } finally {
            inSend[0] = false;
        }
        return result;
    }

    private double requestsSent() {
        if (requestsSent == null) {
            return -1;
        }
        Object v = requestsSent.metricValue();
        return v instanceof Number n ? n.doubleValue() : -1;
    }

    private StreamException notSent(StreamName stream, Throwable ex) {
        if (closed) {
            return StreamException.closed("Kafka client");
        }
        StreamException se = KafkaErrors.forAppend("append to " + stream, ex, false);
        if (se.kind() == ErrorKind.RETRYABLE && se.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
            stalled.putIfAbsent(topic(stream), new Semaphore(1));
            // a metadata timeout: the topic may have been deleted behind this client's back
            try {
                Duration check = Duration.ofMillis(Math.max(500, settings.requestTimeout().toMillis() / 5));
                if (admin.refresh(topic(stream), check).isEmpty()) {
                    return new StreamException(ErrorKind.NOT_FOUND, "stream " + stream + " does not exist (topic "
                            + topic(stream) + " was deleted)", ex);
                }
            } catch (StreamException ignored) {
                // broker unreachable: keep RETRYABLE
            }
        }
        return se;
    }

    @Override
    public CompletableFuture<List<EventId>> appendBatchAsync(StreamName stream, List<StreamRecord> records) {
        checkOpen();
        Checks.stream(stream);
        Checks.batch(records, limits);
        for (StreamRecord r : records) {
            checkRecord(r);
        }
        requireTopic(stream);
        List<CompletableFuture<EventId>> futures = new ArrayList<>(records.size());
        for (StreamRecord r : records) {
            futures.add(send(stream, r));
        }
        return CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).handle((v, ex) -> {
            List<EventId> ids = new ArrayList<>(futures.size());
            for (CompletableFuture<EventId> f : futures) {
                if (f.isCompletedExceptionally()) {
                    throw StreamException.unwrap(f.handle((x, e) -> e).join());
                }
                ids.add(f.join());
            }
            return ids;
        });
    }

    // ---------------------------------------------------------------- reads

    @Override
    public StreamReader openReader(StreamName stream, Position from) {
        checkOpen();
        Checks.stream(stream);
        Checks.position(from, capabilities, backend());
        if (settings.partitioned()) {
            throw KafkaReader.partitionedUnsupported("openReader");
        }
        if (from instanceof Position.Latest) {
            OptionalInt n = partitions(stream);
            long end = 0;
            if (n.isPresent()) {
                end = admin.end(AdminOps.tps(topic(stream), 1)).map(m -> m.values().iterator().next()).orElse(0L);
            }
            return new KafkaReader(this, stream, KafkaReader.resolvedLatest(end, false), end);
        }
        if (from instanceof Position.After a) {
            long off = Records.offset(a.id(), false);
            return new KafkaReader(this, stream, from, off + 1);
        }
        return new KafkaReader(this, stream, from, -1);
    }

    /** The first offset to read for a start position, or -1 when the stream does not exist. */
    long resolveStart(StreamName stream, Position start) {
        OptionalInt n = partitions(stream);
        if (n.isEmpty()) {
            return -1;
        }
        List<TopicPartition> tps = AdminOps.tps(topic(stream), 1);
        Optional<Map<TopicPartition, Long>> r;
        if (start instanceof Position.AtTime t) {
            r = admin.forTime(tps, t.time().toEpochMilli());
        } else if (start instanceof Position.After a) {
            return Records.offset(a.id(), false) + 1;
        } else if (start instanceof Position.Latest) {
            r = admin.end(tps);
        } else {
            r = admin.beginning(tps);
        }
        return r.map(m -> m.get(tps.get(0))).orElse(-1L);
    }

    /** Waits up to {@code wait} for a missing stream to appear, waking on close. */
    void waitMissing(StreamName stream, Duration wait, BooleanSupplier readerClosed) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!closed && !readerClosed.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                if (closedLatch.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(250)), TimeUnit.NANOSECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StreamException(ErrorKind.RETRYABLE, "interrupted while waiting", e);
            }
            if (admin.refresh(topic(stream)).isPresent()) {
                return;
            }
        }
    }

    /** What one fetch returned and where the cursor stands after it. */
    record Fetch(List<StreamEvent> events, long next) {
    }

    /**
     * Reads up to {@code maxCount} events of one partition from offset {@code from} (inclusive) up to
     * {@code limit} (exclusive) with a pooled consumer, waiting up to {@code wait} for the first.
     * When the wait runs out but the partition holds events at or after {@code from}, it keeps
     * fetching them for up to the request timeout, and fails RETRYABLE if they do not come — so an
     * empty answer means there was nothing to read, never a broker failure.
     */
    Fetch fetch(StreamName stream, int partition, long from, long limit, int maxCount, Duration wait,
            Consumer<ConsumerPool.Lease> active, BooleanSupplier readerClosed) {
        TopicPartition tp = new TopicPartition(topic(stream), partition);
        ConsumerPool.Lease lease = pool.borrow(tp, wait.plus(settings.requestTimeout()));
        boolean healthy = true;
        active.accept(lease);
        long cursor = from;
        boolean overflow = false;
        List<StreamEvent> out = new ArrayList<>(Math.min(maxCount, 1024));
        try {
            if (readerClosed.getAsBoolean()) {
                throw StreamException.closed("reader of " + stream);
            }
            lease.position(tp, from);
            long deadline = System.nanoTime() + wait.toNanos();
            boolean endChecked = false;
            boolean partitionedIds = settings.partitioned();
            while (true) {
                long left = deadline - System.nanoTime();
                ConsumerRecords<byte[], byte[]> recs;
                try {
                    recs = lease.consumer.poll(Duration.ofNanos(Math.max(0, left)));
                } catch (WakeupException e) {
                    if (closed || readerClosed.getAsBoolean()) {
                        throw StreamException.closed(closed ? "Kafka client" : "reader of " + stream);
                    }
                    continue; // a stale wakeup meant for the lease's previous borrower
                }
                for (ConsumerRecord<byte[], byte[]> rec : recs.records(tp)) {
                    if (rec.offset() < cursor) {
                        continue;
                    }
                    if (out.size() >= maxCount || rec.offset() >= limit) {
                        overflow = true;
                        continue;
                    }
                    out.add(Records.toEvent(stream, rec, partitionedIds, 1));
                    cursor = rec.offset() + 1;
                }
                if (!overflow) {
                    cursor = Math.max(cursor, Math.min(limit, lease.consumer.position(tp)));
                }
                if (!out.isEmpty() || cursor >= limit) {
                    break;
                }
                if (System.nanoTime() - deadline >= 0) {
                    if (endChecked) {
                        long end = endOffset(tp);
                        if (cursor < Math.min(end, limit)) {
                            throw new StreamException(ErrorKind.RETRYABLE, "events from offset " + cursor + " of " + stream
                                    + " exist but could not be fetched within " + settings.requestTimeout());
                        }
                        break;
                    }
                    endChecked = true;
                    long end = endOffset(tp);
                    if (cursor >= Math.min(end, limit)) {
                        break;
                    }
                    deadline = System.nanoTime() + settings.requestTimeout().toNanos();
                }
            }
            if (overflow) {
                lease.forget();
            } else {
                lease.positionedAt(cursor);
            }
            return new Fetch(out, cursor);
        } catch (OffsetOutOfRangeException e) {
            lease.forget();
            long begin = admin.beginning(List.of(tp)).map(m -> m.get(tp)).orElse(0L);
            if (from < begin) {
                throw gap(stream, from, begin, e);
            }
            return new Fetch(List.of(), from);
        } catch (StreamException e) {
            lease.forget();
            throw e;
        } catch (KafkaException e) {
            healthy = false;
            throw KafkaErrors.map("reading " + stream, e);
        } finally {
            active.accept(null);
            pool.release(lease, healthy && !closed);
        }
    }

    private long endOffset(TopicPartition tp) {
        return admin.end(List.of(tp)).map(m -> m.get(tp)).orElse(0L);
    }

    static StreamException gap(StreamName stream, long from, long begin, Throwable cause) {
        return new StreamException(ErrorKind.DATA_LOSS, "events " + from + " to " + (begin - 1) + " of " + stream
                + " were trimmed before they were read (the oldest retained offset is " + begin
                + "); reopen at earliest to go on, or fail", cause);
    }

    @Override
    public List<StreamEvent> range(StreamName stream, Position from, EventId toInclusive, int maxCount) {
        checkOpen();
        Checks.stream(stream);
        Checks.position(from, capabilities, backend());
        Checks.count(maxCount, limits);
        if (settings.partitioned()) {
            throw KafkaReader.partitionedUnsupported("range");
        }
        if (from instanceof Position.Latest) {
            return List.of();
        }
        long limitOffset = toInclusive == null ? Long.MAX_VALUE : Records.offset(toInclusive, false) + 1;
        if (partitions(stream).isEmpty()) {
            return List.of();
        }
        TopicPartition tp = new TopicPartition(topic(stream), 0);
        Optional<Map<TopicPartition, Long>> begins = admin.beginning(List.of(tp));
        Optional<Map<TopicPartition, Long>> ends = admin.end(List.of(tp));
        if (begins.isEmpty() || ends.isEmpty()) {
            return List.of();
        }
        long begin = begins.get().get(tp);
        long end = ends.get().get(tp);
        long start;
        if (from instanceof Position.After a) {
            start = Records.offset(a.id(), false) + 1;
            if (start < begin) {
                throw gap(stream, start, begin, null);
            }
        } else if (from instanceof Position.AtTime t) {
            start = admin.forTime(List.of(tp), t.time().toEpochMilli()).map(m -> m.get(tp)).orElse(end);
        } else {
            start = begin;
        }
        long limit = Math.min(end, limitOffset);
        List<StreamEvent> out = new ArrayList<>();
        long cursor = start;
        while (out.size() < maxCount && cursor < limit) {
            Fetch f = fetch(stream, 0, cursor, limit, maxCount - out.size(), Duration.ZERO, l -> { }, () -> false);
            if (f.events().isEmpty() && f.next() <= cursor) {
                break;
            }
            out.addAll(f.events());
            cursor = f.next();
        }
        return out;
    }

    @Override
    public StreamInfo info(StreamName stream) {
        checkOpen();
        Checks.stream(stream);
        OptionalInt n = admin.partitions(topic(stream));
        if (n.isEmpty()) {
            return StreamInfo.missing(stream);
        }
        List<TopicPartition> tps = AdminOps.tps(topic(stream), n.getAsInt());
        Optional<Map<TopicPartition, Long>> begins = admin.beginning(tps);
        Optional<Map<TopicPartition, Long>> ends = admin.end(tps);
        if (begins.isEmpty() || ends.isEmpty()) {
            return StreamInfo.missing(stream);
        }
        long length = 0;
        StreamEvent first = null;
        StreamEvent last = null;
        for (TopicPartition tp : tps) {
            long b = begins.get().get(tp);
            long e = ends.get().get(tp);
            if (e <= b) {
                continue;
            }
            length += e - b;
            StreamEvent f = one(stream, tp.partition(), b, e);
            StreamEvent l = one(stream, tp.partition(), e - 1, e);
            if (f != null && (first == null || f.timestamp().isBefore(first.timestamp()))) {
                first = f;
            }
            if (l != null && (last == null || !l.timestamp().isBefore(last.timestamp()))) {
                last = l;
            }
        }
        if (length == 0 || first == null || last == null) {
            return StreamInfo.empty(stream);
        }
        return StreamInfo.of(stream, length, first.id(), first.timestamp(), last.id(), last.timestamp());
    }

    private StreamEvent one(StreamName stream, int partition, long from, long limit) {
        Fetch f = fetch(stream, partition, from, limit, 1, Duration.ZERO, l -> { }, () -> false);
        return f.events().isEmpty() ? null : f.events().get(0);
    }

    @Override
    public long trim(StreamName stream, Trim trim) {
        checkOpen();
        Checks.stream(stream);
        Checks.trim(trim, capabilities, backend());
        if (partitions(stream).isEmpty()) {
            return 0;
        }
        TopicPartition tp = new TopicPartition(topic(stream), 0);
        Optional<Map<TopicPartition, Long>> begins = admin.beginning(List.of(tp));
        Optional<Map<TopicPartition, Long>> ends = admin.end(List.of(tp));
        if (begins.isEmpty() || ends.isEmpty()) {
            return 0;
        }
        long begin = begins.get().get(tp);
        long end = ends.get().get(tp);
        long target;
        if (trim instanceof Trim.ToLength t) {
            target = end - Math.min(end, t.maxLength());
        } else if (trim instanceof Trim.Below b) {
            target = Math.min(end, Records.offset(b.id(), false));
        } else {
            Trim.OlderThan o = (Trim.OlderThan) trim;
            long cutoff = Instant.now(clock).minus(o.age()).toEpochMilli();
            target = admin.forTime(List.of(tp), cutoff).map(m -> m.get(tp)).orElse(begin);
        }
        if (target <= begin) {
            return 0;
        }
        admin.get("trimming " + stream, admin.admin().deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(target))).all());
        return target - begin;
    }

    // ---------------------------------------------------------------- groups

    private void requireGroups() {
        Checks.capability(Capability.CONSUMER_GROUPS, capabilities, backend());
    }

    @Override
    public void createGroup(StreamName stream, String group, GroupOptions options) {
        checkOpen();
        Checks.stream(stream);
        Checks.group(group);
        if (options == null) {
            throw StreamException.invalid("group options must not be null (use GroupOptions.defaults())");
        }
        requireGroups();
        groups.create(stream, group, options);
    }

    @Override
    public GroupConsumer openGroupConsumer(StreamName stream, String group, String member) {
        checkOpen();
        Checks.stream(stream);
        Checks.group(group);
        Checks.member(member);
        requireGroups();
        return groups.open(stream, group, member);
    }

    @Override
    public GroupInfo groupInfo(StreamName stream, String group) {
        checkOpen();
        Checks.stream(stream);
        Checks.group(group);
        requireGroups();
        return groups.info(stream, group);
    }

    @Override
    public List<GroupInfo> groups(StreamName stream) {
        checkOpen();
        Checks.stream(stream);
        requireGroups();
        return groups.list(stream);
    }

    @Override
    public boolean deleteGroup(StreamName stream, String group) {
        checkOpen();
        Checks.stream(stream);
        Checks.group(group);
        requireGroups();
        return groups.delete(stream, group);
    }

    // ---------------------------------------------------------------- close

    @Override
    public void close() {
        if (closed) {
            return;
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        closedLatch.countDown();
        closeNow();
    }

    /** Closes everything within the close timeout, even with the broker frozen. */
    private void closeNow() {
        closed = true;
        closedLatch.countDown();
        long budget = settings.closeTimeout().toMillis();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(budget);
        pool.close();
        groups.closeAll(Duration.ofMillis(Math.max(1, budget / 3)));
        try {
            producer.close(Duration.ofMillis(remaining(deadline, budget / 3)));
        } catch (RuntimeException e) {
            LOG.debug("closing the producer failed", e);
        }
        try {
            admin.admin().close(Duration.ofMillis(remaining(deadline, budget / 4)));
        } catch (RuntimeException e) {
            LOG.debug("closing the admin client failed", e);
        }
    }

    private static long remaining(long deadlineNanos, long cap) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        return Math.max(0, Math.min(left, cap));
    }

    private static void closeQuietly(Admin a, KafkaProducer<byte[], byte[]> p) {
        if (p != null) {
            try {
                p.close(Duration.ZERO);
            } catch (RuntimeException ignored) {
                // best effort
            }
        }
        if (a != null) {
            try {
                a.close(Duration.ZERO);
            } catch (RuntimeException ignored) {
                // best effort
            }
        }
    }

    @Override
    public String toString() {
        return "KafkaStreamClient[" + settings.bootstrap() + settings.namespace().map(n -> ", namespace=" + n).orElse("") + "]";
    }
}
