package dev.tributary.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.StreamClient;
import dev.tributary.StreamName;
import dev.tributary.core.testing.Events;
import dev.tributary.core.testing.FakeTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * What the group processor tests share: a memory client, a fresh stream, fake time, a recording
 * listener, a builder on all of them, and every processor a test started stopped after it.
 */
abstract class GroupProcessorHarness {
    final StreamClient client = Events.memory();
    final StreamName stream;
    final FakeTime time = new FakeTime();
    final Recorder recorder = new Recorder();
    private final List<Processor> started = new ArrayList<>();

    GroupProcessorHarness(String streamPrefix) {
        this.stream = Events.fresh(streamPrefix);
    }

    /** Runs after a subclass's own {@code @AfterEach} (JUnit runs the superclass's last). */
    @AfterEach
    void stopStartedProcessorsAndCloseTheClient() {
        for (Processor p : started) {
            p.stop(Duration.ofSeconds(5));
        }
        client.close();
    }

    GroupProcessor.Builder<String> builder(StreamClient c) {
        return GroupProcessor.builder(c, stream, "workers", Codecs.utf8())
                .listener(recorder)
                .clock(time)
                .sleeper(time)
                .pollWait(Duration.ofMillis(20))
                .stopTimeout(Duration.ofSeconds(5));
    }

    <P extends Processor> P start(P p) {
        started.add(p);
        assertTrue(p.start());
        return p;
    }
}
