package dev.tributary.cli.bench;

import dev.tributary.EventId;
import dev.tributary.StreamClient;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import dev.tributary.spi.ForwardingStreamClient;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A client whose records all carry one fixed {@code traceparent} of a trace the sampler dropped
 * (55 bytes), and nothing else of tracing: what carrying the header alone costs, as {@code bench
 * --observe=header} and the JMH observability benchmark measure it.
 */
public final class FixedTraceparent extends ForwardingStreamClient {
    /** The header's value: a trace the sampler dropped. */
    public static final String VALUE = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00";

    /**
     * @param delegate the client the records go to
     */
    public FixedTraceparent(StreamClient delegate) {
        super(delegate);
    }

    private static StreamRecord carrying(StreamRecord r) {
        return r.withHeaders(r.headers().with("traceparent", VALUE));
    }

    @Override
    public CompletableFuture<EventId> appendAsync(StreamName stream, StreamRecord record) {
        return super.appendAsync(stream, carrying(record));
    }

    @Override
    public CompletableFuture<List<EventId>> appendBatchAsync(StreamName stream, List<StreamRecord> records) {
        return super.appendBatchAsync(
                stream, records.stream().map(FixedTraceparent::carrying).toList());
    }
}
