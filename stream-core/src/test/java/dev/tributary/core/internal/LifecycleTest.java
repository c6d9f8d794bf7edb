package dev.tributary.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ErrorKind;
import dev.tributary.StreamException;
import dev.tributary.core.ProcessorListener;
import dev.tributary.core.ProcessorState;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LifecycleTest {
    private final List<String> heard = new CopyOnWriteArrayList<>();
    private final ProcessorListener listener = new ProcessorListener() {
        @Override
        public void onStateChange(String p, ProcessorState from, ProcessorState to, Throwable cause) {
            heard.add(from + "->" + to);
        }

        @Override
        public void onError(String p, Throwable error, boolean willRetry) {
            heard.add("error " + error.getClass().getSimpleName());
        }
    };
    /** Released at the end of each test so that no loop outlives it. */
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void releaseLoops() {
        release.countDown();
    }

    private Lifecycle lifecycle(Duration stopTimeout, Lifecycle.Body body) {
        return new Lifecycle("p", Thread::new, listener, stopTimeout, body);
    }

    /** A body that ignores interrupts and ends only when the test releases it. */
    private Lifecycle.Body stuck(CountDownLatch entered) {
        return run -> {
            entered.countDown();
            while (true) {
                try {
                    if (release.await(10, TimeUnit.SECONDS)) {
                        return;
                    }
                } catch (InterruptedException ignored) {
                    // a loop that does not answer interrupts
                }
            }
        };
    }

    private static void awaitStopRequest(Lifecycle.Run run) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!run.stopRequested()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no stop request within 10 s");
            }
            Thread.sleep(1);
        }
    }

    @Test
    void aStopTimeoutMustBeGivenAndNotNegative() {
        Lifecycle l = lifecycle(Duration.ofSeconds(5), run -> {});
        assertThrows(IllegalArgumentException.class, () -> l.stop(null));
        assertThrows(IllegalArgumentException.class, () -> l.stop(Duration.ofMillis(-1)));
        assertEquals(ProcessorState.NEW, l.state());
    }

    @Test
    void aThreadThatCannotBeStartedLeavesTheProcessorFailedWithThatCause() throws Exception {
        Thread used = new Thread(() -> {});
        used.start();
        used.join();
        Lifecycle l = new Lifecycle("p", r -> used, listener, Duration.ofSeconds(5), run -> {});
        assertFalse(l.start(), "no loop runs");
        assertEquals(ProcessorState.FAILED, l.state());
        assertInstanceOf(IllegalThreadStateException.class, l.failure().orElseThrow());
        assertEquals(List.of("NEW->RUNNING", "RUNNING->FAILED"), heard);
    }

    @Test
    void startFromTheLoopsOwnThreadWhileItStopsIsRefusedInsteadOfWaitingForItself() throws Exception {
        AtomicReference<Lifecycle> self = new AtomicReference<>();
        AtomicReference<Throwable> refused = new AtomicReference<>();
        Lifecycle l = lifecycle(Duration.ofSeconds(30), run -> {
            awaitStopRequest(run);
            try {
                self.get().start();
            } catch (IllegalStateException e) {
                refused.set(e);
            }
        });
        self.set(l);
        assertTrue(l.start());
        assertTrue(l.stop(Duration.ofSeconds(30)));
        assertInstanceOf(IllegalStateException.class, refused.get());
        assertTrue(
                refused.get().getMessage().contains("from its own thread"),
                refused.get().getMessage());
        assertEquals(ProcessorState.STOPPED, l.state());
    }

    @Test
    void aStopThatCannotEndTheLoopReportsFalseAndAStartGivesUpAfterTheStopTimeout() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        AtomicReference<Lifecycle.Run> theRun = new AtomicReference<>();
        Lifecycle.Body body = stuck(entered);
        Lifecycle l = lifecycle(Duration.ofMillis(200), run -> {
            theRun.set(run);
            run.setWaker(() -> {
                throw new IllegalStateException("the waker itself fails");
            });
            body.run(run);
        });
        assertTrue(l.start());
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        assertFalse(l.stop(Duration.ZERO), "the loop is still running");
        assertEquals(ProcessorState.STOPPING, l.state());
        IllegalStateException e = assertThrows(IllegalStateException.class, l::start);
        assertTrue(e.getMessage().contains("did not finish stopping"), e.getMessage());
        assertFalse(l.awaitTermination(Duration.ofMillis(20)), "still stopping");
        release.countDown();
        assertTrue(l.awaitTermination(Duration.ofSeconds(30)));
        assertEquals(ProcessorState.STOPPED, l.state());
        assertTrue(theRun.get().stopRequested());
    }

    @Test
    void anInterruptedStartOrStopGivesUpAndKeepsTheInterruptFlag() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        Lifecycle l = lifecycle(Duration.ofSeconds(30), stuck(entered));
        assertTrue(l.start());
        assertTrue(entered.await(10, TimeUnit.SECONDS));

        Thread.currentThread().interrupt();
        assertFalse(l.stop(Duration.ofSeconds(30)), "interrupted while waiting for the loop");
        assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
        assertEquals(ProcessorState.STOPPING, l.state());

        Thread.currentThread().interrupt();
        IllegalStateException e = assertThrows(IllegalStateException.class, l::start);
        assertTrue(e.getMessage().contains("interrupted"), e.getMessage());
        assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");

        release.countDown();
        assertTrue(l.awaitTermination(Duration.ofSeconds(30)));
        assertEquals(ProcessorState.STOPPED, l.state());
    }

    @Test
    void aStopSignalFromTheBodyEndsTheLoopStoppedWithoutAnError() throws Exception {
        Lifecycle l = lifecycle(Duration.ofSeconds(5), run -> {
            throw new StopSignal();
        });
        assertTrue(l.start());
        assertTrue(l.awaitTermination(Duration.ofSeconds(30)));
        assertEquals(ProcessorState.STOPPED, l.state());
        assertEquals(List.of("NEW->RUNNING", "RUNNING->STOPPED"), heard);
    }

    /** A started lifecycle whose body throws {@code ending} once asked to stop, stopped (bounded). */
    private Lifecycle stoppedWhileThrowing(Exception ending) throws InterruptedException {
        heard.clear();
        Lifecycle l = lifecycle(Duration.ofSeconds(30), run -> {
            awaitStopRequest(run);
            throw ending;
        });
        assertTrue(l.start());
        assertTrue(l.stop(Duration.ofSeconds(30)));
        return l;
    }

    @Test
    void anInterruptOrAClosedSourceWhileStoppingIsAPlainStop() throws Exception {
        for (Exception ending :
                List.of(new InterruptedException("woken"), new StreamException(ErrorKind.CLOSED, "closed"))) {
            Lifecycle l = stoppedWhileThrowing(ending);
            assertEquals(ProcessorState.STOPPED, l.state(), ending.toString());
            assertTrue(l.failure().isEmpty());
            assertFalse(heard.stream().anyMatch(h -> h.startsWith("error")), "no error is reported: " + heard);
        }
    }

    @Test
    void anyOtherFailureWhileStoppingWithoutForceStillFailsTheProcessor() throws Exception {
        for (Exception ending :
                List.of(new IllegalStateException("bug"), new StreamException(ErrorKind.INTERNAL, "bug"))) {
            Lifecycle l = stoppedWhileThrowing(ending);
            assertEquals(ProcessorState.FAILED, l.state(), ending.toString());
            assertEquals(ending, l.failure().orElseThrow());
            assertTrue(heard.contains("error " + ending.getClass().getSimpleName()), heard.toString());
        }
    }

    @Test
    void aStopAfterTheLoopEndedWaitsForItsThreadStillTellingTheListener() throws Exception {
        CountDownLatch telling = new CountDownLatch(1);
        AtomicReference<Thread> loopThread = new AtomicReference<>();
        ProcessorListener slow = new ProcessorListener() {
            @Override
            public void onStateChange(String p, ProcessorState from, ProcessorState to, Throwable cause) {
                if (to == ProcessorState.STOPPED) {
                    loopThread.set(Thread.currentThread());
                    telling.countDown();
                    awaitQuietly(release);
                }
            }
        };
        Lifecycle l = new Lifecycle("p", Thread::new, slow, Duration.ofSeconds(5), run -> {
            throw new StopSignal();
        });
        assertTrue(l.start());
        assertTrue(telling.await(10, TimeUnit.SECONDS));
        assertEquals(ProcessorState.STOPPED, l.state());
        assertFalse(l.stop(Duration.ofMillis(100)), "the ended loop's thread still runs the listener");
        release.countDown();
        assertTrue(l.stop(Duration.ofSeconds(10)));
        assertFalse(loopThread.get().isAlive(), "true means the thread is gone");
    }

    @Test
    void aStopThatWaitsForAnEndedLoopLetsItsListenerAskForTheState() throws Exception {
        CountDownLatch ended = new CountDownLatch(1);
        AtomicReference<Lifecycle> self = new AtomicReference<>();
        AtomicReference<ProcessorState> seen = new AtomicReference<>();
        ProcessorListener asking = new ProcessorListener() {
            @Override
            public void onStateChange(String p, ProcessorState from, ProcessorState to, Throwable cause) {
                if (to == ProcessorState.STOPPED) {
                    ended.countDown();
                    awaitQuietly(release);
                    seen.set(self.get().state()); // must not wait for the stop below
                }
            }
        };
        Lifecycle l = new Lifecycle("p", Thread::new, asking, Duration.ofSeconds(5), run -> {
            throw new StopSignal();
        });
        self.set(l);
        assertTrue(l.start());
        assertTrue(ended.await(10, TimeUnit.SECONDS));
        Thread releaser = new Thread(() -> {
            try {
                Thread.sleep(100); // while the stop below waits for the loop's thread
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            release.countDown();
        });
        releaser.start();
        assertTrue(l.stop(Duration.ofSeconds(10)), "the listener's state() did not block the stop");
        assertEquals(ProcessorState.STOPPED, seen.get());
        releaser.join();
    }

    @Test
    void aStopWaitsForTheHelperThreadsARunAdopted() throws Exception {
        AtomicReference<Thread> helper = new AtomicReference<>();
        Lifecycle l = lifecycle(Duration.ofSeconds(5), run -> {
            Thread h = new Thread(() -> awaitQuietly(release), "helper");
            run.adopt(h);
            h.start();
            helper.set(h);
            awaitStopRequest(run);
        });
        assertTrue(l.start());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (helper.get() == null && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertFalse(l.stop(Duration.ofMillis(200)), "a helper of the run (a lag check) is still running");
        assertEquals(ProcessorState.STOPPED, l.state());
        release.countDown();
        assertTrue(l.stop(Duration.ofSeconds(10)));
        assertFalse(helper.get().isAlive());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
