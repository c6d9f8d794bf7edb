package dev.tributary.tck.processor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.EventId;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamName;
import dev.tributary.StreamReader;
import dev.tributary.StreamRecord;
import dev.tributary.core.Codecs;
import dev.tributary.core.FileCheckpointStore;
import dev.tributary.core.ProcessorState;
import dev.tributary.core.TailProcessor;
import dev.tributary.spi.ForwardingStreamClient;
import dev.tributary.spi.ForwardingStreamReader;
import dev.tributary.tck.Tck;
import dev.tributary.tck.internal.Expect;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Rules C3 and C4: a processor's lifecycle under concurrent start/stop and under a stop from its own handler. */
public final class StartStopRules {
    private final ProcessorKit kit;

    public StartStopRules(ProcessorKit kit) {
        this.kit = kit;
    }

    /** C3: 8 threads call start() and stop() at random, 50 times each, on one tail processor. */
    public void c3() throws Exception {
        StreamClient real = kit.client();
        StreamName s = kit.created(real, "c3");
        for (int i = 0; i < 20; i++) {
            real.append(s, StreamRecord.of("c3-" + i));
        }
        CountingReaders counting = new CountingReaders(real);
        String prefix = "tck-c3-loop-" + Tck.runId() + "-";
        AtomicInteger threadsMade = new AtomicInteger();
        TailProcessor<String> p = kit.track(TailProcessor.builder(counting, s, Codecs.utf8())
                .name(Tck.name("c3"))
                .pollWait(Duration.ofMillis(10))
                .threadFactory(r -> {
                    Thread t = new Thread(r, prefix + threadsMade.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                })
                .handler(m -> {})
                .build());
        int threads = 8;
        int rounds = 50;
        CyclicBarrier go = new CyclicBarrier(threads);
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(
                    () -> {
                        try {
                            go.await();
                            ThreadLocalRandom rnd = ThreadLocalRandom.current();
                            for (int i = 0; i < rounds; i++) {
                                if (rnd.nextBoolean()) {
                                    p.start();
                                } else if (!p.stop(Tck.scaled(Duration.ofSeconds(10)))) {
                                    errors.add(new AssertionError("stop() did not end the loop within its bound"));
                                }
                            }
                        } catch (Throwable e) {
                            errors.add(e);
                        }
                    },
                    "tck-c3-worker-" + t);
            w.setDaemon(true);
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            w.join(Tck.scaled(Duration.ofSeconds(90)).toMillis());
            assertFalse(w.isAlive(), w.getName() + " did not finish: start/stop hang");
        }
        assertTrue(errors.isEmpty(), "start/stop from 8 threads threw: " + errors);
        assertTrue(p.stop(Tck.scaled(Duration.ofSeconds(10))), "a final stop ends the loop");
        ProcessorState end = p.state();
        assertTrue(
                end == ProcessorState.STOPPED || end == ProcessorState.NEW, "final state " + end + " " + p.failure());
        assertTrue(
                counting.maxOpen.get() <= 1,
                "two loops ran at once: " + counting.maxOpen.get() + " readers were open together");
        assertEquals(counting.opened.get(), counting.closed.get(), "every reader a loop opened was closed");
        Expect.eventually(
                Tck.scaled(Duration.ofSeconds(5)),
                () -> "no processor thread left behind",
                () -> Thread.getAllStackTraces().keySet().stream()
                        .noneMatch(t -> t.getName().startsWith(prefix) && t.isAlive()));
    }

    /** C3's client: counts the readers opened, closed (once each) and open at the same time. */
    private static final class CountingReaders extends ForwardingStreamClient {
        final AtomicInteger open = new AtomicInteger();
        final AtomicInteger maxOpen = new AtomicInteger();
        final AtomicInteger opened = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();

        CountingReaders(StreamClient delegate) {
            super(delegate);
        }

        @Override
        public StreamReader openReader(StreamName stream, Position from) {
            StreamReader r = super.openReader(stream, from);
            opened.incrementAndGet();
            maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
            return new ForwardingStreamReader(r) {
                private boolean done;

                @Override
                public void close() {
                    synchronized (this) {
                        if (!done) {
                            done = true;
                            open.decrementAndGet();
                            closed.incrementAndGet();
                        }
                    }
                    super.close();
                }
            };
        }
    }

    /** C4: the batch handler calls stop() on its own processor. */
    public void c4() throws Exception {
        StreamClient client = kit.client();
        StreamName s = kit.created(client, "c4");
        for (int i = 0; i < 20; i++) {
            client.append(s, StreamRecord.of("c4-" + i));
        }
        AtomicInteger batches = new AtomicInteger();
        AtomicLong stopNanos = new AtomicLong(-1);
        AtomicReference<Boolean> stopResult = new AtomicReference<>();
        AtomicReference<EventId> lastOfBatch = new AtomicReference<>();
        FileCheckpointStore store = new FileCheckpointStore(kit.tempDir("c4"));
        String name = Tck.name("c4");
        TailProcessor<String> p = kit.track(TailProcessor.builder(client, s, Codecs.utf8())
                .name(name)
                .checkpointStore(store)
                .batchSize(100)
                .pollWait(Duration.ofMillis(50))
                .batchHandler(batch -> {
                    batches.incrementAndGet();
                    lastOfBatch.set(batch.get(batch.size() - 1).id());
                    long t0 = System.nanoTime();
                    stopResult.set(batch.get(0).processor().stop());
                    stopNanos.set(System.nanoTime() - t0);
                })
                .build());
        p.start();
        assertTrue(
                p.awaitTermination(Tck.scaled(Duration.ofSeconds(20))),
                "the processor stopped after the batch " + "in which its handler called stop(); state " + p.state());
        assertEquals(ProcessorState.STOPPED, p.state(), "state after a stop from the handler: " + p.failure());
        assertEquals(Boolean.TRUE, stopResult.get(), "stop() called from the handler returned true");
        assertTrue(
                stopNanos.get() < Tck.scaled(Duration.ofSeconds(1)).toNanos(),
                "stop() from the handler returned at once, took " + stopNanos.get() / 1_000_000 + " ms");
        assertEquals(1, batches.get(), "no batch is handled after the one that called stop()");
        assertEquals(Optional.of(lastOfBatch.get()), store.load(name), "that batch was checkpointed");
        client.append(s, StreamRecord.of("c4-late"));
        Tck.sleep(Tck.scaled(Duration.ofMillis(200)));
        assertEquals(1, batches.get(), "nothing is read after the stop");
    }
}
