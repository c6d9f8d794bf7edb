package dev.tributary.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamName;
import dev.tributary.StreamReader;
import dev.tributary.StreamRecord;
import dev.tributary.core.testing.Events;
import dev.tributary.spi.ForwardingStreamClient;
import dev.tributary.spi.ForwardingStreamReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** 8 threads × 1000 rounds of start/stop on one processor: one loop at most, no thread left behind. */
class ConcurrentStartStopTest {

    @Test
    void eightThreadsStartingAndStoppingOneProcessorNeverRunTwoLoopsOrLeakThreads() throws Exception {
        try (StreamClient memory = Events.memory()) {
            StreamName stream = Events.fresh("race");
            for (int i = 0; i < 50; i++) {
                memory.append(stream, StreamRecord.of("e" + i));
            }
            AtomicInteger openReaders = new AtomicInteger();
            AtomicInteger maxOpenReaders = new AtomicInteger();
            AtomicInteger inPoll = new AtomicInteger();
            AtomicInteger maxInPoll = new AtomicInteger();
            AtomicInteger opened = new AtomicInteger();
            AtomicInteger closed = new AtomicInteger();
            StreamClient counting = new ForwardingStreamClient(memory) {
                @Override
                public StreamReader openReader(StreamName s, Position from) {
                    StreamReader r = super.openReader(s, from);
                    opened.incrementAndGet();
                    maxOpenReaders.accumulateAndGet(openReaders.incrementAndGet(), Math::max);
                    return new ForwardingStreamReader(r) {
                        private boolean done;

                        @Override
                        public List<StreamEvent> poll(int maxCount, Duration wait) {
                            maxInPoll.accumulateAndGet(inPoll.incrementAndGet(), Math::max);
                            try {
                                return super.poll(maxCount, wait);
                            } finally {
                                inPoll.decrementAndGet();
                            }
                        }

                        @Override
                        public synchronized void close() {
                            if (!done) {
                                done = true;
                                openReaders.decrementAndGet();
                                closed.incrementAndGet();
                            }
                            super.close();
                        }
                    };
                }
            };
            List<String> threadNames = new CopyOnWriteArrayList<>();
            AtomicInteger handled = new AtomicInteger();
            TailProcessor<String> p = TailProcessor.builder(counting, stream, Codecs.utf8())
                    .name("race")
                    .pollWait(Duration.ofMillis(1))
                    .threadFactory(r -> {
                        Thread t = new Thread(r, "race-loop-" + threadNames.size());
                        t.setDaemon(true);
                        threadNames.add(t.getName());
                        return t;
                    })
                    .handler(m -> handled.incrementAndGet())
                    .build();

            int threads = 8;
            int rounds = 1000;
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
                                        ProcessorState s = p.state();
                                        assertTrue(s != ProcessorState.NEW, "state after start: " + s);
                                    } else {
                                        assertTrue(p.stop(Duration.ofSeconds(10)), "stop within its bound");
                                    }
                                }
                            } catch (Throwable e) {
                                errors.add(e);
                            }
                        },
                        "worker-" + t);
                workers.add(w);
                w.start();
            }
            for (Thread w : workers) {
                w.join(TimeUnit.MINUTES.toMillis(3));
                assertTrue(!w.isAlive(), "worker still running: " + w.getName());
            }
            assertTrue(errors.isEmpty(), "errors: " + errors);
            assertTrue(p.stop(Duration.ofSeconds(10)));
            ProcessorState end = p.state();
            assertTrue(end == ProcessorState.STOPPED || end == ProcessorState.NEW, "final state " + end);
            assertTrue(p.failure().isEmpty());
            assertEquals(1, maxOpenReaders.get(), "never two readers (loops) open at once");
            assertTrue(maxInPoll.get() <= 1, "never two polls at once");
            assertEquals(opened.get(), closed.get(), "every reader a loop opened was closed");
            assertEquals(0, openReaders.get());
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                assertTrue(!t.getName().startsWith("race-loop-") || !t.isAlive(), "leaked loop thread " + t.getName());
            }
            assertTrue(threadNames.size() > 10, "the test started loops many times: " + threadNames.size());
            assertTrue(handled.get() >= 50, "events were handled");
        }
    }
}
