package dev.tributary.memory.internal;

import dev.tributary.ErrorKind;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.memory.internal.MemoryOptions.StoreSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The streams of one memory store, shared by every client of the store.
 *
 * <p>One {@link ReentrantLock} guards all state of the store; each stream has a {@link Condition}
 * of that lock, signalled when the stream changes in a way a blocked reader or group member must
 * see, and the store has one more, signalled when a stream is created. Blocked polls wait on these
 * with a timeout (the poll's bound, or the earliest redelivery deadline of a group): there is no
 * polling loop.
 *
 * <p>Named stores ({@code memory:NAME}) live in a static registry for the life of the JVM: closing
 * every client of a store does not discard its data. A private store ({@code memory:}) belongs to
 * one client and is garbage once the client is unreachable.
 */
public final class MemoryStore {
    private static final Map<String, MemoryStore> NAMED = new ConcurrentHashMap<>();
    private static final AtomicLong PRIVATE_COUNT = new AtomicLong();

    /** The store's name, or {@code (private #N)}; for messages and health. */
    final String description;

    final StoreSettings settings;
    final ReentrantLock lock = new ReentrantLock();
    /** Signalled when a stream is created, so readers of a missing stream look again. */
    final Condition streamCreated = lock.newCondition();

    private final Map<String, StreamLog> streams = new HashMap<>();
    private final long origin = System.nanoTime();

    private MemoryStore(String description, StoreSettings settings) {
        this.description = description;
        this.settings = settings;
    }

    /** The store for these options: the named one (created on first use) or a new private one. */
    public static MemoryStore forOptions(MemoryOptions options) {
        if (options.storeName() == null) {
            return new MemoryStore("(private #" + PRIVATE_COUNT.incrementAndGet() + ")", options.store());
        }
        MemoryStore store = NAMED.computeIfAbsent(options.storeName(), n -> new MemoryStore(n, options.store()));
        options.checkCompatible(options.storeName(), store.settings);
        return store;
    }

    /** Monotonic nanoseconds since the store was created: the time base of ack deadlines. */
    long nanos() {
        return System.nanoTime() - origin;
    }

    /** The stream under {@code key}, or {@code null}. Caller holds the lock. */
    StreamLog get(String key) {
        return streams.get(key);
    }

    /** The stream under {@code key}, created if missing. Caller holds the lock. */
    StreamLog getOrCreate(String key, StreamName name) {
        StreamLog log = streams.get(key);
        if (log == null) {
            log = newLog(name);
            register(key, log);
        }
        return log;
    }

    /**
     * The stream under {@code key}, created with {@code partitions} partitions if missing (an existing
     * stream keeps its count). Returns partition 0 (or the one-partition log). Caller holds the lock.
     */
    StreamLog getOrCreate(String key, StreamName name, int partitions) {
        StreamLog log = streams.get(key);
        if (log == null && partitions > 1) {
            log = StreamLog.partitioned(name, lock.newCondition(), settings, partitions)[0];
            register(key, log);
        }
        return log != null ? log : getOrCreate(key, name);
    }

    /** A new, not yet registered stream. Caller holds the lock. */
    StreamLog newLog(StreamName name) {
        return new StreamLog(name, lock.newCondition(), settings);
    }

    /** Registers a new stream under {@code key} and wakes readers waiting for it. Caller holds the lock. */
    void register(String key, StreamLog log) {
        streams.put(key, log);
        streamCreated.signalAll();
    }

    /** Removes a stream and wakes its waiters. Caller holds the lock. */
    boolean remove(String key) {
        StreamLog log = streams.remove(key);
        if (log == null) {
            return false;
        }
        log.groups.clear();
        log.changed.signalAll();
        return true;
    }

    /** Wakes every blocked poll of the store so it re-checks its state (after a close). */
    void wakeAll() {
        lock.lock();
        try {
            streamCreated.signalAll();
            for (StreamLog log : streams.values()) {
                log.changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits on {@code c} for up to {@code nanos}. Caller holds the lock.
     *
     * @throws StreamException {@link ErrorKind#RETRYABLE} when interrupted (the flag is restored)
     */
    // One timed wait by design: every caller loops on its own condition and deadline around it.
    @SuppressWarnings("WaitNotInLoop")
    static void await(Condition c, long nanos) {
        try {
            c.awaitNanos(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StreamException(ErrorKind.RETRYABLE, "interrupted while waiting for events", e);
        }
    }

    /** Runs {@code action} holding the store's lock and returns its result. */
    <R> R withLock(Supplier<R> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code action} holding the store's lock. */
    void runWithLock(Runnable action) {
        lock.lock();
        try {
            action.run();
        } finally {
            lock.unlock();
        }
    }

    /**
     * What one look of a blocking poll found, under the lock: the events to return, or (none) the
     * condition to wait on and the longest wait before looking again ({@link Long#MAX_VALUE}: only
     * the poll's own bound).
     */
    record Look(List<StreamEvent> events, Condition wakeUp, long maxWaitNanos) {}

    /**
     * A blocking poll: takes the lock and looks with {@code look} until it finds events or
     * {@code wait} has passed (then an empty list), waiting between looks on the condition it names.
     */
    List<StreamEvent> pollUntilFound(Duration wait, Supplier<Look> look) {
        long deadline = System.nanoTime() + wait.toNanos();
        lock.lock();
        try {
            while (true) {
                Look found = look.get();
                if (!found.events().isEmpty()) {
                    return found.events();
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return new ArrayList<>(0);
                }
                await(found.wakeUp(), Math.min(remaining, found.maxWaitNanos()));
            }
        } finally {
            lock.unlock();
        }
    }

    /** How long a health check waited for the store's lock. */
    // Nothing runs between lock and unlock, so there is nothing a finally block could protect.
    @SuppressWarnings("LockNotBeforeTry")
    Duration probe() {
        long t0 = System.nanoTime();
        lock.lock();
        lock.unlock();
        return Duration.ofNanos(System.nanoTime() - t0);
    }
}
