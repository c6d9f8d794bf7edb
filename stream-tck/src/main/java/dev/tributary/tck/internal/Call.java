package dev.tributary.tck.internal;

import dev.tributary.ErrorKind;
import dev.tributary.StreamException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One client call started on its own daemon thread, so that a rule can make several calls at once
 * during a fault and then judge each against its bound (counted from its start).
 */
final class Call {
    private final String name;
    private final FutureTask<Object> task;
    private final Thread thread;
    private final long started = System.nanoTime();

    private Call(String name, Callable<Object> call) {
        this.name = name;
        this.task = new FutureTask<>(call);
        this.thread = new Thread(task, "tributary-tck-call-" + name.replace(' ', '-'));
        thread.setDaemon(true);
    }

    static Call start(String name, Callable<Object> call) {
        Call c = new Call(name, call);
        c.thread.start();
        return c;
    }

    String name() {
        return name;
    }

    /**
     * Expects the call to fail with one of {@code kinds} within {@code bound} of its start — or, when
     * {@code emptyOk} (a poll), to return an empty list. Anything else fails the rule.
     */
    void expect(Duration bound, Set<ErrorKind> kinds, boolean emptyOk) {
        long left = started + bound.toNanos() - System.nanoTime();
        Object result;
        try {
            result = task.get(Math.max(1, left), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            thread.interrupt();
            throw new AssertionError(name + " during the fault did not return within " + bound + " (a hang: every call "
                    + "is bounded by its timeout)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(name + ": interrupted");
        } catch (ExecutionException e) {
            StreamException se = Expect.asStreamException(e.getCause());
            if (se == null) {
                throw new AssertionError(
                        name + " during the fault threw " + e.getCause() + "; expected a " + "StreamException of kind "
                                + kinds,
                        e.getCause());
            }
            if (!kinds.contains(se.kind())) {
                throw new AssertionError(
                        name + " during the fault failed with " + se.kind() + " (" + se.getMessage()
                                + "); expected one of " + kinds,
                        se);
            }
            System.out.println("  " + name + " during the fault: " + se.kind() + " after "
                    + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms: " + se.getMessage());
            return;
        }
        if (emptyOk && result instanceof List<?> l && l.isEmpty()) {
            System.out.println("  " + name + " during the fault: empty after "
                    + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
            return;
        }
        throw new AssertionError(name + " succeeded although no byte reached the broker (" + result + "): is the "
                + "fixture's proxy().config() really routed through the proxy?");
    }
}
