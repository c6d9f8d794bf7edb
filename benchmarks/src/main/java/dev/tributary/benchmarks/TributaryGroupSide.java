package dev.tributary.benchmarks;

import dev.tributary.GroupOptions;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamClients;
import dev.tributary.StreamName;
import dev.tributary.core.Codecs;
import dev.tributary.core.GroupProcessor;
import dev.tributary.core.ProcessorState;

/**
 * Tributary's {@link GroupProcessor}: one member, concurrency 1, reads of up to {@value #BATCH} events
 * (the peers' read size), each event acked after its handler returned (at most 1 000 read and not yet
 * acked, the default). The handler is a {@code batchHandler} called once per read, as every peer's listener
 * or loop is, or (for the rows that show its cost) a per-event {@code handler}. The group is created before
 * the timed part, at the start of the stream; the timed part is from {@code start()} to the last event
 * handled.
 */
final class TributaryGroupSide implements Side {
    static final int BATCH = 1000;

    private final StreamClient client;
    private final boolean perEvent;
    private int round;
    private Progress progress;
    private GroupProcessor<byte[]> processor;

    /** @param perEvent a per-event handler instead of a batch handler */
    TributaryGroupSide(String uri, boolean perEvent) {
        this.client = StreamClients.open(uri);
        this.perEvent = perEvent;
    }

    @Override
    public void prepare(String name, int records) {
        StreamName stream = StreamName.of(name);
        String group = "peers-" + ++round;
        client.createStream(stream);
        client.createGroup(stream, group, GroupOptions.defaults().withStart(Position.earliest()));
        Progress p = new Progress(records);
        progress = p;
        var builder = GroupProcessor.builder(client, stream, group, Codecs.bytes())
                .member("m0")
                .createGroup(false)
                .batchSize(BATCH);
        processor = perEvent
                ? builder.handler(m -> p.add(1)).build()
                : builder.batchHandler(batch -> p.add(batch.size())).build();
    }

    @Override
    public void run(int records) throws Exception {
        GroupProcessor<byte[]> p = processor;
        p.start();
        progress.await(() -> p.state() == ProcessorState.FAILED
                ? p.failure().orElse(new IllegalStateException("the processor failed without a cause"))
                : null);
    }

    @Override
    public void finish() {
        if (processor != null) {
            processor.stop();
            processor = null;
        }
    }

    @Override
    public void close() {
        finish();
        client.close();
    }
}
