package dev.tributary.tck.internal;

import static org.junit.jupiter.api.Assertions.fail;

import dev.tributary.ErrorKind;
import dev.tributary.StreamException;
import dev.tributary.tck.Tck;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.function.Executable;

/** Assertions about error kinds and time bounds, shared by the rule bodies. */
public final class Expect {
    private Expect() {}

    /** Runs {@code call}, which must fail with a {@link StreamException} of {@code kind} (a future's failure counts). */
    public static StreamException kind(ErrorKind kind, String what, Executable call) {
        return kindIn(EnumSet.of(kind), what, call);
    }

    /** Runs {@code call}, which must fail with a {@link StreamException} of one of {@code kinds}. */
    public static StreamException kindIn(Set<ErrorKind> kinds, String what, Executable call) {
        try {
            call.execute();
        } catch (Throwable t) {
            StreamException se = asStreamException(t);
            if (se == null) {
                throw new AssertionError(what + ": expected a StreamException of kind " + kinds + " but got " + t, t);
            }
            if (!kinds.contains(se.kind())) {
                throw new AssertionError(
                        what + ": expected kind " + kinds + " but got " + se.kind() + " (" + se.getMessage() + ")", se);
            }
            return se;
        }
        throw new AssertionError(what + ": expected a StreamException of kind " + kinds + " but the call succeeded");
    }

    /** The StreamException behind {@code t} (through futures' wrappers), or null if there is none. */
    public static StreamException asStreamException(Throwable t) {
        Throwable cur = t;
        while (cur != null) {
            if (cur instanceof StreamException se) {
                return se;
            }
            if (cur instanceof java.util.concurrent.CompletionException || cur instanceof ExecutionException) {
                cur = cur.getCause();
            } else {
                return null;
            }
        }
        return null;
    }

    /**
     * Runs {@code call} on a helper thread and waits at most {@code bound} for it; fails when it does
     * not return in time (the helper thread is interrupted and left to finish).
     */
    public static <T> T within(Duration bound, String what, Callable<T> call) {
        FutureTask<T> task = new FutureTask<>(call);
        Thread t = new Thread(task, "tributary-tck-bounded-call");
        t.setDaemon(true);
        t.start();
        try {
            return task.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            t.interrupt();
            throw new AssertionError(what + ": did not return within " + bound + " (a hang)");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error er) {
                throw er;
            }
            throw new AssertionError(what + ": " + c, c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(what + ": interrupted");
        }
    }

    /** Polls {@code condition} until it holds or {@code bound} passes; fails with the message then. */
    public static void eventually(Duration bound, Supplier<String> message, BooleanSupplier condition) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                fail(message.get() + " (waited " + bound + ")");
            }
            Tck.sleep(Duration.ofMillis(20));
            if (Thread.currentThread().isInterrupted()) {
                fail(message.get() + " (interrupted)");
            }
        }
    }
}
