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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

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
    /** Pause before asking again about a duplicate the server answered with sequence 0. */
    private static final long ZERO_SEQ_PAUSE_MS = 20;

    /** Attempts at most for one message while the server answers sequence 0 (about 2 s of pauses). */
    private static final int ZERO_SEQ_ATTEMPTS = 100;

    /** Pause before sending again a message that met a stream with no leader (a leader election). */
    private static final long NO_LEADER_PAUSE_MS = 50;

    /**
     * Time the append must have left to be sent again after meeting no leader: below it the caller gets
     * the definite RETRYABLE (nothing stored) rather than an expiry that could not say so.
     */
    private static final long NO_LEADER_MARGIN_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    /**
     * Where a message is sent again after a pause (sequence 0, no leader): one daemon thread of its own,
     * never the common pool — a publish can block while jnats' outgoing queue is full (a frozen server),
     * and the common pool (one thread on two CPUs) also runs the processors' backoff timers.
     */
    private static final Executor RESENDS = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "tributary-nats-resend");
        t.setDaemon(true);
        return t;
    });

    /** Bound of the check whether a stream exists after an append found no responders. */
    private static final Duration STREAM_CHECK_TIMEOUT = Duration.ofSeconds(2);

    private final Connection connection;
    private final JetStream js;
    private final NatsNames names;
    private final NatsErrors errors;
    private final AppendWindow window;
    private final boolean autoMsgId;
    private final String uri;
    /** Keeps single appends in call order when one is sent again. */
    private final SendTickets tickets = new SendTickets();
    /** The subject of the stream appended to last (appends usually go to one stream at a time). */
    private volatile Subject lastSubject;

    NatsAppender(
            Connection connection,
            JetStream js,
            NatsNames names,
            NatsErrors errors,
            AppendWindow window,
            boolean autoMsgId,
            String uri) {
        this.connection = connection;
        this.js = js;
        this.names = names;
        this.errors = errors;
        this.window = window;
        this.autoMsgId = autoMsgId;
        this.uri = uri;
    }

    CompletableFuture<EventId> append(StreamName stream, StreamRecord r) {
        return append(stream, target(stream), r);
    }

    /**
     * Appends to JetStream stream {@code t}: the stream's own, or one partition of a partitioned
     * stream (the id is then partitioned).
     */
    CompletableFuture<EventId> append(StreamName stream, NatsTarget t, StreamRecord r) {
        String subject = t.append();
        AppendWindow.Append<EventId> a = window.open(1);
        if (a.isDone() || !connected(a, stream)) {
            return a;
        }
        send(a, stream, t, subject, r, false, 0);
        return a;
    }

    /**
     * Sends one record of a single append; sent again while its stream elects a leader ({@code exists}:
     * the stream was found to exist after an earlier attempt met no leader), but only while no other
     * append to the stream was sent after it ({@code again}: the ticket of the attempt that met no
     * leader, 0 for the first; {@link SendTickets}) — else it fails {@code RETRYABLE}, nothing stored.
     */
    private void send(
            AppendWindow.Append<EventId> a,
            StreamName stream,
            NatsTarget t,
            String subject,
            StreamRecord r,
            boolean exists,
            long again) {
        SendTickets.Sent<CompletableFuture<PublishAck>> sent;
        try {
            sent = tickets.send(subject, again, () -> publish(subject, r, a));
        } catch (RuntimeException e) {
            // jnats refused it before it left (e.g. "payload exceeds max_payload" → TOO_LARGE)
            a.fail(errors.map(e, what(stream), false));
            return;
        }
        if (sent == null) {
            a.fail(new StreamException(
                    ErrorKind.RETRYABLE,
                    what(stream) + " failed: no server led the stream when it arrived (a leader election in the "
                            + "cluster), and later appends to the stream were sent meanwhile; sending it again would "
                            + "store it after them, against call order. Nothing was stored, retry"));
            return;
        }
        var unused = sent.result().whenComplete((pa, err) -> {
            if (err != null) {
                fail(a, err, stream, t, exists, () -> send(a, stream, t, subject, r, true, sent.ticket()));
            } else {
                a.complete(t.eventId(pa.getSeqno()));
            }
        });
    }

    /**
     * Appends in order, each record once the one before it is confirmed; the future fails with the
     * first failure, and whatever is stored is a prefix of the batch (the contract's promise).
     *
     * <p>Why not pipelined: jnats keeps its outgoing queue across a reconnect, so after a connection
     * reset the records already written to the dead socket are lost while the ones still queued go
     * out on the new connection — a stored subset with a hole, which kit rule F8 caught. Chaining
     * costs one round trip per record of a batch; single appends stay pipelined.
     */
    CompletableFuture<List<EventId>> appendBatch(StreamName stream, List<StreamRecord> records) {
        return appendBatch(stream, target(stream), records);
    }

    /** {@link #appendBatch(StreamName, List)} to JetStream stream {@code t} (the stream's own, or one partition). */
    CompletableFuture<List<EventId>> appendBatch(StreamName stream, NatsTarget t, List<StreamRecord> records) {
        AppendWindow.Append<List<EventId>> a = window.open(records.size());
        if (a.isDone() || !connected(a, stream)) {
            return a;
        }
        new BatchChain(a, stream, t, records).next(0);
        return a;
    }

    /** Sends record i when record i-1 is confirmed; completes the batch's future at the end or first failure. */
    private final class BatchChain {
        private final AppendWindow.Append<List<EventId>> batch;
        private final StreamName stream;
        private final NatsTarget target;
        private final String subject;
        private final List<StreamRecord> records;
        private final List<EventId> ids;
        /** Found to exist after a record met no leader: a later no-leader answer is not checked again. */
        private boolean streamExists;

        BatchChain(
                AppendWindow.Append<List<EventId>> batch,
                StreamName stream,
                NatsTarget target,
                List<StreamRecord> records) {
            this.batch = batch;
            this.stream = stream;
            this.target = target;
            this.subject = target.append();
            this.records = records;
            this.ids = new ArrayList<>(records.size());
        }

        void next(int i) {
            if (batch.isDone()) {
                return; // expired or settled at close: send nothing more
            }
            if (i == records.size()) {
                batch.complete(List.copyOf(ids));
                return;
            }
            CompletableFuture<PublishAck> ack;
            try {
                ack = publish(subject, records.get(i), batch);
            } catch (RuntimeException e) {
                StreamException se = errors.map(e, what(stream), false);
                batch.fail(
                        i == 0
                                ? se
                                : new StreamException(
                                        ErrorKind.INDETERMINATE,
                                        what(stream) + ": record " + i
                                                + " of the batch of " + records.size() + " could not be sent ("
                                                + se.getMessage() + "); the "
                                                + i + " before it are stored",
                                        se));
                return;
            }
            var unused = ack.whenComplete((pa, err) -> {
                if (err != null) {
                    fail(batch, err, stream, target, streamExists, () -> {
                        streamExists = true;
                        next(i);
                    });
                } else {
                    ids.add(target.eventId(pa.getSeqno()));
                    next(i + 1);
                }
            });
        }
    }

    /** Hands one message to jnats; marks the append sent just before. */
    private CompletableFuture<PublishAck> publish(String subject, StreamRecord r, AppendWindow.Append<?> a) {
        NatsMessage msg = new NatsMessage(subject, null, HeaderCodec.encode(r.key(), r.headers()), r.payload());
        String msgId = r.idempotencyId() != null ? r.idempotencyId() : autoMsgId ? randomMsgId() : null;
        a.sent();
        // without an id: no options at all, so jnats neither copies the headers nor merges options
        return msgId == null
                ? js.publishAsync(msg)
                : sendWithId(msg, PublishOptions.builder().messageId(msgId).build(), a, 1);
    }

    /**
     * Publishes a message with an id, asking again while the server answers "duplicate" with sequence
     * 0. A clustered nats-server (seen on 2.10.27 after a leader change) gives that answer when a copy
     * of the same id is still being replicated — the first copy is being stored and its sequence is not
     * known yet (fixed upstream in nats-server#5827, where such a request times out instead). Sequence
     * 0 is never a stored event's id, so it is never returned: the same message (same id, so it is not
     * stored twice) is sent again after a short pause until the server names the sequence, the append
     * is settled by its deadline, or {@value #ZERO_SEQ_ATTEMPTS} attempts were made (then INDETERMINATE).
     */
    private CompletableFuture<PublishAck> sendWithId(
            NatsMessage msg, PublishOptions options, AppendWindow.Append<?> a, int attempt) {
        return js.publishAsync(msg, options).thenCompose(pa -> {
            if (pa.getSeqno() != 0 || a.isDone()) {
                return CompletableFuture.completedFuture(pa);
            }
            if (attempt >= ZERO_SEQ_ATTEMPTS) {
                throw new StreamException(
                        ErrorKind.INDETERMINATE,
                        "the NATS server answered " + attempt + " times that message id " + options.getMessageId()
                                + " is a duplicate without naming its sequence; it is stored or being stored");
            }
            return CompletableFuture.supplyAsync(
                            () -> attempt,
                            CompletableFuture.delayedExecutor(ZERO_SEQ_PAUSE_MS, TimeUnit.MILLISECONDS, RESENDS))
                    .thenCompose(n -> sendWithId(msg, options, a, n + 1));
        });
    }

    /** Fails the append RETRYABLE (nothing sent) when the connection is down: no reconnect buffer. */
    private boolean connected(AppendWindow.Append<?> a, StreamName stream) {
        Connection.Status status = connection.getStatus();
        if (status == Connection.Status.CONNECTED) {
            return true;
        }
        a.fail(new StreamException(
                ErrorKind.RETRYABLE,
                what(stream) + " failed: not connected to " + uri + " (" + status
                        + "); nothing was sent, retry later"));
        return false;
    }

    /**
     * Fails {@code a} with the kind {@code err} means. "No responders" means nobody received the message,
     * so nothing was stored: {@code NOT_FOUND} when the stream does not exist; else, in a cluster, the
     * stream has no leader for a moment while one is elected (right after its creation, or after a
     * server was lost), and {@code resend} sends the same message again after a short pause — as
     * Kafka's producer retries a partition without a leader within its delivery timeout — for as long
     * as the append's deadline leaves time; then {@code RETRYABLE}. Whether the stream exists is asked
     * once per append ({@code exists} after that), with one asynchronous {@code STREAM.INFO} request:
     * this runs on a jnats thread, which must not block, and every append in flight meets the same
     * election, so asking again at each resend would flood the JetStream API while it elects.
     */
    private void fail(
            AppendWindow.Append<?> a, Throwable err, StreamName stream, NatsTarget t, boolean exists, Runnable resend) {
        Throwable root = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        if (!mentionsNoResponders(root) && !mentionsNoResponders(root.getCause())) {
            a.fail(errors.map(root, what(stream), true));
            return;
        }
        if (exists) {
            resendOrGiveUp(a, stream, resend);
            return;
        }
        var unused = streamMissing(t).whenComplete((missing, e) -> {
            if (!Boolean.TRUE.equals(missing)) {
                resendOrGiveUp(a, stream, resend);
                return;
            }
            a.fail(new StreamException(
                    ErrorKind.NOT_FOUND,
                    what(stream) + " failed: no JetStream stream captures subject " + t.append()
                            + (t.adopted()
                                    ? " (" + t.describe() + " does not exist or does not capture it)"
                                    : "; call createStream first")));
        });
    }

    /** Sends again after a pause while the deadline leaves time; else RETRYABLE: nothing was stored. */
    private void resendOrGiveUp(AppendWindow.Append<?> a, StreamName stream, Runnable resend) {
        if (!a.isDone()
                && a.remainingNanos() > NO_LEADER_MARGIN_NANOS + TimeUnit.MILLISECONDS.toNanos(NO_LEADER_PAUSE_MS)) {
            CompletableFuture.delayedExecutor(NO_LEADER_PAUSE_MS, TimeUnit.MILLISECONDS, RESENDS)
                    .execute(resend);
            return;
        }
        a.fail(new StreamException(
                ErrorKind.RETRYABLE,
                what(stream) + " failed: no server leads the stream at the moment (a leader election in the "
                        + "cluster); nothing was stored, retry"));
    }

    /** True when the JetStream API says the stream does not exist; false or null (unknown) otherwise. */
    private CompletableFuture<Boolean> streamMissing(NatsTarget t) {
        try {
            return connection
                    .requestWithTimeout("$JS.API.STREAM.INFO." + t.stream(), null, STREAM_CHECK_TIMEOUT)
                    .thenApply(m -> !m.isStatusMessage()
                            && m.getData() != null
                            && new String(m.getData(), StandardCharsets.UTF_8)
                                    .contains("\"err_code\":" + NatsErrors.STREAM_NOT_FOUND));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(null);
        }
    }

    private static boolean mentionsNoResponders(Throwable t) {
        return t != null
                && String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT).contains("no responders");
    }

    private record Subject(StreamName stream, NatsTarget target) {}

    /**
     * Where appends to one-partition {@code stream} go; fails {@code CONFIGURATION} before any I/O for
     * an adopted stream with a wildcard filter and no append subject.
     */
    private NatsTarget target(StreamName stream) {
        Subject last = lastSubject;
        if (last == null || !last.stream().equals(stream)) {
            NatsTarget t = names.target(stream);
            if (t.append() == null) {
                throw new StreamException(
                        ErrorKind.CONFIGURATION,
                        what(stream) + " refused: '" + stream + "' is "
                                + t.describe()
                                + ", which has no append subject (its filter is not one literal subject); "
                                + "name one as the third part of " + t.option() + "=" + t.stream() + ":"
                                + (t.filter() == null ? "" : t.filter()) + ":<subject>");
            }
            last = new Subject(stream, t);
            lastSubject = last;
        }
        return last.target();
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
