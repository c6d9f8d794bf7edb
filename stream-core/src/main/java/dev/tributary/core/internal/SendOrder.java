package dev.tributary.core.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Decides which of a publisher's unresolved events may be sent now, for
 * {@link dev.tributary.core.Ordering#PER_KEY}: per key, one event at a time, in admission order;
 * an event without a key is a barrier (sent alone, after every earlier event resolved, before any
 * later one). Unordered, every event may go at once.
 *
 * <p>Each key has a lane (its head is the one event of that key that is sent; a queue of the events
 * waiting behind it is made only once one does, since most lanes never hold more than their head);
 * events that arrive while a keyless event is unresolved, or behind one in the backlog, wait in the
 * backlog in admission order. Nothing here does I/O: callers send what {@link #admit} and
 * {@link #resolved} return, outside this object's lock. Memory is bounded by the caller, which
 * admits at most its in-flight bound of unresolved events. Thread-safe.
 *
 * @param <E> the caller's event type
 */
public final class SendOrder<E> {
    private final boolean ordered;
    private final Function<E, byte[]> keyOf;
    private final Map<ByteBuffer, Lane<E>> lanes = new HashMap<>();
    private final ArrayDeque<E> backlog = new ArrayDeque<>();
    private int inLanes;
    private E barrier;

    /** One key's events: the head (sent) and, once any came, those waiting behind it. */
    private static final class Lane<E> {
        E head;
        ArrayDeque<E> waiting;

        Lane(E head) {
            this.head = head;
        }
    }

    /** {@code keyOf} returns an event's key, or null for none. */
    public SendOrder(boolean ordered, Function<E, byte[]> keyOf) {
        this.ordered = ordered;
        this.keyOf = keyOf;
    }

    /** Admits a new event (the latest); returns what may be sent now (it, or nothing). */
    public synchronized List<E> admit(E event) {
        if (!ordered) {
            return List.of(event);
        }
        byte[] key = keyOf.apply(event);
        if (barrier != null || !backlog.isEmpty()) {
            backlog.add(event);
            return List.of();
        }
        if (key == null) {
            if (inLanes == 0) {
                barrier = event;
                return List.of(event);
            }
            backlog.add(event);
            return List.of();
        }
        return enterLane(key, event) ? List.of(event) : List.of();
    }

    /**
     * Reports that a sent event has its final outcome (stored, or given up); returns the events that
     * may be sent now because of it, in admission order.
     */
    public synchronized List<E> resolved(E event) {
        if (!ordered) {
            return List.of();
        }
        E next = null;
        byte[] key = keyOf.apply(event);
        if (key == null) {
            if (barrier != event) {
                throw new IllegalStateException("resolved a keyless event that was not the one sent");
            }
            barrier = null;
        } else {
            ByteBuffer k = ByteBuffer.wrap(key);
            Lane<E> lane = lanes.get(k);
            if (lane == null || lane.head != event) {
                throw new IllegalStateException("resolved an event that was not the head of its key's lane");
            }
            inLanes--;
            next = lane.waiting == null ? null : lane.waiting.poll();
            if (next == null) {
                lanes.remove(k);
            } else {
                lane.head = next;
            }
        }
        if (barrier != null || backlog.isEmpty()) {
            return next == null ? List.of() : List.of(next);
        }
        List<E> ready = new ArrayList<>(2);
        if (next != null) {
            ready.add(next);
        }
        drainBacklog(ready);
        return ready;
    }

    /** Events admitted and not yet resolved (sent or waiting). */
    public synchronized int unresolved() {
        return inLanes + backlog.size() + (barrier == null ? 0 : 1);
    }

    /** Moves keyed events from the backlog into their lanes up to the next keyless one, which goes alone. */
    private void drainBacklog(List<E> ready) {
        while (!backlog.isEmpty()) {
            E next = backlog.peek();
            byte[] key = keyOf.apply(next);
            if (key == null) {
                if (inLanes == 0) {
                    backlog.poll();
                    barrier = next;
                    ready.add(next);
                }
                return;
            }
            backlog.poll();
            if (enterLane(key, next)) {
                ready.add(next);
            }
        }
    }

    /** Appends to the key's lane; true when it is the lane's head (to be sent now). */
    private boolean enterLane(byte[] key, E event) {
        inLanes++;
        ByteBuffer k = ByteBuffer.wrap(key);
        Lane<E> lane = lanes.get(k);
        if (lane == null) {
            lanes.put(k, new Lane<>(event));
            return true;
        }
        if (lane.waiting == null) {
            lane.waiting = new ArrayDeque<>(4);
        }
        lane.waiting.add(event);
        return false;
    }
}
