package dev.tributary.nats.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Keeps a client's single appends to one subject in call order when one of them is sent again.
 * Single appends are pipelined, so when one meets no leader (a leader election in a cluster) the ones
 * sent after it may already be stored; sending it again then would store it after them, against the
 * contract ("appends from one thread are stored in call order"). Every send takes a ticket under its
 * subject's lock, and a message may be sent again only while it is still the subject's newest send.
 *
 * <p>One small entry per subject appended to; past {@value #MAX_SUBJECTS} subjects the entries are
 * dropped, and a message whose entry is gone is not sent again (the safe answer).
 */
final class SendTickets {
    static final int MAX_SUBJECTS = 4096;

    /** A message handed to jnats, with its ticket. */
    record Sent<T>(long ticket, T result) {}

    private final AtomicLong next = new AtomicLong();
    private final ConcurrentHashMap<String, long[]> newest = new ConcurrentHashMap<>();

    /**
     * Runs {@code send} (which hands one message for {@code subject} to jnats) as the subject's newest
     * send. With {@code again} above 0 it runs only while the send of ticket {@code again} is still the
     * newest: null when another send came after it (nothing run).
     */
    <T> Sent<T> send(String subject, long again, Supplier<T> send) {
        if (newest.size() > MAX_SUBJECTS) {
            newest.clear();
        }
        long[] slot = newest.computeIfAbsent(subject, k -> new long[1]);
        synchronized (slot) {
            if (again > 0 && slot[0] != again) {
                return null;
            }
            long ticket = next.incrementAndGet();
            slot[0] = ticket;
            return new Sent<>(ticket, send.get());
        }
    }
}
