package dev.tributary.core.testing;

import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import dev.tributary.spi.ForwardingStreamClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A memory backend whose appends wait until the test answers them, in any order and with any
 * outcome: stored, failed {@code RETRYABLE} (not stored), or failed {@code INDETERMINATE} (stored or
 * not). Stores happen when an append is answered, so answering out of send order models a broker
 * that stores concurrent appends in another order. For one test thread with a direct executor; not
 * thread-safe.
 */
public final class ScriptedBroker extends ForwardingStreamClient {

    /** How an append is answered. */
    public enum Outcome {
        STORED,
        RETRYABLE,
        INDETERMINATE_STORED,
        INDETERMINATE_LOST
    }

    /** One append waiting for its answer. */
    public record Pending(StreamName stream, StreamRecord record, CompletableFuture<EventId> future) {
        public String payload() {
            return new String(record.payload(), StandardCharsets.UTF_8);
        }

        public String key() {
            return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        }
    }

    private final List<Pending> pending = new ArrayList<>();
    private final List<String> sent = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();
    private int maxPending;
    private int answered;

    public ScriptedBroker(StreamClient memory) {
        super(memory);
    }

    @Override
    public CompletableFuture<EventId> appendAsync(StreamName s, StreamRecord r) {
        Pending p = new Pending(s, r, new CompletableFuture<>());
        String key = p.key();
        for (Pending q : pending) {
            if (key == null || q.key() == null || key.equals(q.key())) {
                violations.add(p.payload() + " sent while " + q.payload() + " was unanswered");
            }
        }
        pending.add(p);
        sent.add(p.payload());
        maxPending = Math.max(maxPending, pending.size());
        return p.future();
    }

    /** Answers the pending append at {@code index} (in send order among those pending). */
    public void answer(int index, Outcome outcome) {
        Pending p = pending.remove(index);
        answered++;
        switch (outcome) {
            case STORED ->
                p.future().complete(super.appendAsync(p.stream(), p.record()).join());
            case RETRYABLE -> p.future().completeExceptionally(new StreamException(ErrorKind.RETRYABLE, "broker down"));
            case INDETERMINATE_STORED -> {
                super.appendAsync(p.stream(), p.record()).join();
                p.future()
                        .completeExceptionally(new StreamException(ErrorKind.INDETERMINATE, "timed out after sending"));
            }
            case INDETERMINATE_LOST ->
                p.future().completeExceptionally(new StreamException(ErrorKind.INDETERMINATE, "timed out, not stored"));
        }
    }

    /** Answers the pending append whose payload is {@code payload}. */
    public void answer(String payload, Outcome outcome) {
        for (int i = 0; i < pending.size(); i++) {
            if (pending.get(i).payload().equals(payload)) {
                answer(i, outcome);
                return;
            }
        }
        throw new AssertionError(payload + " is not pending; pending: " + pendingPayloads());
    }

    public List<String> pendingPayloads() {
        return pending.stream().map(Pending::payload).toList();
    }

    public int pendingCount() {
        return pending.size();
    }

    /** Payloads in the order they were sent, retries included. */
    public List<String> sent() {
        return List.copyOf(sent);
    }

    /** Sends that overlapped an unanswered append of the same key (or where either had no key). */
    public List<String> orderViolations() {
        return List.copyOf(violations);
    }

    public int maxPending() {
        return maxPending;
    }

    public int answered() {
        return answered;
    }

    /** The payloads stored in {@code stream}, in stream order. */
    public List<String> stored(StreamName stream) {
        List<String> out = new ArrayList<>();
        Position from = Position.earliest();
        while (true) {
            List<StreamEvent> page = delegate().range(stream, from, null, 1000);
            if (page.isEmpty()) {
                return out;
            }
            page.forEach(e -> out.add(e.payloadAsString()));
            from = Position.after(page.get(page.size() - 1).id());
        }
    }
}
