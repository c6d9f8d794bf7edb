package dev.tributary.cli.jmh;

import dev.tributary.EventId;
import dev.tributary.StreamClient;
import dev.tributary.StreamClients;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import dev.tributary.Trim;
import dev.tributary.core.Codecs;
import dev.tributary.core.Ordering;
import dev.tributary.core.Publisher;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the {@link Publisher}'s own bookkeeping costs per event, on the memory backend (whose append is
 * cheap and answers before {@code appendAsync} returns): {@value #BATCH} events published with one of
 * 1 024 keys in turn, then the last one's future awaited, against the same appends through
 * {@code appendAsync}. Idempotence is off, so that the memory store's dedup bookkeeping does not hide
 * the Publisher's. Not part of the build: run it with the {@code jmh} profile (stream-cli/pom.xml,
 * docs/benchmarks.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-XX:+UseParallelGC"})
public class PublisherBenchmark {
    private static final int BATCH = 1_000;
    private static final int KEYS = 1_024;
    private static final AtomicInteger STORES = new AtomicInteger();

    /** The Publisher's order: per key (the default) or none. */
    @Param({"PER_KEY", "NONE"})
    public String ordering;

    private StreamClient client;
    private Publisher<byte[]> publisher;
    private final StreamName stream = StreamName.of("publisher-jmh");
    private final byte[] payload = new byte[100];
    private final String[] keys = new String[KEYS];
    private final byte[][] keyBytes = new byte[KEYS][];
    private int next;

    @Setup(Level.Trial)
    public void open() {
        client = StreamClients.open("memory:pubjmh" + STORES.incrementAndGet() + "x" + ProcessHandle.current().pid());
        client.createStream(stream);
        for (int i = 0; i < KEYS; i++) {
            keys[i] = "customer-" + i;
            keyBytes[i] = keys[i].getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        publisher = Publisher.builder(client, stream, Codecs.bytes())
                .idempotence(false)
                .ordering(Ordering.valueOf(ordering))
                .whenFull(Duration.ofMinutes(1))
                .build();
    }

    private int invocations;

    /**
     * Keeps the stream under the memory store's cap (256 MiB): every 256 invocations (256 000 events,
     * about 30 MB) everything appended goes. Outside the measured time.
     */
    @TearDown(Level.Invocation)
    public void trim() {
        if ((++invocations & 255) == 0) {
            client.trim(stream, Trim.toLength(0));
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        publisher.close();
        client.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public EventId publish() {
        CompletableFuture<EventId> last = null;
        for (int i = 0; i < BATCH; i++) {
            last = publisher.publish(payload, keys[next++ & (KEYS - 1)], null);
        }
        return last.join();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public EventId appendAsync() {
        CompletableFuture<EventId> last = null;
        for (int i = 0; i < BATCH; i++) {
            StreamRecord r = StreamRecord.builder()
                    .payload(payload)
                    .key(keyBytes[next++ & (KEYS - 1)])
                    .build();
            last = client.appendAsync(stream, r);
        }
        return last.join();
    }
}
