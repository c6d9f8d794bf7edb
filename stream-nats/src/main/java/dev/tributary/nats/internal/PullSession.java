package dev.tributary.nats.internal;

import dev.tributary.ErrorKind;
import dev.tributary.StreamException;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.nats.client.support.Status;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Drives one pull consumer with raw pull requests on a private inbox. Used by one thread at a time.
 *
 * <p>Protocol of a poll: messages that already arrived are returned first; else one {@code no_wait}
 * request for the whole batch (the server answers at once with what it has, then a 404/408 status);
 * else, while the wait lasts, at most one waiting request of batch 1 with a short {@code expires} is
 * open, and the inbox is read in slices of at most {@value #SLICE_MS} ms so that a close is noticed
 * quickly; as soon as one message arrives, a last {@code no_wait} request collects what else is there.
 * Each request has its own reply subject, so a status is always attributed to its request (data
 * messages carry the stream's subject, so they are counted in arrival order, which is the consumer's
 * order). Waiting requests expire within a second, so at most a few messages beyond the batch are ever
 * buffered here.
 *
 * <p>Reading ahead ({@link #readingAhead()}, for readers, whose consumers take no acks): when a poll
 * returns a full batch, a {@code no_wait} request for the next batch is sent before it returns, so the
 * next batch travels while the caller handles this one. One such request at a time, for at most a
 * batch less what is buffered and at most {@link #AHEAD_BYTES}, so at most two batches are ever
 * buffered (one read ahead, and one asked for by a poll that found the read-ahead still on its way).
 * Group members do not read ahead: the server counts what it delivered as pending, which must be what
 * a caller holds.
 */
final class PullSession implements AutoCloseable {
    static final long SLICE_MS = 100;
    /** Silence after a no_wait request before asking whether the consumer still exists. */
    private static final long PROBE_NANOS = 1_000_000_000L;

    private static final long MAX_WAIT_REQUEST_MS = 1000;

    /** The most a read-ahead asks for, in bytes, judged by the batch just returned (see {@link #aheadCount}). */
    static final long AHEAD_BYTES = 8L << 20;

    /** What a message costs beyond its payload (subjects, headers), for {@link #AHEAD_BYTES}. */
    private static final int MESSAGE_OVERHEAD_BYTES = 256;

    /** Pause before asking again when no server leads the consumer yet (a new consumer, an election). */
    private static final long LEADERLESS_PAUSE_MS = 50;

    /** The consumer (or its stream) no longer exists: a 409 "Consumer Deleted" or no responders. */
    static final class ConsumerGone extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ConsumerGone(String message) {
            super(message, null, false, false);
        }
    }

    /** A delivered message with the metadata of its ack subject. */
    record Delivery(Message message, long streamSequence, long deliveryCount, Instant timestamp, String ackSubject) {}

    private final Connection connection;
    private final String apiSubject;
    private final String inbox;
    private final Subscription sub;
    private final Duration requestTimeout;
    private final String what;
    private final BooleanSupplier consumerExists;
    private final ArrayDeque<Delivery> buffered = new ArrayDeque<>();
    private long requestCounter;
    private boolean readAhead;
    /** The read-ahead request still open (null: none), and how many of what it asked for are still to come. */
    private String aheadSubject;

    private int aheadLeft;
    private String waitingSubject;
    private long waitingUntilNanos;
    /** When the current spell of "no responders" for an existing consumer began; 0 outside one. */
    private long leaderlessSinceNanos;
    /** When the API last confirmed the consumer exists during that spell. */
    private long leaderlessProbedNanos;

    PullSession(
            Connection connection,
            String stream,
            String consumer,
            Duration requestTimeout,
            String what,
            BooleanSupplier consumerExists) {
        this.what = what;
        this.consumerExists = consumerExists;
        this.connection = connection;
        this.apiSubject = "$JS.API.CONSUMER.MSG.NEXT." + stream + "." + consumer;
        this.inbox = connection.createInbox();
        this.sub = connection.subscribe(inbox + ".*");
        this.requestTimeout = requestTimeout;
    }

    /**
     * Returns up to {@code max} deliveries, waiting up to {@code wait} for the first.
     *
     * @throws ConsumerGone    when the consumer no longer exists
     * @throws StreamException RETRYABLE when the server does not answer, CLOSED when {@code closed} turns true
     */
    List<Delivery> poll(int max, Duration wait, BooleanSupplier closed) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        drainArrived();
        if (!buffered.isEmpty()) {
            return take(max);
        }
        // a read-ahead still on its way is not waited for: this round's request is served after it, so
        // what it brings arrives first and is counted here or buffered for the next poll, in order
        aheadSubject = null;
        noWaitRound(max, closed);
        if (!buffered.isEmpty()) {
            return take(max);
        }
        while (true) {
            if (closed.getAsBoolean()) {
                throw StreamException.closed(what);
            }
            long remainingMs = (deadline - System.nanoTime()) / 1_000_000;
            if (remainingMs <= 0) {
                return List.of();
            }
            long now = System.nanoTime();
            if (waitingSubject == null || now - waitingUntilNanos > requestTimeout.toNanos()) {
                long expiresMs = Math.max(10, Math.min(remainingMs, MAX_WAIT_REQUEST_MS));
                waitingSubject = nextSubject();
                waitingUntilNanos = now + expiresMs * 1_000_000;
                publish(waitingSubject, "{\"batch\":1,\"expires\":" + expiresMs * 1_000_000 + "}");
            }
            Message m = sub.nextMessage(Duration.ofMillis(Math.min(remainingMs, SLICE_MS)));
            if (m != null) {
                if (handle(m, null) == Outcome.LEADERLESS) {
                    Thread.sleep(Math.min(remainingMs, LEADERLESS_PAUSE_MS)); // then ask again
                }
                drainArrived();
            }
            if (!buffered.isEmpty()) {
                if (buffered.size() < max) {
                    noWaitRound(max - buffered.size(), closed);
                }
                return take(max);
            }
        }
    }

    /** Deliveries buffered but not yet returned. */
    int buffered() {
        return buffered.size();
    }

    private List<Delivery> take(int max) {
        int n = Math.min(max, buffered.size());
        List<Delivery> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(buffered.poll());
        }
        int ahead = readAhead && n == max && aheadSubject == null ? aheadCount(out, max) : 0;
        if (ahead > 0) {
            aheadLeft = ahead;
            aheadSubject = nextSubject();
            publish(aheadSubject, "{\"batch\":" + ahead + ",\"no_wait\":true}");
        }
        return out;
    }

    /**
     * How many to read ahead after returning {@code batch}: a batch less what is buffered, and no more
     * than {@link #AHEAD_BYTES} by the size of the messages just returned. What is read ahead waits in
     * the subscription's queue while the caller works, and jnats drops messages past its pending limit
     * (64 MiB by default) — which a reader would then report as a gap.
     */
    private int aheadCount(List<Delivery> batch, int max) {
        long bytes = 0;
        for (Delivery d : batch) {
            byte[] data = d.message().getData();
            bytes += (data == null ? 0 : data.length) + MESSAGE_OVERHEAD_BYTES;
        }
        long fits = AHEAD_BYTES / Math.max(1, bytes / batch.size());
        return (int) Math.min(max - buffered.size(), fits);
    }

    /** Reads ahead from now on (see the class comment); for a consumer that takes no acks. */
    PullSession readingAhead() {
        readAhead = true;
        return this;
    }

    /** Whether events read ahead may be buffered or on their way. */
    boolean holdsReadAhead() {
        return aheadSubject != null || !buffered.isEmpty();
    }

    private void drainArrived() throws InterruptedException {
        Message m;
        while ((m = sub.nextMessage((Duration) null)) != null) {
            handle(m, null);
        }
    }

    /** One no_wait request for {@code n}; returns when the server ended it or {@code n} arrived. */
    private void noWaitRound(int n, BooleanSupplier closed) throws InterruptedException {
        String subject = nextSubject();
        publish(subject, "{\"batch\":" + n + ",\"no_wait\":true}");
        long sent = System.nanoTime();
        long deadline = sent + requestTimeout.toNanos();
        boolean probed = false;
        int[] count = {0};
        while (count[0] < n) {
            if (subject == null) {
                // the last request met a consumer without a leader: ask again after a pause, for as
                // long as handle() allows (the request timeout), then it reports RETRYABLE
                Thread.sleep(LEADERLESS_PAUSE_MS);
                subject = nextSubject();
                publish(subject, "{\"batch\":" + (n - count[0]) + ",\"no_wait\":true}");
                sent = System.nanoTime();
                deadline = sent + requestTimeout.toNanos();
                probed = false;
            }
            if (!probed && System.nanoTime() - sent > PROBE_NANOS) {
                // a request to a consumer that was deleted gets no answer at all (the JetStream API
                // import swallows it): ask the API whether the consumer is still there
                probed = true;
                if (!consumerExists.getAsBoolean()) {
                    throw new ConsumerGone("the consumer does not exist");
                }
            }
            if (closed.getAsBoolean()) {
                throw StreamException.closed(what);
            }
            long remainingMs = (deadline - System.nanoTime()) / 1_000_000;
            if (remainingMs <= 0) {
                throw new StreamException(
                        ErrorKind.RETRYABLE,
                        "the NATS server did not answer a pull request within " + requestTimeout
                                + "; it may be overloaded, paused or unreachable");
            }
            Message m = sub.nextMessage(Duration.ofMillis(Math.min(remainingMs, SLICE_MS)));
            if (m != null) {
                Outcome o = handle(m, subject);
                if (o == Outcome.END) {
                    return;
                }
                if (o == Outcome.LEADERLESS) {
                    subject = null; // that request is over; the top of the loop sends the next
                    continue;
                }
                if (o == Outcome.DATA) {
                    // data messages carry the stream subject, not the request's: a straggler of an
                    // earlier waiting request may be counted here, our own last one then arrives later
                    // and is buffered for the next poll
                    count[0]++;
                }
            }
        }
    }

    private enum Outcome {
        DATA,
        END,
        IGNORED,
        /** No server leads the (existing) consumer yet: the request got no responders, ask again. */
        LEADERLESS
    }

    /** Buffers a data message or interprets a status; END when the status ends {@code request}. */
    private Outcome handle(Message m, String request) {
        String subject = m.getSubject();
        if (m.isStatusMessage()) {
            Status s = m.getStatus();
            int code = s.getCode();
            String text = s.getMessage() == null ? "" : s.getMessage();
            if (code == 409 && text.toLowerCase(java.util.Locale.ROOT).contains("consumer deleted")) {
                throw new ConsumerGone("the consumer was deleted");
            }
            if (code == 100) {
                return Outcome.IGNORED; // heartbeat
            }
            if (subject.equals(aheadSubject)) {
                // the read-ahead ended: no more messages, or no server answered it (the next poll's own
                // request finds out why)
                aheadSubject = null;
                return Outcome.IGNORED;
            }
            if (code == 503 || s.isNoResponders()) {
                return leaderless(subject);
            }
            // 404 no messages, 408 request timeout, 409 limits (max waiting, max ack pending, ...)
            if (subject.equals(waitingSubject)) {
                waitingSubject = null;
            }
            return subject.equals(request) ? Outcome.END : Outcome.IGNORED;
        }
        // a data message: most likely the one the waiting request (batch 1) asked for; if it was not,
        // that request simply expires on the server within a second
        waitingSubject = null;
        leaderlessSinceNanos = 0;
        if (aheadSubject != null && --aheadLeft <= 0) {
            aheadSubject = null; // the read-ahead got all it asked for: the server sends no status then
        }
        buffered.add(parse(m));
        return Outcome.DATA;
    }

    /**
     * Nobody served a request: the consumer or its stream is gone, or (in a cluster) the consumer has
     * no leader for a moment — just created and its leader not yet elected or known to this server, or
     * during an election. Only the API tells them apart (asked on the first such answer and then at
     * most once per {@link #PROBE_NANOS}). An existing consumer is asked again for up to the request
     * timeout; past it the poll fails RETRYABLE.
     */
    private Outcome leaderless(String subject) {
        long now = System.nanoTime();
        if (leaderlessSinceNanos == 0 || now - leaderlessProbedNanos > PROBE_NANOS) {
            if (!consumerExists.getAsBoolean()) {
                throw new ConsumerGone("no responders for the consumer (it or its stream does not exist)");
            }
            leaderlessProbedNanos = System.nanoTime();
            if (leaderlessSinceNanos == 0) {
                leaderlessSinceNanos = now;
            }
        }
        if (now - leaderlessSinceNanos > requestTimeout.toNanos()) {
            leaderlessSinceNanos = 0;
            throw new StreamException(
                    ErrorKind.RETRYABLE,
                    what + ": no server has led the consumer for " + requestTimeout
                            + " (a leader election in the cluster); retry");
        }
        if (subject.equals(waitingSubject)) {
            waitingSubject = null;
        }
        return Outcome.LEADERLESS;
    }

    /**
     * The delivery of a message, read from its ack subject {@code $JS.ACK.<stream>.<consumer>.<delivered>.<sequence>.<consumer
     * sequence>.<nanos>.<pending>} (or the form with a domain and an account hash before the stream, and a
     * token after), by its dots, without splitting it into strings: this runs for every message.
     */
    static Delivery parse(Message m) {
        String reply = m.getReplyTo();
        if (reply == null || !reply.startsWith("$JS.ACK.")) {
            throw new StreamException(
                    ErrorKind.INTERNAL,
                    "a pull consumer delivered a message without a JetStream " + "ack subject: " + reply);
        }
        int[] dots = new int[10]; // the first ten dots: enough for either form's fields
        int count = 0;
        for (int i = reply.indexOf('.'); i >= 0; i = reply.indexOf('.', i + 1)) {
            if (count < dots.length) {
                dots[count] = i;
            }
            count++;
        }
        int tokens = count + 1;
        int base;
        if (tokens == 9) {
            base = 4;
        } else if (tokens >= 11) {
            base = 6;
        } else {
            throw new StreamException(ErrorKind.INTERNAL, "unexpected JetStream ack subject: " + reply);
        }
        try {
            long delivered = Long.parseLong(reply, dots[base - 1] + 1, dots[base], 10);
            long seq = Long.parseLong(reply, dots[base] + 1, dots[base + 1], 10);
            long nanos = Long.parseLong(reply, dots[base + 2] + 1, dots[base + 3], 10);
            Instant ts = Instant.ofEpochSecond(0, nanos);
            return new Delivery(m, seq, delivered, ts, reply);
        } catch (NumberFormatException e) {
            throw new StreamException(ErrorKind.INTERNAL, "unexpected JetStream ack subject: " + reply, e);
        }
    }

    private String nextSubject() {
        return inbox + "." + (++requestCounter);
    }

    private void publish(String replyTo, String body) {
        connection.publish(apiSubject, replyTo, body.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public void close() {
        try {
            if (sub.isActive()) {
                sub.unsubscribe();
            }
        } catch (RuntimeException e) {
            // the connection is closing or gone: nothing to unsubscribe from
        }
        buffered.clear();
    }
}
