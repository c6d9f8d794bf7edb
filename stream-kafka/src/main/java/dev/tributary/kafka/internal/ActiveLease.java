package dev.tributary.kafka.internal;

import java.util.function.BooleanSupplier;

/**
 * The reader a fetch serves ({@link Fetcher#fetch}): it holds the lease while a fetch uses it, so the
 * reader's close can wake a poll blocked on that consumer, and it tells whether the reader was closed.
 * Thread-safe: the reader's polling thread sets the lease, the thread that closes the reader wakes it.
 */
final class ActiveLease {
    private final BooleanSupplier readerClosed;
    private final Object lock = new Object();
    private ConsumerPool.Lease lease;

    ActiveLease(BooleanSupplier readerClosed) {
        this.readerClosed = readerClosed;
    }

    /** For a fetch no reader stands behind (a range read, {@code info}): never closed, no one wakes it. */
    static ActiveLease none() {
        return new ActiveLease(() -> false);
    }

    /** The lease a fetch is using now, or null once it has returned it. */
    void set(ConsumerPool.Lease lease) {
        synchronized (lock) {
            this.lease = lease;
        }
    }

    boolean readerClosed() {
        return readerClosed.getAsBoolean();
    }

    /** Wakes the consumer of the fetch in progress, if any: its blocked poll ends with a wakeup. */
    void wake() {
        synchronized (lock) {
            if (lease != null) {
                lease.consumer.wakeup();
            }
        }
    }
}
