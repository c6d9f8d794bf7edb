package dev.tributary.nats.internal;

import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.Position;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.spi.AbstractStreamReader;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.StreamState;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A cursor over one stream, read through an ephemeral pull consumer without acks.
 *
 * <p>The consumer is created at the first poll from the cursor (so a reader of a stream that does not
 * exist yet simply returns nothing until it does), re-created from the cursor if the server loses it
 * (restart, inactivity), and deleted on close. Gaps are detected from the sequence numbers, which are
 * dense in a stream this backend writes: a delivered sequence above the expected one, or a first
 * sequence of the stream above it, means events were trimmed before they were read.
 *
 * <p>The skeleton checks arguments and the closed flag; a poll blocked when the reader (or its client)
 * closes notices within one pull slice ({@value PullSession#SLICE_MS} ms) and ends {@code CLOSED}.
 */
final class NatsReader extends AbstractStreamReader {
    private static final long GAP_CHECK_INTERVAL_NANOS = 1_000_000_000L;

    private final NatsStreamClient client;
    private final NatsAdmin admin;
    private final StreamName stream;
    private final String jsStream;
    private final String subject;
    private final Position start;
    private final AtomicBoolean polling = new AtomicBoolean();
    private long lastRead = -1;
    private long expectedNext; // 0 = unknown (earliest / at time before the first read)
    private PullSession session;
    private String consumer;
    private StreamException gap;
    private long lastGapCheck;

    NatsReader(NatsStreamClient client, StreamName stream, Position from) {
        super(stream, client.limits(), "reader of '" + stream + "'");
        this.client = client;
        this.admin = client.admin();
        this.stream = stream;
        this.jsStream = client.names().streamName(stream);
        this.subject = client.names().subject(stream);
        if (from instanceof Position.Latest) {
            StreamState s = admin.state(jsStream);
            long last = s == null ? 0 : s.getLastSequence();
            this.start = Position.after(EventId.ofSequence(last));
            this.expectedNext = last + 1;
        } else if (from instanceof Position.After a) {
            long seq = NatsStreamClient.sequenceOf(a.id(), "reader position");
            this.start = Position.after(EventId.ofSequence(seq));
            this.expectedNext = seq + 1;
        } else {
            this.start = from;
        }
    }

    @Override
    protected List<StreamEvent> doPoll(int maxCount, Duration wait) {
        if (gap != null) {
            throw new StreamException(ErrorKind.DATA_LOSS, gap.getMessage());
        }
        long deadline = System.nanoTime() + wait.toNanos();
        polling.set(true);
        try {
            for (int attempt = 0; ; attempt++) {
                if (session == null) {
                    checkHead(true);
                    if (!openConsumer()) {
                        return waitForStream(deadline);
                    }
                }
                try {
                    long remaining = Math.max(0, deadline - System.nanoTime());
                    List<PullSession.Delivery> batch = session.poll(maxCount, Duration.ofNanos(remaining),
                            this::isClosed);
                    List<StreamEvent> out = accept(batch);
                    if (out.isEmpty() && gap == null) {
                        checkHead(false);
                    }
                    if (out.isEmpty() && gap != null) {
                        throw new StreamException(ErrorKind.DATA_LOSS, gap.getMessage());
                    }
                    return out;
                } catch (PullSession.ConsumerGone e) {
                    dropConsumer();
                    if (attempt >= 1) {
                        return List.of();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StreamException(ErrorKind.RETRYABLE, "poll of '" + stream + "' was interrupted", e);
        } catch (StreamException e) {
            throw e;
        } catch (RuntimeException e) {
            throw client.errors().map(e, "poll of '" + stream + "'", false);
        } finally {
            polling.set(false);
            if (isClosed()) {
                dropConsumer();
            }
        }
    }

    private List<StreamEvent> accept(List<PullSession.Delivery> batch) {
        List<StreamEvent> out = new ArrayList<>(batch.size());
        for (PullSession.Delivery d : batch) {
            long seq = d.streamSequence();
            if (expectedNext > 0 && seq < expectedNext) {
                continue; // already read (consumer re-created)
            }
            if (expectedNext > 0 && seq > expectedNext) {
                gap = new StreamException(ErrorKind.DATA_LOSS, "reader of '" + stream + "' at " + position()
                        + ": events " + expectedNext + " to " + (seq - 1) + " were trimmed before they were read; "
                        + "reopen at earliest to continue with what is retained");
                dropConsumer();
                break;
            }
            out.add(NatsStreamClient.toEvent(stream, d, 1));
            lastRead = seq;
            expectedNext = seq + 1;
        }
        return out;
    }

    /** Records a gap when the stream's head moved past the cursor. */
    private void checkHead(boolean force) {
        if (expectedNext <= 0) {
            return;
        }
        long now = System.nanoTime();
        if (!force && now - lastGapCheck < GAP_CHECK_INTERVAL_NANOS) {
            return;
        }
        lastGapCheck = now;
        StreamState s = admin.state(jsStream);
        if (s == null) {
            return;
        }
        if (expectedNext < s.getFirstSequence() && expectedNext <= s.getLastSequence()) {
            gap = new StreamException(ErrorKind.DATA_LOSS, "reader of '" + stream + "' at " + position()
                    + ": events " + expectedNext + " to " + (s.getFirstSequence() - 1) + " were trimmed before they "
                    + "were read (oldest retained: " + s.getFirstSequence() + "); reopen at earliest to continue");
            throw new StreamException(ErrorKind.DATA_LOSS, gap.getMessage());
        }
    }

    private boolean openConsumer() throws InterruptedException {
        DeliverPolicy policy;
        long seq = 0;
        Instant time = null;
        if (expectedNext > 0) {
            policy = DeliverPolicy.ByStartSequence;
            seq = expectedNext;
        } else if (start instanceof Position.AtTime t) {
            policy = DeliverPolicy.ByStartTime;
            time = t.time();
        } else {
            policy = DeliverPolicy.All;
        }
        try {
            consumer = admin.createEphemeral(jsStream, subject, policy, seq, time);
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            StreamException se = client.errors().map(e, "opening a reader of '" + stream + "'", false);
            if (se.kind() == ErrorKind.NOT_FOUND) {
                return false;
            }
            throw se;
        }
        session = admin.session(jsStream, consumer, "reader of '" + stream + "'");
        return true;
    }

    /** The stream does not exist: wait (waking on close) and report nothing. */
    private List<StreamEvent> waitForStream(long deadline) throws InterruptedException {
        while (System.nanoTime() < deadline) {
            if (isClosed()) {
                return List.of(); // the skeleton turns an empty poll after close into CLOSED
            }
            Thread.sleep(Math.max(1, Math.min(PullSession.SLICE_MS, (deadline - System.nanoTime()) / 1_000_000)));
        }
        return List.of();
    }

    private synchronized void dropConsumer() {
        if (session != null) {
            session.close();
            session = null;
        }
        if (consumer != null) {
            admin.deleteConsumerQuietly(jsStream, consumer);
            consumer = null;
        }
    }

    @Override
    public Position position() {
        return lastRead >= 0 ? Position.after(EventId.ofSequence(lastRead)) : start;
    }

    @Override
    protected void doClose() {
        // a poll running on another thread notices the flag within one slice and cleans up itself;
        // the consumer delete does not wait for an answer
        if (!polling.get()) {
            dropConsumer();
        }
    }
}
