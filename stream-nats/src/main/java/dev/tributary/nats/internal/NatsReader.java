package dev.tributary.nats.internal;

import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.Position;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.spi.AbstractStreamReader;
import io.nats.client.api.StreamState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A cursor over one stream, read through an ephemeral pull consumer without acks.
 *
 * <p>The consumer is created at the first poll from the cursor (so a reader of a stream that does not
 * exist yet simply returns nothing until it does), re-created from the cursor if the server loses it
 * (restart, inactivity), and deleted on close.
 *
 * <p>Gaps: where the stream captures exactly what the reader reads (Tributary's own stream on its one
 * subject, or a whole adopted stream) sequences are dense, so a delivered sequence above the expected
 * one means events were trimmed before they were read. Where the stream captures more (an adopted
 * stream with a filter, or a Tributary stream whose subjects another application widened), sequences
 * of other subjects are skipped legitimately: a jump is a gap only when the stream's first sequence
 * moved past the cursor. Either way a cursor below the stream's first sequence is a gap.
 *
 * <p>Data loss: at every consumer (re)creation and on the first poll after a reconnect the reader
 * checks, through {@link StreamWatch}, that the stream is still the one it read (same creation time,
 * last sequence not below the cursor); otherwise it fails {@code DATA_LOSS} from then on.
 *
 * <p>Read-ahead: the reader's session asks for the next batch when a poll returns a full one (see
 * {@link PullSession#readingAhead()}), so a reader catching up never waits a round trip per batch. What
 * was read ahead was read before anything trimmed it and is delivered, except after a trim this client
 * started since: then it is dropped and read again from the cursor, so that trim is seen as the gap it
 * makes (kit rule P6), exactly as without read-ahead.
 *
 * <p>The skeleton checks arguments and the closed flag; a poll blocked when the reader (or its client)
 * closes notices within one pull slice ({@value PullSession#SLICE_MS} ms) and ends {@code CLOSED}.
 */
final class NatsReader extends AbstractStreamReader {
    private static final long GAP_CHECK_INTERVAL_NANOS = 1_000_000_000L;

    private final NatsStreamClient client;
    private final NatsAdmin admin;
    private final StreamName stream;
    private final NatsTarget target;
    private final String jsStream;
    private final Position start;
    private final AtomicBoolean polling = new AtomicBoolean();
    private final StreamWatch watch = new StreamWatch();
    private long lastRead = -1;
    private long expectedNext; // 0 = unknown (earliest / at time before the first read)
    /** The highest sequence seen to exist in the stream (latest resolved at open, the id a reader opens
     * after, then reads); 0 = none. */
    private long observed;

    private boolean dense = true;
    private PullSession session;
    private String consumer;
    private StreamException gap;
    private long lastGapCheck;
    /** The client's trim count when this reader last looked (see the class comment). */
    private long trimsSeen;

    NatsReader(NatsStreamClient client, StreamName stream, Position from) {
        this(client, stream, client.names().target(stream), from);
    }

    /** A reader of one JetStream stream: the stream's own, or one partition of a partitioned stream. */
    NatsReader(NatsStreamClient client, StreamName stream, NatsTarget target, Position from) {
        super(stream, client.limits(), "reader of '" + stream + "'");
        this.client = client;
        this.admin = client.admin();
        this.stream = stream;
        this.target = target;
        this.jsStream = target.stream();
        watch.checked(reconnects());
        this.trimsSeen = client.trims();
        if (from instanceof Position.Latest) {
            io.nats.client.api.StreamInfo si = admin.streamInfo(jsStream, "opening a reader of '" + stream + "'");
            long last = si == null ? 0 : si.getStreamState().getLastSequence();
            if (si != null) {
                watch.check(created(si), last, 0, false);
            }
            this.start = Position.after(EventId.ofSequence(last));
            this.expectedNext = last + 1;
            this.observed = last;
        } else if (from instanceof Position.After a) {
            long seq = NatsStreamClient.sequenceOf(a.id(), "reader position");
            this.start = Position.after(EventId.ofSequence(seq));
            this.expectedNext = seq + 1;
            this.observed = seq; // an id of the stream: a stream whose last sequence is below it is another one
        } else {
            this.start = from;
        }
    }

    private long reconnects() {
        return client.connection().getStatistics().getReconnects();
    }

    static java.time.Instant created(io.nats.client.api.StreamInfo si) {
        return si.getCreateTime() == null ? null : si.getCreateTime().toInstant();
    }

    @Override
    protected List<StreamEvent> doPoll(int maxCount, Duration wait) {
        if (gap != null) {
            throw new StreamException(ErrorKind.DATA_LOSS, gap.getMessage());
        }
        long deadline = System.nanoTime() + wait.toNanos();
        polling.set(true);
        try {
            long trims = client.trims();
            if (trims != trimsSeen) {
                trimsSeen = trims;
                if (session != null && session.holdsReadAhead()) {
                    dropConsumer(); // read again from the cursor, after the trim
                }
            }
            for (int attempt = 0; ; attempt++) {
                long reconnects = reconnects();
                if (session == null) {
                    if (inspect() == null || !openConsumer()) {
                        watch.checked(reconnects);
                        return waitForStream(deadline);
                    }
                } else if (watch.reconnected(reconnects)) {
                    inspect(); // the first poll after a reconnect: did the server keep the stream?
                }
                watch.checked(reconnects);
                try {
                    long remaining = Math.max(0, deadline - System.nanoTime());
                    List<PullSession.Delivery> batch =
                            session.poll(maxCount, Duration.ofNanos(remaining), this::isClosed);
                    List<StreamEvent> out = accept(batch);
                    if (out.isEmpty() && gap == null && System.nanoTime() - lastGapCheck >= GAP_CHECK_INTERVAL_NANOS) {
                        inspect();
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
        long first = -1; // the stream's first sequence, fetched once per batch when a jump needs it
        for (PullSession.Delivery d : batch) {
            long seq = d.streamSequence();
            if (expectedNext > 0 && seq < expectedNext) {
                continue; // already read (consumer re-created)
            }
            if (expectedNext > 0 && seq > expectedNext) {
                if (!dense && first < 0) {
                    first = firstSequence();
                }
                if (dense || expectedNext < first) {
                    long to = dense ? seq - 1 : Math.min(seq, first) - 1;
                    gap = new StreamException(
                            ErrorKind.DATA_LOSS,
                            "reader of '" + stream + "' at " + position()
                                    + ": events " + expectedNext + " to " + to + " were trimmed before they were read"
                                    + (dense ? "" : " (some may have been of other subjects)")
                                    + "; reopen at earliest to "
                                    + "continue with what is retained");
                    dropConsumer();
                    break;
                }
            }
            out.add(NatsStreamClient.toEvent(stream, target, d, 1));
            lastRead = seq;
            observed = Math.max(observed, seq);
            expectedNext = seq + 1;
        }
        return out;
    }

    /**
     * The stream's first sequence now; 0 when the stream is gone (the consumer notices that). When the
     * question fails, the consumer is dropped before the error goes up: the batch in hand is not handed
     * out, and the next poll re-creates the consumer from the cursor, so nothing is skipped.
     */
    private long firstSequence() {
        try {
            StreamState s = admin.state(jsStream);
            return s == null ? 0 : s.getFirstSequence();
        } catch (RuntimeException e) {
            dropConsumer();
            throw e;
        }
    }

    /**
     * Reads the stream's info and fails {@code DATA_LOSS} when the stream is not the one read before
     * or its head moved past the cursor; learns whether sequences are dense. Null: no such stream.
     */
    private io.nats.client.api.StreamInfo inspect() {
        lastGapCheck = System.nanoTime();
        io.nats.client.api.StreamInfo si = admin.probeStreamInfo(jsStream, "reading the state of stream " + jsStream);
        if (si == null) {
            return null;
        }
        StreamState s = si.getStreamState();
        dense = target.dense(si.getConfiguration().getSubjects());
        String loss = watch.check(created(si), s.getLastSequence(), observed, expectedNext > 0);
        if (loss != null) {
            gap = new StreamException(
                    ErrorKind.DATA_LOSS,
                    "reader of '" + stream + "' at " + position() + ": " + loss
                            + "; reopen the reader to read the stream as it is now");
        } else if (expectedNext > 0 && expectedNext < s.getFirstSequence() && expectedNext <= s.getLastSequence()) {
            gap = new StreamException(
                    ErrorKind.DATA_LOSS,
                    "reader of '" + stream + "' at " + position()
                            + ": events " + expectedNext + " to " + (s.getFirstSequence() - 1)
                            + " were trimmed before they "
                            + "were read (oldest retained: " + s.getFirstSequence()
                            + "); reopen at earliest to continue");
        }
        if (gap != null) {
            dropConsumer();
            throw new StreamException(ErrorKind.DATA_LOSS, gap.getMessage());
        }
        return si;
    }

    private boolean openConsumer() throws InterruptedException {
        String created = ReadStart.of(expectedNext, start)
                .createConsumer(client, jsStream, target.filter(), "opening a reader of '" + stream + "'");
        if (created == null) {
            return false;
        }
        consumer = created;
        session =
                admin.session(jsStream, consumer, "reader of '" + stream + "'").readingAhead();
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
