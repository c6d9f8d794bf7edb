package dev.tributary.micrometer;

import dev.tributary.StreamClient;
import dev.tributary.StreamClients;
import dev.tributary.StreamName;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/** Helpers: a memory client of its own, fresh names, and waiting for a condition. */
final class Testing {
    private static final AtomicInteger SEQ = new AtomicInteger();

    private Testing() {}

    static StreamClient memory() {
        return StreamClients.open("memory:mm-" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet());
    }

    static StreamName fresh(String prefix) {
        return StreamName.of(prefix + "-" + SEQ.incrementAndGet());
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(5);
        }
    }
}
