package dev.tributary.nats.internal;

import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import dev.tributary.spi.AppendWindow;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.NatsMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Pipelined appends: {@code publishAsync} on the client's one connection, each append holding room in
 * the client's {@link AppendWindow} until its PubAck (or failure) arrives.
 *
 * <p>Per append: {@link AppendWindow#open} (a full window fails the future {@code BACKPRESSURE});
 * a definite {@code RETRYABLE} failure without sending when the connection is down (no reconnect
 * buffer: nothing is queued for later); {@link AppendWindow.Append#sent()} right before the message
 * is handed to jnats; the PubAck completes the future with the stream sequence. The window's one
 * sweeper bounds the wait for the PubAck. With {@code autoMsgId} every append without an idempotency
 * id carries a random {@code Nats-Msg-Id}, so that a retry after {@code INDETERMINATE} stores once.
 */
final class NatsAppender {
    private final Connection connection;
    private final JetStream js;
    private final NatsNames names;
    private final NatsErrors errors;
    private final AppendWindow window;
    private final boolean autoMsgId;
    private final String uri;
    /** The subject of the stream appended to last (appends usually go to one stream at a time). */
    private volatile Subject lastSubject;

    NatsAppender(Connection connection, JetStream js, NatsNames names, NatsErrors errors, AppendWindow window,
            boolean autoMsgId, String uri) {
        this.connection = connection;
        this.js = js;
        this.names = names;
        this.errors = errors;
        this.window = window;
        this.autoMsgId = autoMsgId;
        this.uri = uri;
    }

    CompletableFuture<EventId> append(StreamName stream, StreamRecord r) {
        AppendWindow.Append<EventId> a = window.open(1);
        if (a.isDone() || !connected(a, stream)) {
            return a;
        }
        CompletableFuture<PublishAck> ack;
        try {
            ack = publish(subject(stream), r, a);
        } catch (RuntimeException e) {
            // jnats refused it before it left (e.g. "payload exceeds max_payload" → TOO_LARGE)
            a.fail(errors.map(e, what(stream), false));
            return a;
        }
        ack.whenComplete((pa, err) -> {
            if (err != null) {
                a.fail(mapError(err, stream));
            } else {
                a.complete(EventId.ofSequence(pa.getSeqno()));
            }
        });
        return a;
    }

    /** Appends in order; the future fails with the first failure (a batch is not atomic). */
    CompletableFuture<List<EventId>> appendBatch(StreamName stream, List<StreamRecord> records) {
        AppendWindow.Append<List<EventId>> a = window.open(records.size());
        if (a.isDone() || !connected(a, stream)) {
            return a;
        }
        String subject = subject(stream);
        int n = records.size();
        @SuppressWarnings("unchecked")
        CompletableFuture<PublishAck>[] acks = new CompletableFuture[n];
        for (int i = 0; i < n; i++) {
            try {
                acks[i] = publish(subject, records.get(i), a);
            } catch (RuntimeException e) {
                StreamException se = errors.map(e, what(stream), false);
                a.fail(i == 0 ? se : new StreamException(ErrorKind.INDETERMINATE, what(stream) + ": record " + i
                        + " of the batch of " + n + " could not be sent (" + se.getMessage() + "); the " + i
                        + " before it may be stored", se));
                return a;
            }
        }
        CompletableFuture.allOf(acks).whenComplete((v, err) -> {
            if (err != null) {
                a.fail(mapError(err, stream));
                return;
            }
            List<EventId> ids = new ArrayList<>(n);
            for (CompletableFuture<PublishAck> f : acks) {
                ids.add(EventId.ofSequence(f.join().getSeqno()));
            }
            a.complete(ids);
        });
        return a;
    }

    /** Hands one message to jnats; marks the append sent just before. */
    private CompletableFuture<PublishAck> publish(String subject, StreamRecord r, AppendWindow.Append<?> a) {
        NatsMessage msg = new NatsMessage(subject, null, HeaderCodec.encode(r.key(), r.headers()), r.payload());
        String msgId = r.idempotencyId() != null ? r.idempotencyId() : autoMsgId ? randomMsgId() : null;
        a.sent();
        // without an id: no options at all, so jnats neither copies the headers nor merges options
        return msgId == null ? js.publishAsync(msg) : js.publishAsync(msg, PublishOptions.builder().messageId(msgId).build());
    }

    /** Fails the append RETRYABLE (nothing sent) when the connection is down: no reconnect buffer. */
    private boolean connected(AppendWindow.Append<?> a, StreamName stream) {
        Connection.Status status = connection.getStatus();
        if (status == Connection.Status.CONNECTED) {
            return true;
        }
        a.fail(new StreamException(ErrorKind.RETRYABLE, what(stream) + " failed: not connected to " + uri + " ("
                + status + "); nothing was sent, retry later"));
        return false;
    }

    private StreamException mapError(Throwable err, StreamName stream) {
        Throwable root = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        if (mentionsNoResponders(root) || mentionsNoResponders(root.getCause())) {
            return new StreamException(ErrorKind.NOT_FOUND, what(stream) + " failed: no JetStream stream captures "
                    + "subject " + names.subject(stream) + "; call createStream first");
        }
        return errors.map(root, what(stream), true);
    }

    private static boolean mentionsNoResponders(Throwable t) {
        return t != null && String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT).contains("no responders");
    }

    private record Subject(StreamName stream, String subject) {
    }

    private String subject(StreamName stream) {
        Subject last = lastSubject;
        if (last == null || !last.stream().equals(stream)) {
            last = new Subject(stream, names.subject(stream));
            lastSubject = last;
        }
        return last.subject();
    }

    private static String what(StreamName stream) {
        return "append to '" + stream + "'";
    }

    /**
     * A random message id for an append without an idempotency id: 122 random bits in UUID form, from
     * the thread's own generator (no contention on a shared SecureRandom on the append path); only
     * uniqueness within the duplicate window matters.
     */
    static String randomMsgId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long hi = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lo = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(hi, lo).toString();
    }
}
