package dev.tributary.tck.processor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tributary.Capability;
import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.core.CheckpointStore;
import dev.tributary.core.Codecs;
import dev.tributary.core.GapPolicy;
import dev.tributary.core.GroupProcessor;
import dev.tributary.core.Handler;
import dev.tributary.core.InMemoryCheckpointStore;
import dev.tributary.core.Processor;
import dev.tributary.core.ProcessorListener;
import dev.tributary.core.ProcessorState;
import dev.tributary.core.TailProcessor;
import dev.tributary.tck.BrokerControl;
import dev.tributary.tck.Tck;
import dev.tributary.tck.internal.DataLossRules;
import dev.tributary.tck.internal.Expect;
import dev.tributary.tck.internal.Io;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Assumptions;

/**
 * Rule F7 for processors: the broker loses its data under a running tail processor (with a
 * checkpoint store) and a group processor, and the stream is created again and written to. Under
 * {@link GapPolicy#FAIL} (the default) each processor tells its listener {@code onGap} and ends
 * {@code FAILED} with {@code DATA_LOSS}; so does a tail processor started afterwards from the
 * checkpoint it saved before the wipe. None of them handles an event of the new stream.
 */
public final class WipeRules {
    private static final int OLD = 10;

    private final ProcessorKit kit;

    public WipeRules(ProcessorKit kit) {
        this.kit = kit;
    }

    public void f7() {
        BrokerControl control = kit.fixture().control().orElse(null);
        Assumptions.assumeTrue(control != null, "F7 needs a fixture with broker control that can wipe its data");
        StreamClient client = kit.client();
        StreamName s = kit.created(client, "f7p");
        EventId lastOld = Io.append(client, s, "old", OLD).get(OLD - 1);
        CheckpointStore checkpoints = new InMemoryCheckpointStore();
        String tailName = Tck.name("f7-tail");
        Map<String, Set<String>> handled = new ConcurrentHashMap<>();
        Map<String, String> gaps = new ConcurrentHashMap<>();
        List<Processor> processors = new ArrayList<>();
        processors.add(kit.track(TailProcessor.builder(client, s, Codecs.utf8())
                .name(tailName)
                .checkpointStore(checkpoints)
                .startFrom(Position.earliest())
                .handler(recorder("tail", handled))
                .listener(gapRecorder("tail", gaps))
                .build()));
        if (client.supports(Capability.CONSUMER_GROUPS)) {
            processors.add(kit.track(GroupProcessor.builder(client, s, Tck.name("f7-group"), Codecs.utf8())
                    .name(Tck.name("f7-group"))
                    .handler(recorder("group", handled))
                    .listener(gapRecorder("group", gaps))
                    .build()));
        }
        processors.forEach(Processor::start);
        Expect.eventually(
                Tck.scaled(Duration.ofSeconds(30)),
                () -> "each processor handled the old stream: " + handled,
                () -> processors.size() == handled.size()
                        && handled.values().stream().allMatch(h -> h.size() == OLD));
        Expect.eventually(
                Tck.scaled(Duration.ofSeconds(10)),
                () -> "the tail processor checkpointed the last old " + "event " + lastOld + "; it saved "
                        + checkpoints.load(tailName),
                () -> checkpoints.load(tailName).equals(Optional.of(lastOld)));
        try {
            control.wipe();
        } catch (UnsupportedOperationException e) {
            Assumptions.abort("F7 skipped: " + e.getMessage());
        }
        long deadline = System.nanoTime() + Tck.scaled(Duration.ofSeconds(90)).toNanos();
        DataLossRules.retrying(deadline, "create the stream again after the wipe", () -> client.createStream(s));
        for (int i = 0; i < 3; i++) {
            String key = "new/" + i;
            DataLossRules.retrying(deadline, "append " + key + " after the wipe", () -> client.append(s, Io.rec(key)));
        }
        Processor restarted = kit.track(TailProcessor.builder(client, s, Codecs.utf8())
                .name(tailName)
                .checkpointStore(checkpoints)
                .handler(recorder("restarted tail", handled))
                .listener(gapRecorder("restarted tail", gaps))
                .build());
        processors.add(restarted);
        restarted.start();
        for (Processor p : processors) {
            Expect.eventually(
                    Duration.ofNanos(Math.max(0, deadline - System.nanoTime())),
                    () -> p + " failed with "
                            + "DATA_LOSS after the broker lost its data; it is " + p.state() + " "
                            + p.failure().orElse(null)
                            + ", handled " + handled,
                    () -> p.state() == ProcessorState.FAILED);
            Throwable cause = p.failure().orElseThrow();
            assertEquals(
                    ErrorKind.DATA_LOSS,
                    cause instanceof StreamException se ? se.kind() : null,
                    p + " failed for the broker's data loss: " + cause);
        }
        assertEquals(
                processors.size(),
                gaps.size(),
                "each processor told its listener onGap first: " + gaps + "; failures: "
                        + processors.stream()
                                .map(p -> p + ": " + p.failure().orElse(null))
                                .toList());
        handled.forEach((who, keys) -> assertEquals(
                List.of(),
                keys.stream().filter(k -> k.startsWith("new/")).toList(),
                "the " + who + " processor handled events of the new stream"));
    }

    private static Handler<String> recorder(String who, Map<String, Set<String>> handled) {
        return m -> handled.computeIfAbsent(who, k -> ConcurrentHashMap.newKeySet())
                .add(m.headers().first(Io.KEY_HEADER).orElse("?"));
    }

    private static ProcessorListener gapRecorder(String who, Map<String, String> gaps) {
        return new ProcessorListener() {
            @Override
            public void onGap(String processor, StreamName stream, Position expected, GapPolicy policy) {
                gaps.putIfAbsent(who, expected + " " + policy);
            }
        };
    }
}
