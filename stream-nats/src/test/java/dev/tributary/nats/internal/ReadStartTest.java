package dev.tributary.nats.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tributary.EventId;
import dev.tributary.Position;
import io.nats.client.api.DeliverPolicy;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReadStartTest {
    private static final Instant T = Instant.parse("2026-01-02T03:04:05Z");

    @Test
    void aKnownNextSequenceWinsOverTheStartPosition() {
        assertEquals(new ReadStart(DeliverPolicy.ByStartSequence, 42, null), ReadStart.of(42, Position.at(T)));
        assertEquals(
                new ReadStart(DeliverPolicy.ByStartSequence, 7, null),
                ReadStart.of(7, Position.after(EventId.ofSequence(6))));
    }

    @Test
    void withoutOneATimeStartsByTimeAndAnythingElseAtTheFirstMessage() {
        assertEquals(new ReadStart(DeliverPolicy.ByStartTime, 0, T), ReadStart.of(0, Position.at(T)));
        assertEquals(new ReadStart(DeliverPolicy.All, 0, null), ReadStart.of(0, Position.earliest()));
    }
}
