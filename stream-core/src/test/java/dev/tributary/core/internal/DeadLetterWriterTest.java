package dev.tributary.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ErrorKind;
import dev.tributary.Headers;
import dev.tributary.Limits;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import dev.tributary.core.Backoff;
import dev.tributary.core.DeadLetterPolicy;
import dev.tributary.core.ProcessorListener;
import dev.tributary.core.testing.Events;
import dev.tributary.core.testing.FakeTime;
import dev.tributary.spi.ForwardingStreamClient;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeadLetterWriterTest {
    private final StreamClient memory = Events.memory();
    private final StreamName source = Events.fresh("dlw");
    private final Retrying retrying = new Retrying(
            "p",
            Backoff.exponential(Duration.ofMillis(10), Duration.ofMillis(10)),
            new Random(1),
            null,
            new ProcessorListener() {},
            new Pacer(new FakeTime(), () -> false));

    @AfterEach
    void close() {
        memory.close();
    }

    private StreamEvent event(StreamRecord record) {
        memory.append(source, record);
        return memory.range(source, Position.earliest(), null, 10).get(0);
    }

    /** The memory client with a small header budget. */
    private StreamClient withHeaderLimit(int maxHeaderBytes) {
        return new ForwardingStreamClient(memory) {
            @Override
            public Limits limits() {
                Limits l = super.limits();
                return new Limits(l.maxPayloadBytes(), maxHeaderBytes, l.maxBatchSize(), l.maxReadCount());
            }
        };
    }

    @Test
    void anErrorTooLongForTheHeaderBudgetIsShortened() {
        DeadLetterWriter w = new DeadLetterWriter(withHeaderLimit(600), "p", "g", retrying);
        StreamEvent e = event(StreamRecord.of("payload"));
        StreamRecord r = w.record(e, 3, new IllegalStateException("x".repeat(900)), "handler");
        String err = r.headers().first(DeadLetterPolicy.HEADER_ERROR).orElseThrow();
        assertEquals(120, err.length());
        assertTrue(err.endsWith("..."), err);
        assertTrue(r.headers().byteSize() <= 600);
        assertEquals("3", r.headers().first(DeadLetterPolicy.HEADER_ATTEMPTS).orElseThrow());
    }

    @Test
    void originalHeadersThatLeaveNoRoomAreDroppedAndThatIsSaid() {
        DeadLetterWriter w = new DeadLetterWriter(withHeaderLimit(600), "p", "g", retrying);
        StreamEvent e = event(StreamRecord.builder()
                .payload("payload")
                .headers(Headers.of(
                        "big",
                        "y".repeat(500))) // over the budget whatever the length of the stream name (it holds the pid)
                .build());
        StreamRecord r = w.record(e, 1, new IllegalStateException("bad"), "handler");
        assertEquals("true", r.headers().first("tributary.dlq.headersDropped").orElseThrow());
        assertFalse(r.headers().first("big").isPresent(), "the original header is gone");
        assertEquals(
                source.value(),
                r.headers().first(DeadLetterPolicy.HEADER_STREAM).orElseThrow());
        assertEquals("g", r.headers().first(DeadLetterPolicy.HEADER_GROUP).orElseThrow());
    }

    @Test
    void describeShortensAndReplacesUnpairedSurrogatesButKeepsPairs() {
        assertEquals("unknown", DeadLetterWriter.describe(null, 100));
        String shortened = DeadLetterWriter.describe(new RuntimeException("z".repeat(50)), 20);
        assertEquals(20, shortened.length());
        assertTrue(shortened.endsWith("..."));
        String pair = "\uD83D\uDE00";
        assertEquals(
                "java.lang.RuntimeException: a" + pair + "b\uFFFDc\uFFFD",
                DeadLetterWriter.describe(new RuntimeException("a" + pair + "b\uDE00c\uD83D"), 100));
    }

    @Test
    void aDeadLetterStreamThatCouldNotBeCreatedIsCreatedAgainOnTheNextWrite() {
        AtomicInteger creates = new AtomicInteger();
        StreamClient flaky = new ForwardingStreamClient(memory) {
            @Override
            public void createStream(StreamName s) {
                if (creates.incrementAndGet() == 1) {
                    throw new StreamException(ErrorKind.CONFIGURATION, "not now");
                }
                super.createStream(s);
            }
        };
        DeadLetterWriter w = new DeadLetterWriter(flaky, "p", null, retrying);
        StreamEvent e = event(StreamRecord.of("payload"));
        StreamName dlq = DeadLetterPolicy.defaultName(source);
        StreamException first =
                assertThrows(StreamException.class, () -> w.write(dlq, e, 1, new RuntimeException("x"), "handler"));
        assertEquals(ErrorKind.CONFIGURATION, first.kind());
        w.write(dlq, e, 1, new RuntimeException("x"), "handler");
        assertEquals(2, creates.get(), "the creation was tried again");
        assertEquals(1, memory.info(dlq).length());
        w.write(dlq, e, 1, new RuntimeException("x"), "handler");
        assertEquals(2, creates.get(), "and not a third time once it worked");
    }
}
